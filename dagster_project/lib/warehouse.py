"""Small DuckDB helpers shared by ingestion assets."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import duckdb
import polars as pl


@contextmanager
def _frame_transaction(conn: duckdb.DuckDBPyConnection, schema: str, frame: pl.DataFrame):
    """`frame` registered as `_frame` inside one transaction: committed whole or rolled back."""
    conn.execute(f"create schema if not exists {schema}")
    conn.register("_frame", frame)
    try:
        conn.execute("begin transaction")
        yield
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        conn.unregister("_frame")


def replace_table(conn: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame) -> int:
    """Snapshot load: the table becomes exactly `frame` (idempotent), in one transaction."""
    with _frame_transaction(conn, schema, frame):
        conn.execute(f"create or replace table {schema}.{table} as select * from _frame")
    return frame.height


def replace_partition(conn: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame,
                      where: str, params: list) -> int:
    """Partition load: delete the rows `where` selects and insert `frame`, in one transaction, every row
    stamped `loaded_at` (UTC, now).

    Callers fetch and parse first; only a complete frame reaches this function, so a failed fetch
    never removes or half-writes what the table holds. `loaded_at` is the time of the write, taken
    under the writer pool, so it grows with every write; incremental models select on it, not on
    when a row was fetched: fetches run in parallel and finish in any order, and a row fetched before
    another but written after it would be skipped. A column the table does not have yet (a table of
    an earlier version) is added; its earlier rows hold null there.
    """
    frame = frame.with_columns(loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us")))
    with _frame_transaction(conn, schema, frame):
        conn.execute(f"create table if not exists {schema}.{table} as select * from _frame where false")
        present = {c for (c,) in conn.execute("select column_name from duckdb_columns() where schema_name = ? and "
                                              "table_name = ?", [schema, table]).fetchall()}
        for column, dtype, *_ in conn.execute("describe select * from _frame").fetchall():
            if column not in present:
                conn.execute(f'alter table {schema}.{table} add column "{column}" {dtype}')
        conn.execute(f"delete from {schema}.{table} where {where}", params)
        conn.execute(f"insert into {schema}.{table} by name select * from _frame")
    return frame.height


def load_snapshots(duckdb, tables: dict[str, pl.DataFrame], metadata: dict[str, dict] | None = None,
                   schema: str = "raw"):
    """Replace each `schema.table` with its frame (one connection), then yield one Dagster
    materialization per table with its row count and any extra metadata."""
    import dagster as dg

    with duckdb.get_connection() as conn:
        for table, frame in tables.items():
            replace_table(conn, schema, table, frame)
    for table, frame in tables.items():
        yield dg.MaterializeResult(asset_key=[schema, table],
                                   metadata={"dagster/row_count": frame.height, **(metadata or {}).get(table, {})})


def quarantine_metadata(messages: list[str], shown: int = 20) -> dict:
    import dagster as dg

    return {"reasons": dg.MetadataValue.md("\n".join(f"- {m}" for m in messages[:shown]) or "none")}
