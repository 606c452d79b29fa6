import datetime as dt

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import load_snapshots
from ingestion.sources.grid.observations import MIX_SCHEMA, OBSERVATION_SCHEMA

SAMPLE_FILES = dg.AssetSpec(
    ["sources", "grid_hourly_sample_files"],
    group_name="sources",
    kinds={"csv"},
    description="data/grid/hourly_samples/: hourly intensity and generation mix derived from real "
                "recorded feed responses, so the hourly marts are non-empty offline.",
)
SAMPLES = dg.AssetKey(["raw", "grid_intensity_samples"])
MIX_SAMPLES = dg.AssetKey(["raw", "grid_generation_mix_samples"])


def _read(path, schema) -> pl.DataFrame:
    """A sample CSV typed by the live table's schema (timestamps are naive UTC)."""
    raw = pl.read_csv(path, infer_schema=False)
    return raw.select(
        pl.col(c).str.to_datetime("%Y-%m-%dT%H:%M:%S", time_unit="us") if t == pl.Datetime("us")
        else pl.col(c).cast(t)
        for c, t in schema.items() if c in raw.columns
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(SAMPLES, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[SAMPLE_FILES],
                     description="Bundled hourly observations (same columns as the live feeds' table)."),
        dg.AssetSpec(MIX_SAMPLES, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[SAMPLE_FILES],
                     description="Bundled generation mix per zone and period."),
    ],
    pool=WRITER_POOL,
)
def grid_hourly_samples(duckdb: DuckDBResource):
    folder = settings.reference_dir() / "grid" / "hourly_samples"
    observations = _read(folder / "observations.csv", OBSERVATION_SCHEMA)
    mix = _read(folder / "generation_mix.csv", MIX_SCHEMA)
    loaded_at = pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    yield from load_snapshots(
        duckdb,
        {"grid_intensity_samples": observations.with_columns(loaded_at=loaded_at),
         "grid_generation_mix_samples": mix.with_columns(loaded_at=loaded_at)},
        {"grid_intensity_samples": {
            "zones": sorted(set(observations["zone_id"])),
            "period": f"{observations['period_start'].min()} to {observations['period_end'].max()}",
        }},
    )
