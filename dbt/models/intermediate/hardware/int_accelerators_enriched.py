from ingestion.core.accelerators import enrich_accelerators


def model(dbt, session):
    dbt.config(materialized="table")
    # The polars core does the work; this wrapper only moves frames in and out of DuckDB.
    return enrich_accelerators(dbt.ref("stg_hardware__accelerators").pl(),
                               dbt.ref("stg_audit__published_accelerator_power").pl(),
                               dbt.ref("stg_audit__published_server_embodied").pl())
