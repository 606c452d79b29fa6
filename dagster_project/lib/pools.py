"""Dagster concurrency pools the project's assets share."""

# Every asset that writes the DuckDB file takes this pool; the instance limits it to one writer
# (.dagster_home/dagster.yaml), because DuckDB allows one writing process.
WRITER_POOL = "duckdb_writer"
