"""How ingestion assets write: land the inputs, then load raw tables with their lineage (load_raw);
the live feeds replace one partition at a time (replace_partition)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import duckdb
import polars as pl

from dagster_project import settings
from ingestion.files import land_file, load_id_of
from ingestion.places import Places, places_from_frames
from ingestion.quarantine import messages


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


def land_inputs(paths: list, source: str) -> str:
    """Every input file kept as read under landing/<source>/ before it is parsed; the load id of
    these bytes (the same files give the same id)."""
    landed = [land_file(path, settings.landing_dir() / source) for path in paths]
    return load_id_of(paths, [copy.parent.name for copy in landed])  # landed as <content id>/<name>


LINEAGE = ("source_file", "source_row", "load_id", "loaded_at")


def with_lineage(frame: pl.DataFrame, load_id: str, loaded_at: dt.datetime) -> pl.DataFrame:
    """`frame` stamped with the load it came in (`load_id`, the content id of its inputs, and
    `loaded_at`, the time of the write), the lineage columns last. Where each row came from
    (`source_file`, `source_row`) only its parser knows: a frame without them is refused."""
    missing = [c for c in ("source_file", "source_row") if c not in frame.columns]
    if missing:
        raise ValueError(f"a raw table needs {', '.join(missing)} on every row (its parser knows where each "
                         f"row came from); columns given: {', '.join(frame.columns)}")
    stamped = frame.with_columns(source_file=pl.col("source_file").cast(pl.String),
                                 source_row=pl.col("source_row").cast(pl.Int64),
                                 load_id=pl.lit(load_id, pl.String),
                                 loaded_at=pl.lit(loaded_at, pl.Datetime("us")))
    return stamped.select(pl.exclude(LINEAGE), *LINEAGE)


def load_raw(context, duckdb, tables: dict, *, load_id: str, metadata: dict | None = None):
    """The one way an ingestion asset writes: each frame of `tables` (asset key -> frame) stamped
    with its lineage (with_lineage) and written as `schema.table` of its key, all on one connection;
    then one Dagster materialization per table with its row count, the load id and `metadata[key]`.

    A table whose name ends in `_rejected` is a quarantine: its rows are logged as warnings (the first
    50, each naming file, line, field, reason and fix), listed in its metadata, and counted in the
    metadata of the tables loaded beside it.
    """
    import dagster as dg

    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    stamped = {dg.AssetKey.from_coercible(key): with_lineage(frame, load_id, loaded_at)
               for key, frame in tables.items()}
    # a log of millions of lines can reject millions: only the first are spelt out
    quarantined = {key: messages(frame.head(50)) for key, frame in stamped.items()
                   if key.path[-1].endswith("_rejected")}
    for message in [m for found in quarantined.values() for m in found][:50]:
        context.log.warning(f"quarantined: {message}")
    with duckdb.get_connection() as conn:
        for key, frame in stamped.items():
            replace_table(conn, *key.path, frame)
    rejected_rows = sum(stamped[key].height for key in quarantined)
    for key, frame in stamped.items():
        shown = (_quarantine_metadata(quarantined[key]) if key in quarantined
                 else {"rejected_rows": rejected_rows} if quarantined else {})
        yield dg.MaterializeResult(asset_key=key, metadata={
            "dagster/row_count": frame.height, "load_id": load_id, **shown,
            **(metadata or {}).get(key, {})})


def _quarantine_metadata(found: list[str], shown: int = 20) -> dict:
    import dagster as dg

    return {"reasons": dg.MetadataValue.md("\n".join(f"- {m}" for m in found[:shown]) or "none")}


def places_in(conn: duckdb.DuckDBPyConnection) -> Places:
    """What workloads and logs may name as a place, from the grid tables the warehouse has loaded."""
    return places_from_frames(*(conn.sql(f"select * from raw.{table}").pl()
                                for table in ("grid_cloud_regions", "grid_zones", "grid_countries")))


def named_rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """The rows of a query as dicts by column name (the report's and the exports' reader)."""
    cursor = conn.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
