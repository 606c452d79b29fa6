import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.sources.water.load import WaterInputs, load_water

WATER_FILES = dg.AssetSpec(
    ["sources", "water_files"],
    group_name="sources",
    kinds={"csv"},
    description="data/water/: datacenter_efficiency.csv (PUE/WUE reported by providers, with sources), "
                "water_factors.csv (Macknick et al. 2012 consumption per kWh by fuel), published_ewif.csv.",
)
EFFICIENCY = dg.AssetKey(["raw", "water_datacenter_efficiency"])
FACTORS = dg.AssetKey(["raw", "water_factors"])
PUBLISHED = dg.AssetKey(["raw", "water_published_ewif"])
REJECTED = dg.AssetKey(["raw", "water_rejected"])


def water_inputs() -> WaterInputs:
    return WaterInputs(settings.reference_dir() / "water", settings.reference_dir() / "grid")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(EFFICIENCY, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[WATER_FILES],
                     description="PUE and WUE by provider, scope (fleet, geography, region, site), year; "
                                 "low/central/high where reported; defaults when nothing is known."),
        dg.AssetSpec(FACTORS, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[WATER_FILES],
                     description="Operational water consumption per kWh generated, by fuel, technology and "
                                 "cooling (Macknick et al. 2012); one default per fuel with a low-high spread."),
        dg.AssetSpec(PUBLISHED, group_name="ingestion", kinds={"duckdb"}, deps=[WATER_FILES],
                     description="Published off-site water intensities (EWIF) to compare ours with."),
        dg.AssetSpec(REJECTED, group_name="ingestion", kinds={"duckdb"}, deps=[WATER_FILES],
                     description="Quarantine: efficiency or water-factor rows that could not load, with reason."),
    ],
    pool=WRITER_POOL,
)
def water_reference(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    inputs = water_inputs()
    load_id = land_inputs(inputs.files(), "water")
    result = load_water(inputs)
    yield from load_raw(context, duckdb, {EFFICIENCY: result.efficiency, FACTORS: result.factors,
                                          PUBLISHED: result.published, REJECTED: result.rejected}, load_id=load_id)
