"""Small DuckDB helpers shared by ingestion assets."""

from __future__ import annotations

import duckdb
import polars as pl


def replace_table(conn: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame) -> int:
    """Snapshot load: the table becomes exactly `frame` (idempotent), in one transaction."""
    conn.execute(f"create schema if not exists {schema}")
    conn.register("_frame", frame)
    try:
        conn.execute("begin transaction")
        conn.execute(f"create or replace table {schema}.{table} as select * from _frame")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        conn.unregister("_frame")
    return frame.height
