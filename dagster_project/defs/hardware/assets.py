import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.sources.hardware.load import HardwareInputs, load_accelerators

CATALOG_FILES = dg.AssetSpec(
    ["sources", "hardware_catalog_files"],
    group_name="sources",
    kinds={"csv"},
    description="The bundled data/hardware/accelerators.csv and vendors.csv, plus any upstream tables "
                "in data/hardware/imports/ (Epoch AI, Green Algorithms, ML CO2 Impact formats). "
                "Edited by people, read by raw/hardware_accelerators.",
)
ACCELERATORS = dg.AssetKey(["raw", "hardware_accelerators"])
REJECTED = dg.AssetKey(["raw", "hardware_accelerators_rejected"])


def hardware_inputs() -> HardwareInputs:
    root = settings.reference_dir() / "hardware"
    return HardwareInputs(root / "accelerators.csv", root / "vendors.csv", root / "imports")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(ACCELERATORS, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[CATALOG_FILES],
                     description="Accelerator catalog: the bundled data/hardware/accelerators.csv plus "
                                 "any upstream tables dropped in data/hardware/imports/. One row per "
                                 "accelerator with TDP, memory, peak FLOP/s, source, vintage and licence."),
        dg.AssetSpec(REJECTED, group_name="ingestion", kinds={"duckdb"}, deps=[CATALOG_FILES],
                     description="Quarantine: catalog or import rows that could not load, with file, "
                                 "row, field, value, reason and fix."),
    ],
    pool=WRITER_POOL,
)
def hardware_accelerators(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    inputs = hardware_inputs()
    load_id = land_inputs(inputs.files(), "hardware")
    result = load_accelerators(inputs)
    files = [str(p.relative_to(settings.reference_dir())) for p in inputs.files()]
    yield from load_raw(context, duckdb, {ACCELERATORS: result.rows, REJECTED: result.rejected}, load_id=load_id,
                        metadata={ACCELERATORS: {"source_files": files}})
