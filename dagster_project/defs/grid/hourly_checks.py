"""GX on the hourly intensity tables. Whole builds validate every row; the refresh jobs validate
only the zone-hours loaded after the last passing evaluation (lib/check_scope.py).

Three years of 250 zones are 6.6 M hourly rows, and an hourly refresh changes 250 of them. What the
suite checks (the intensity, its kind, zone and source, one row per key, no actual before its hour
ended) is computed from the observations of the row's own zone-hour, so a zone-hour that received
no observation cannot have changed since it passed.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.feed_assets import OBSERVATIONS
from dagster_project.defs.grid.sample_assets import SAMPLES
from dagster_project.lib.check_scope import scoped, unchanged, validated_through
from dagster_project.lib.expectations import grid as expectations
from dagster_project.lib.gx import validate_frame
from ingestion.core.grid import find_gaps

HOURLY_MART = dg.AssetKey(["marts", "fct_grid_intensity_hourly"])
def observations(conn, table: str, end_column: str, start_column: str, since: str | None):
    """The checked columns of `table` (of the zone-hours with a row loaded after `since`, or all),
    with the count of copies of each row's key, Arrow-backed in pandas: three years as every column
    with Python strings took 9.1 GB (2.1 GB so, the validation included)."""
    import pandas as pd

    scope = "" if since is None else (
        f"where (zone_id, date_trunc('hour', {start_column})) in (select distinct zone_id, "
        f"date_trunc('hour', {start_column}) from {table} where loaded_at > cast(? as timestamp))")
    return conn.execute(
        f"select gco2e_per_kwh, kind, zone_id, source, loaded_at, "
        f"(kind = 'actual' and retrieved_at < {end_column}) as actual_before_period_end, "
        f"count(*) over (partition by feed, zone_id, {start_column}, kind, basis) as copies from {table} {scope}",
        [] if since is None else [since],
    ).to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype)


def _validate_observations(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource, table: str,
                           end_column: str, start_column: str) -> dg.AssetCheckResult:
    """The hourly-observation suite plus one row per key, on any table with the observation columns."""
    import great_expectations.expectations as gxe

    def suite():
        return [*expectations.hourly_observations(), gxe.ExpectColumnValuesToBeInSet(column="copies", value_set=[1])]

    since = validated_through(context)
    with duckdb.get_connection() as conn:
        frame = observations(conn, table, end_column, start_column, since)
    if since is not None and frame.empty:
        return unchanged(since, "zone-hours")
    return scoped(validate_frame(frame, table.replace(".", "_"), suite), frame, since, "zone-hours")


@dg.asset_check(asset=SAMPLES, blocking=True,
                description="GX: intensity 0-2,000 g/kWh, no duplicate keys, known kinds, forecasts "
                            "never labelled actual.")
def gx_raw_grid_intensity_samples(context: dg.AssetCheckExecutionContext,
                                  duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return _validate_observations(context, duckdb, "raw.grid_intensity_samples", "period_end", "period_start")


@dg.asset_check(asset=HOURLY_MART, blocking=True,
                description="GX on the hourly mart: range, kinds, unique keys, no actual before its hour ended "
                            "(in refresh runs, the zone-hours loaded since the last pass).")
def gx_marts_fct_grid_intensity_hourly(context: dg.AssetCheckExecutionContext,
                                       duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return _validate_observations(context, duckdb, "marts.fct_grid_intensity_hourly", "hour_end", "hour_start")


@dg.asset_check(asset=HOURLY_MART, description="Reports every gap in each live hourly series with its length "
                                             "(warns). The bundled samples are separate recorded windows: the "
                                             "time between two of them is not a feed's gap.")
def grid_hourly_gaps(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    live = "(select * from marts.fct_grid_intensity_hourly where not is_sample)"
    with duckdb.get_connection() as conn:
        (series,) = conn.execute(f"select count(*) from (select distinct zone_id, feed, kind from {live})").fetchone()
        # Only series missing an hour between their first and last are read hour by hour (few, usually).
        hourly = conn.sql(
            f"with gapped as (select zone_id, feed, kind from {live} group by all "
            "having date_diff('hour', min(hour_start), max(hour_start)) + 1 > count(distinct hour_start)) "
            f"select zone_id, feed, kind, hour_start from {live} semi join gapped using (zone_id, feed, kind)").pl()
    gaps = find_gaps(hourly)
    return dg.AssetCheckResult(
        passed=gaps.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "series": series,
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
                            "no actual before its period ended (the zone-hours loaded since the last pass).")
def gx_raw_grid_intensity_observations(context: dg.AssetCheckExecutionContext,
                                       duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return _validate_observations(context, duckdb, "raw.grid_intensity_observations", "period_end", "period_start")
