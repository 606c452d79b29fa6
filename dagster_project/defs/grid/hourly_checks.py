import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.feed_assets import OBSERVATIONS
from dagster_project.defs.grid.sample_assets import SAMPLES
from dagster_project.lib.expectations import grid as expectations
from dagster_project.lib.gx import validate_frame
from ingestion.core.grid import find_gaps

HOURLY_MART = dg.AssetKey(["marts", "fct_grid_intensity_hourly"])
KEYS = ["feed", "zone_id", "period_start", "kind", "basis"]


def _observations(duckdb: DuckDBResource, table: str, end_column: str, start_column: str):
    """Only the columns the suite checks, Arrow-backed in pandas: three years of 250 zones are 6.6 M rows,
    which as every column with Python strings took 9.1 GB (2.1 GB so, the validation included)."""
    import pandas as pd

    with duckdb.get_connection() as conn:
        return conn.sql(
            f"select gco2e_per_kwh, kind, zone_id, source, "
            f"(kind = 'actual' and retrieved_at < {end_column}) as actual_before_period_end, "
            f"count(*) over (partition by feed, zone_id, {start_column}, kind, basis) as copies from {table}"
        ).to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype)


def _validate_observations(duckdb: DuckDBResource, table: str, end_column: str, start_column: str):
    """The hourly-observation suite plus one row per key, on any table with the observation columns."""
    import great_expectations.expectations as gxe

    def suite():
        return [*expectations.hourly_observations(), gxe.ExpectColumnValuesToBeInSet(column="copies", value_set=[1])]

    return validate_frame(_observations(duckdb, table, end_column, start_column), table.replace(".", "_"), suite)


@dg.asset_check(asset=SAMPLES, blocking=True,
                description="GX: intensity 0-2,000 g/kWh, no duplicate keys, known kinds, forecasts "
                            "never labelled actual.")
def gx_raw_grid_intensity_samples(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return _validate_observations(duckdb, "raw.grid_intensity_samples", "period_end", "period_start")


@dg.asset_check(asset=HOURLY_MART, blocking=True,
                description="GX on the hourly mart: range, kinds, unique keys, no actual before its hour ended.")
def gx_marts_fct_grid_intensity_hourly(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return _validate_observations(duckdb, "marts.fct_grid_intensity_hourly", "hour_end", "hour_start")


@dg.asset_check(asset=HOURLY_MART, description="Reports every gap in each hourly series with its length (warns).")
def grid_hourly_gaps(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        hourly = conn.sql("select zone_id, feed, kind, hour_start from marts.fct_grid_intensity_hourly").pl()
    gaps = find_gaps(hourly)
    return dg.AssetCheckResult(
        passed=gaps.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "series": hourly.select("zone_id", "feed", "kind").unique().height,
            "gaps": gaps.height,
            "missing_hours": int(gaps["gap_hours"].sum()) if gaps.height else 0,
            "largest_gaps": dg.MetadataValue.json(
                gaps.sort("gap_hours", descending=True).head(20)
                .with_columns(pl.col("gap_start", "gap_end").dt.to_string("%Y-%m-%dT%H:%MZ")).to_dicts()
            ),
        },
    )


@dg.asset_check(asset=OBSERVATIONS, blocking=True,
                description="GX on the live feed table after each refresh: range, kinds, unique keys, "
                            "no actual before its period ended.")
def gx_raw_grid_intensity_observations(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return _validate_observations(duckdb, "raw.grid_intensity_observations", "period_end", "period_start")
