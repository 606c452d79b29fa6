import datetime as dt

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import load_snapshots, quarantine_metadata
from ingestion.files import land_file
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
    for path in inputs.files():
        land_file(path, settings.landing_dir() / "water")
    result = load_water(inputs)
    for message in result.messages:
        context.log.warning(f"quarantined: {message}")
    loaded_at = pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    load_id = pl.lit(inputs.load_id())
    tables = {
        "water_datacenter_efficiency": result.efficiency.with_columns(load_id=load_id, loaded_at=loaded_at),
        "water_factors": result.factors.with_columns(load_id=load_id, loaded_at=loaded_at),
        "water_published_ewif": result.published,
        "water_rejected": result.rejected.with_columns(load_id=load_id, loaded_at=loaded_at),
    }
    yield from load_snapshots(duckdb, tables, {"water_rejected": quarantine_metadata(result.messages)})
