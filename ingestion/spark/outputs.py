"""Reading the Spark backend's datasets where the dbt models read them (no pyspark needed)."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def output_dir(session) -> Path:
    """The Spark backend's folder for the warehouse `session` (dbt's DuckDB connection) is open on:
    facts/spark beside the file, as settings.spark_output_dir() gives it to the backend."""
    (path,) = session.execute("select path from duckdb_databases() where database_name = current_database()"
                              ).fetchone()
    return Path(path).parent / "facts" / "spark"


def read_output(session, dataset: str, like: pl.Schema) -> pl.DataFrame:
    """A dataset the backend wrote (Parquet, hive-partitioned), with the columns and types of `like`
    (what the local path returns); a clear error when the backend has not written it."""
    folder = output_dir(session) / dataset
    files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
    if not files:
        raise FileNotFoundError(f"{folder}: the Spark backend (FOOTPRINT_SPARK_MASTER) has not written {dataset}; "
                                "materialize facts/spark_log_attribution first, or unset FOOTPRINT_SPARK_MASTER")
    frame = pl.read_parquet(files, hive_partitioning=True)
    return frame.select(like.names()).cast(dict(like))
