import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource
from pydantic import Field

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.defs.transform.project import dbt_project
from dagster_project.lib.check_scope import CHECK_SCOPE_TAG
from dagster_project.lib.dbt_cli import keep_parse_state
from dagster_project.lib.dbt_translator import LayeredDbtTranslator


class DbtBuild(dg.Config):
    full_refresh: bool | None = Field(
        default=None,
        description="Rebuild the incremental models (the hourly grid marts, the job and power marts) whole. "
                    "Unset: false in the refresh jobs' runs (ingest_logs, rebuild_after_refresh: tagged "
                    "footprint/check_scope=changed), where only the zone-hours loaded since the last build are "
                    "recomputed and only the jobs and power hours that changed or ran in them are priced again; "
                    "true in every other run: a whole build must rebuild them, the annual values, zones and "
                    "defaults it reloads apply to every hour and job.")
    unit_tests: bool | None = Field(
        default=None,
        description="Run dbt's unit tests (the models' SQL on hand-worked fixtures, not on the warehouse's "
                    "rows). Unset: not in the refresh jobs' runs (an hourly refresh changes data, never SQL, and "
                    "the unit tests cost about 2 s of every refresh); whole builds (make run, CI) run them.")

    def resolved(self, run_tags: dict) -> tuple[bool, bool]:
        """(full_refresh, unit_tests) for a run with these tags. From the tag, not from run config:
        with the Spark backend Dagster runs the dbt build in two steps, and each reads its own config."""
        refresh = run_tags.get(CHECK_SCOPE_TAG) == "changed"
        return (not refresh if self.full_refresh is None else self.full_refresh,
                not refresh if self.unit_tests is None else self.unit_tests)


def dbt_build(name: str, select: str = "fqn:*", exclude: str | None = None,
              translator: LayeredDbtTranslator | None = None) -> dg.AssetsDefinition:
    """One `dbt build` step over the models `select` and `exclude` choose. The warehouse has one
    (footprint_dbt_models); the Spark backend splits it in two around its asset (scale/spark_backend.py)."""

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        dagster_dbt_translator=translator or LayeredDbtTranslator(),
        pool=WRITER_POOL,
        name=name,
        select=select,
        exclude=exclude,
    )
    def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource, config: DbtBuild):
        """dbt build: staging views, polars intermediate models, contracted marts, and dbt tests."""
        settings.export_for_dbt()
        # dbt holds the DuckDB write lock until it exits, and dagster-dbt's fetch_row_counts() leaves
        # an in-process connection open that clashes with DuckDBResource; so events are collected and
        # row counts read once dbt is done, over the same resource every other asset uses.
        full_refresh, unit_tests = config.resolved(context.run.tags)
        args = ["build", *(["--full-refresh"] if full_refresh else []),
                *([] if unit_tests else ["--exclude-resource-type", "unit_test"])]
        invocation = dbt.cli(args, context=context)
        events = list(invocation.stream())
        keep_parse_state(invocation.target_path, settings.dbt_command_dir())
        with duckdb.get_connection() as conn:
            for event in events:
                if isinstance(event, dg.Output):
                    schema, table = context.asset_key_for_output(event.output_name).path
                    count = conn.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                    yield event.with_metadata({**event.metadata, "dagster/row_count": count})
                else:
                    yield event

    return build


footprint_dbt_models = dbt_build("footprint_dbt_models")
