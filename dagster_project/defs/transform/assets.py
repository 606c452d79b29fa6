import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource
from pydantic import Field

from dagster_project import settings
from dagster_project.defs.resources import WRITER_POOL
from dagster_project.defs.transform.project import dbt_project
from dagster_project.lib.dbt_cli import keep_parse_state
from dagster_project.lib.dbt_translator import LayeredDbtTranslator


class DbtBuild(dg.Config):
    full_refresh: bool = Field(
        default=True,
        description="Rebuild the incremental models (the hourly grid marts, the job and power marts) whole. The "
                    "refresh jobs (ingest_logs, rebuild_after_refresh) set it to false: only the zone-hours loaded "
                    "since the last build are recomputed, and only the jobs and power hours that changed or ran in "
                    "them are priced again. A whole build must rebuild them: the annual values, zones and "
                    "defaults it reloads apply to every hour and job.")
    unit_tests: bool = Field(
        default=True,
        description="Run dbt's unit tests (the models' SQL on hand-worked fixtures, not on the warehouse's "
                    "rows). The refresh jobs set it to false: an hourly refresh changes data, never SQL, and the "
                    "unit tests cost about 2 s of every refresh; whole builds (make run, CI) run them.")


# Run config of the refresh jobs (ingest_logs, rebuild_after_refresh).
INCREMENTAL = {"ops": {"footprint_dbt_models": {"config": {"full_refresh": False, "unit_tests": False}}}}


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LayeredDbtTranslator(),
    pool=WRITER_POOL,
)
def footprint_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource,
                         config: DbtBuild):
    """dbt build: staging views, polars intermediate models, contracted marts, and dbt tests."""
    settings.export_for_dbt()
    # dbt holds the DuckDB write lock until it exits, and dagster-dbt's fetch_row_counts() leaves
    # an in-process connection open that clashes with DuckDBResource; so events are collected and
    # row counts read once dbt is done, over the same resource every other asset uses.
    args = ["build", *(["--full-refresh"] if config.full_refresh else []),
            *([] if config.unit_tests else ["--exclude-resource-type", "unit_test"])]
    invocation = dbt.cli(args, context=context)
    events = list(invocation.stream())
    keep_parse_state(invocation.target_path, dbt_project.project_dir / dbt_project.target_path)
    with duckdb.get_connection() as conn:
        for event in events:
            if isinstance(event, dg.Output):
                schema, table = context.asset_key_for_output(event.output_name).path
                count = conn.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                yield event.with_metadata({**event.metadata, "dagster/row_count": count})
            else:
                yield event
