import datetime as dt

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import load_snapshots, quarantine_metadata
from ingestion.files import land_file
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
    for path in inputs.files():
        land_file(path, settings.landing_dir() / "grid_annual")
    result = load_annual(inputs)
    loaded_at = pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    for message in result.messages[:50]:
        context.log.warning(f"quarantined: {message}")
    rejected = result.rejected.with_columns(load_id=pl.lit(inputs.load_id()), loaded_at=loaded_at)

    yield from load_snapshots(
        duckdb,
        {
            "grid_annual_intensity": result.intensity.with_columns(loaded_at=loaded_at),
            "grid_annual_generation_mix": result.mix.with_columns(loaded_at=loaded_at),
            "grid_annual_rejected": rejected,
        },
        {
            "grid_annual_intensity": {
                "zones": result.intensity["zone_id"].n_unique(),
                "years": f"{result.intensity['year'].min()}-{result.intensity['year'].max()}",
                "load_id": inputs.load_id(),
            },
            "grid_annual_rejected": quarantine_metadata(result.messages),
        },
    )
