import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.files import read_csv_frame

REFERENCE_FILES = dg.AssetSpec(
    ["sources", "grid_reference_files"],
    group_name="sources",
    kinds={"csv"},
    description="data/grid/ lookups compiled with sources: countries.csv, zones.csv, entsoe_areas.csv, "
                "fuels.csv, emission_factors.csv, cloud_regions.csv, watttime_regions.csv.",
)
# table -> (file, description)
TABLES = {
    "grid_countries": ("countries.csv", "Countries as grid zones: ISO alpha-2 (our zone_id), alpha-3, name."),
    "grid_zones": ("zones.csv", "Sub-national grid zones (regions, bidding zones, balancing authorities) "
                                "with their parent country and EIA respondent code."),
    "grid_entsoe_areas": ("entsoe_areas.csv", "ENTSO-E area EIC codes and the zone each stands for."),
    "grid_fuel_aliases": ("fuels.csv", "Every fuel name a source uses (lower case) with its canonical fuel."),
    "grid_emission_factors": ("emission_factors.csv", "gCO2e/kWh per fuel, lifecycle and direct, with source; "
                                                      "used to compute intensity from a generation mix."),
    "grid_cloud_regions": ("cloud_regions.csv", "AWS, Google Cloud and Azure regions mapped to grid zones, "
                                                "disputed mappings kept and flagged."),
    "grid_watttime_regions": ("watttime_regions.csv", "WattTime's US regions mapped to grid zones (a sub-region "
                                                      "to its ISO's zone, flagged not exact)."),
}


def fuel_aliases(path) -> pl.DataFrame:
    """One row per name a source uses for a fuel, each with the line of fuels.csv that lists it."""
    fuels = read_csv_frame(path)
    names = fuels.select("fuel", "kind", "source_file", "source_row",
                         alias=pl.concat_list(pl.col("fuel"), pl.col("aliases").str.split("|")))
    return (names.explode("alias").with_columns(alias=pl.col("alias").str.to_lowercase().str.strip_chars())
            .unique(["alias"], keep="first", maintain_order=True)
            .select("alias", "fuel", "kind", "source_file", "source_row"))


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", table], group_name="ingestion", kinds={"duckdb"}, deps=[REFERENCE_FILES],
                        description=description) for table, (_, description) in TABLES.items()],
    pool=WRITER_POOL,
)
def grid_reference(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    paths = {table: settings.reference_dir() / "grid" / name for table, (name, _) in TABLES.items()}
    load_id = land_inputs(list(paths.values()), "grid_reference")
    frames = {dg.AssetKey(["raw", table]): fuel_aliases(path) if table == "grid_fuel_aliases" else read_csv_frame(path)
              for table, path in paths.items()}
    yield from load_raw(context, duckdb, frames, load_id=load_id)
