import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.resources import WRITER_POOL
from dagster_project.defs.transform.project import dbt_project
from dagster_project.lib.dbt_translator import LayeredDbtTranslator


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LayeredDbtTranslator(),
    pool=WRITER_POOL,
)
def footprint_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource):
    """dbt build: staging views, polars intermediate models, contracted marts, and dbt tests."""
    settings.export_for_dbt()
    # dbt holds the DuckDB write lock until it exits, and dagster-dbt's fetch_row_counts() leaves
    # an in-process connection open that clashes with DuckDBResource; so events are collected and
    # row counts read once dbt is done, over the same resource every other asset uses.
    events = list(dbt.cli(["build"], context=context).stream())
    with duckdb.get_connection() as conn:
        for event in events:
            if isinstance(event, dg.Output):
                schema, table = context.asset_key_for_output(event.output_name).path
                count = conn.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                yield event.with_metadata({**event.metadata, "dagster/row_count": count})
            else:
                yield event
