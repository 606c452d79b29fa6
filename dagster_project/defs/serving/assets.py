from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import settings
# Modules, not the asset objects: a definition imported here would be a second reference to it in
# the defs folder, which Definitions.map_asset_specs (the Spark backend) would turn into a duplicate.
from dagster_project.defs.grid import annual_assets, feed_assets, reference_assets, sample_assets
from dagster_project.defs.hardware import assets as hardware_assets
from dagster_project.defs.logs import assets as log_assets
from dagster_project.defs.logs import power_samples
from dagster_project.defs.resources import WRITER_POOL
from dagster_project.defs.transform import assets as transform_assets
from dagster_project.defs.water import assets as water_assets
from dagster_project.defs.workloads import assets as workload_assets
from dagster_project.defs.workloads import inference_energy
from dagster_project.lib import plausibility
from dagster_project.lib.publish import publish_warehouse
from dagster_project.lib.report.build import metadata_tables, write_report

PLAUSIBLE = "plausible_values"


class ImplausibleValues(ValueError):
    """A table of the new build holds a value outside its column's bound; `metadata` is the check's."""

    def __init__(self, message: str, metadata: dict):
        super().__init__(message)
        self.metadata = metadata


# The published copy holds every table of the warehouse (raw and quarantine tables included, so
# BI users can see what did not load and why), so it depends on every asset that writes one.
PUBLISHED_TABLES = [
    key
    for assets in (hardware_assets.hardware_accelerators, annual_assets.grid_annual, reference_assets.grid_reference,
                   sample_assets.grid_hourly_samples, feed_assets.grid_feed_day, water_assets.water_reference,
                   inference_energy.inference_energy_per_token, workload_assets.workloads, log_assets.job_logs,
                   power_samples.gpu_power_samples, transform_assets.footprint_dbt_models)
    for key in assets.keys
]


@dg.asset(
    key=["serving", "published_warehouse"],
    deps=PUBLISHED_TABLES,
    group_name="serving",
    kinds={"duckdb", "parquet", "html"},
    pool=WRITER_POOL,
    check_specs=[dg.AssetCheckSpec(
        PLAUSIBLE, asset=["serving", "published_warehouse"], blocking=True,
        description="Every number of every raw, staging, intermediate and mart table of the new build finite "
                    "and within the physical bound of its column (dagster_project/lib/plausibility.py), ids of "
                    "sane length; checked before the switch, so a failure publishes nothing and names the "
                    "table, column, bound and offending rows.")],
    description="Read-only copy of the warehouse for BI tools at data/published/footprint.duckdb (every mart "
                "with its build_id), Parquet per mart under data/published/parquet, manifest.json and "
                "report.html, all switched together by one atomic rename, only after every blocking check "
                "upstream has passed.",
)
def published_warehouse(context: dg.AssetExecutionContext):
    def prepare(database: Path) -> dict:
        """Everything that reads the new build runs before it is published: a failure here publishes nothing."""
        with duckdb.connect(str(database), read_only=True) as conn:
            passed, metadata, failing = plausibility.check_database(conn)
        if not passed:
            raise ImplausibleValues(plausibility.describe(failing), metadata)
        write_report(database, database.parent / "report.html")
        return {"plausibility": metadata, "tables": metadata_tables(database)}

    try:
        manifest = publish_warehouse(settings.warehouse_path(), settings.published_dir(), prepare=prepare,
                                     datasets={"gpu_power_samples": settings.facts_dir() / "gpu_power_samples"})
    except ImplausibleValues as error:
        yield dg.AssetCheckResult(check_name=PLAUSIBLE, passed=False, metadata=error.metadata)
        raise dg.Failure(description=f"implausible values, nothing published: {error}",
                         metadata=error.metadata) from None
    context.log.info(f"published build {manifest['build_id']} at {manifest['path']}")
    report = settings.published_dir() / "report.html"
    yield dg.AssetCheckResult(check_name=PLAUSIBLE, passed=True, metadata=manifest["prepared"]["plausibility"])
    yield dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(manifest["path"]),
        "parquet_dir": dg.MetadataValue.path(manifest["parquet_dir"]),
        "build_id": manifest["build_id"],
        "built_at": manifest["built_at"],
        "marts": dg.MetadataValue.md("\n".join(f"- `marts.{name}`: {mart['rows']} rows, {len(mart['columns'])} "
                                               "columns" for name, mart in manifest["marts"].items())),
        "report": dg.MetadataValue.path(str(report)),
        **{name: dg.MetadataValue.md(table) for name, table in manifest["prepared"]["tables"].items()},
        "tables": dg.MetadataValue.json(manifest["tables"]),
        "dagster/row_count": sum(mart["rows"] for mart in manifest["marts"].values()),
    })
