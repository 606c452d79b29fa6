"""Pure ingestion code: fetch and parse reference data into polars frames.

No Dagster and no DuckDB imports here, so every parser is testable on its own.
"""
