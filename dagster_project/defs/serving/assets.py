import dagster as dg

from dagster_project import settings
from dagster_project.defs.grid.annual_assets import REJECTED as GRID_ANNUAL_REJECTED
from dagster_project.defs.hardware.assets import REJECTED as HARDWARE_REJECTED
from dagster_project.defs.resources import WRITER_POOL
from dagster_project.defs.transform.assets import footprint_dbt_models
from dagster_project.lib.publish import publish_warehouse

MARTS = [key for key in footprint_dbt_models.keys if key.path[0] == "marts"]
# Quarantine tables are published too, so BI users can see what did not load and why.
QUARANTINE = [HARDWARE_REJECTED, GRID_ANNUAL_REJECTED]


@dg.asset(
    key=["serving", "published_warehouse"],
    deps=MARTS + QUARANTINE,
    group_name="serving",
    kinds={"duckdb"},
    pool=WRITER_POOL,
    automation_condition=dg.AutomationCondition.eager(),
    description="Read-only copy of the warehouse for BI tools at data/published/footprint.duckdb, "
                "replaced by atomic rename only after every blocking check upstream has passed.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    manifest = publish_warehouse(settings.warehouse_path(), settings.published_dir())
    context.log.info(f"published {manifest['path']}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(manifest["path"]),
        "build_id": manifest["build_id"],
        "tables": dg.MetadataValue.json(manifest["tables"]),
        "dagster/row_count": sum(v for k, v in manifest["tables"].items() if k.startswith("marts.")),
    })
