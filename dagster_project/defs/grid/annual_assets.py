import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.sources.grid.catalog import AnnualInputs, load_annual

ANNUAL_FILES = dg.AssetSpec(
    ["sources", "grid_annual_files"],
    group_name="sources",
    kinds={"csv"},
    description="Bundled data/grid/annual_intensity.csv and annual_generation_mix.csv (derived from "
                "OWID's CC BY energy data), countries.csv, fuels.csv, and any OWID or Ember files "
                "dropped in data/grid/imports/.",
)
INTENSITY = dg.AssetKey(["raw", "grid_annual_intensity"])
MIX = dg.AssetKey(["raw", "grid_annual_generation_mix"])
REJECTED = dg.AssetKey(["raw", "grid_annual_rejected"])


def annual_inputs() -> AnnualInputs:
    return AnnualInputs(settings.reference_dir() / "grid")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(INTENSITY, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[ANNUAL_FILES],
                     description="Annual carbon intensity of electricity generation per country "
                                 "(gCO2e/kWh, lifecycle basis), 2000 to the latest year, with source."),
        dg.AssetSpec(MIX, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[ANNUAL_FILES],
                     description="Annual electricity generation mix per country: share of each fuel (%)."),
        dg.AssetSpec(REJECTED, group_name="ingestion", kinds={"duckdb"}, deps=[ANNUAL_FILES],
                     description="Quarantine: annual rows that could not load, with reason and fix."),
    ],
    pool=WRITER_POOL,
)
def grid_annual(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    inputs = annual_inputs()
    load_id = land_inputs(inputs.files(), "grid_annual")
    result = load_annual(inputs)
    years = f"{result.intensity['year'].min()}-{result.intensity['year'].max()}"
    yield from load_raw(context, duckdb, {INTENSITY: result.intensity, MIX: result.mix, REJECTED: result.rejected},
                        load_id=load_id,
                        metadata={INTENSITY: {"zones": result.intensity["zone_id"].n_unique(), "years": years}})
