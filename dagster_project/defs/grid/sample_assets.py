import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.files import read_csv_frame
from ingestion.sources.grid.forecasts import FORECAST_SCHEMA
from ingestion.sources.grid.observations import MIX_SCHEMA, OBSERVATION_SCHEMA

SAMPLE_FILES = dg.AssetSpec(
    ["sources", "grid_hourly_sample_files"],
    group_name="sources",
    kinds={"csv"},
    description="data/grid/hourly_samples/: hourly intensity, generation mix and forecasts as issued, "
                "derived from real recorded feed responses, so the hourly and forecast marts are non-empty "
                "offline.",
)
SAMPLES = dg.AssetKey(["raw", "grid_intensity_samples"])
MIX_SAMPLES = dg.AssetKey(["raw", "grid_generation_mix_samples"])
FORECAST_SAMPLES = dg.AssetKey(["raw", "grid_intensity_forecast_samples"])


def _read(path, schema) -> pl.DataFrame:
    """A sample CSV typed by the live table's schema (timestamps are naive UTC), each row with its line."""
    raw = read_csv_frame(path, f"hourly_samples/{path.name}")
    typed = [pl.col(c).str.to_datetime("%Y-%m-%dT%H:%M:%S", time_unit="us") if t == pl.Datetime("us")
             else pl.col(c).cast(t) for c, t in schema.items() if c in raw.columns and c != "load_id"]
    return raw.select(*typed, "source_file", "source_row")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(SAMPLES, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[SAMPLE_FILES],
                     description="Bundled hourly observations (same columns as the live feeds' table)."),
        dg.AssetSpec(MIX_SAMPLES, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[SAMPLE_FILES],
                     description="Bundled generation mix per zone and period."),
        dg.AssetSpec(FORECAST_SAMPLES, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[SAMPLE_FILES],
                     description="Bundled forecasts as issued (same columns as the live forecasts' table)."),
    ],
    pool=WRITER_POOL,
)
def grid_hourly_samples(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    folder = settings.reference_dir() / "grid" / "hourly_samples"
    paths = [folder / "observations.csv", folder / "generation_mix.csv", folder / "forecasts.csv"]
    load_id = land_inputs(paths, "grid_hourly_samples")
    observations, mix = _read(paths[0], OBSERVATION_SCHEMA), _read(paths[1], MIX_SCHEMA)
    forecasts = _read(paths[2], FORECAST_SCHEMA)
    period = f"{observations['period_start'].min()} to {observations['period_end'].max()}"
    yield from load_raw(context, duckdb, {SAMPLES: observations, MIX_SAMPLES: mix, FORECAST_SAMPLES: forecasts},
                        load_id=load_id, metadata={
                            SAMPLES: {"zones": sorted(set(observations["zone_id"])), "period": period},
                            FORECAST_SAMPLES: {"forecasts_issued": forecasts.select("zone_id", "issued_at")
                                               .n_unique()}})
