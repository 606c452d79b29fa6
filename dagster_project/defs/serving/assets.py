from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import settings
from dagster_project.lib import plausibility
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.exports.write import write_exports
from dagster_project.lib.publish import publish_warehouse
from dagster_project.lib.report.build import metadata_tables, write_report

PLAUSIBLE = "plausible_values"


class ImplausibleValues(ValueError):
    """A table of the new build holds a value outside its column's bound; `metadata` is the check's."""

    def __init__(self, message: str, metadata: dict):
        super().__init__(message)
        self.metadata = metadata


PUBLISHED = dg.AssetKey(["serving", "published_warehouse"])


def upstream_of_publication(definitions: dg.Definitions) -> list[dg.AssetKey]:
    """The published copy holds every table of the warehouse (raw and quarantine tables included, so
    BI users can see what did not load and why), so it follows every asset that writes one: every
    asset of `definitions` but the source files they read, whatever folder defines it."""
    keys = {key for asset in definitions.assets or []
            for key in (asset.keys if isinstance(asset, dg.AssetsDefinition) else [asset.key])}
    return sorted(key for key in keys if key.path[0] != "sources" and key != PUBLISHED)


def publish(context: dg.AssetExecutionContext):
    """Check the new build, write its report, and switch it live (lib/publish.py)."""
    def prepare(database: Path) -> dict:
        """Everything that reads the new build runs before it is published: a failure here publishes nothing."""
        with duckdb.connect(str(database), read_only=True) as conn:
            passed, metadata, failing = plausibility.check_database(conn)
        if not passed:
            raise ImplausibleValues(plausibility.describe(failing), metadata)
        write_report(database, database.parent / "report.html")
        exports = write_exports(database, database.parent / "exports")
        return {"plausibility": metadata, "tables": metadata_tables(database),
                "exports": [str(p.relative_to(database.parent)) for p in exports]}

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
        "exports": len(manifest["prepared"]["exports"]),
        **{name: dg.MetadataValue.md(table) for name, table in manifest["prepared"]["tables"].items()},
        "tables": dg.MetadataValue.json(manifest["tables"]),
        # the count of tables it publishes: a sum of their rows (a row count) would mean nothing
        "published_tables": len(manifest["tables"]),
        "published_marts": len(manifest["marts"]),
    })


def published_warehouse_asset(tables: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The publication asset, after `tables` (definitions.py passes upstream_of_publication, so a new
    source is published without editing this file)."""
    return dg.asset(
        key=PUBLISHED,
        deps=tables,
        group_name="serving",
        kinds={"duckdb", "parquet", "html"},
        pool=WRITER_POOL,
        check_specs=[dg.AssetCheckSpec(
            PLAUSIBLE, asset=PUBLISHED, blocking=True,
            description="Every number of every raw, staging, intermediate and mart table of the new build finite "
                        "and within the physical bound of its column (dagster_project/lib/plausibility.py), ids of "
                        "sane length; checked before the switch, so a failure publishes nothing and names the "
                        "table, column, bound and offending rows.")],
        description="Read-only copy of the warehouse for BI tools at data/published/footprint.duckdb (every mart "
                    "with its build_id), Parquet per mart under data/published/parquet, manifest.json and "
                    "report.html and exports/ (AI Act, SCI, BoAmps), all switched together by one atomic "
                    "rename, only after every blocking check "
                    "upstream has passed.",
    )(publish)
