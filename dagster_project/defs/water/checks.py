import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.annual_assets import MIX as ANNUAL_MIX
from dagster_project.defs.water.assets import EFFICIENCY, FACTORS, REJECTED
from dagster_project.lib.expectations import grid as grid_expectations
from dagster_project.lib.expectations import water as expectations
from dagster_project.lib.gx import combine, validate_frame
from dagster_project.lib.quarantine import quarantine_check

WATER_MART = dg.AssetKey(["marts", "fct_zone_water_intensity"])
EFFICIENCY_MART = dg.AssetKey(["marts", "dim_datacenter_efficiency"])
HOURLY_MIX_MART = dg.AssetKey(["marts", "fct_grid_generation_mix_hourly"])


def _df(duckdb: DuckDBResource, sql: str):
    with duckdb.get_connection() as conn:
        return conn.sql(sql).df()


@dg.asset_check(asset=EFFICIENCY, blocking=True, description="GX: PUE within 1.0-3.0, WUE within 0-10 L/kWh, sourced.")
def gx_raw_water_datacenter_efficiency(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return combine({
        metric: validate_frame(
            _df(duckdb, f"select * from raw.water_datacenter_efficiency where metric = '{metric}'"),
            f"raw_water_efficiency_{metric.lower()}", suite)
        for metric, suite in (("PUE", expectations.pue), ("WUE", expectations.wue))
    })


@dg.asset_check(asset=FACTORS, blocking=True, description="GX: water per kWh within 0-20 L, consumption or withdrawal.")
def gx_raw_water_factors(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return validate_frame(_df(duckdb, "select * from raw.water_factors"), "raw_water_factors",
                          expectations.water_factors)


water_rows_quarantined = quarantine_check(REJECTED, "water_rows_quarantined", "efficiency or water rows")


@dg.asset_check(asset=ANNUAL_MIX, blocking=True, description="GX: every zone-year's shares sum to 100 % ± 1.")
def gx_raw_grid_annual_mix_totals(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    totals = _df(duckdb, "select zone_id, year, sum(share_pct) as total_share_pct "
                         "from raw.grid_annual_generation_mix group by all")
    return validate_frame(totals, "raw_grid_annual_mix_totals", grid_expectations.mix_totals)


@dg.asset_check(asset=HOURLY_MIX_MART, blocking=True,
                description="GX: every zone-hour's shares (storage and imports included) sum to 100 % ± 1.")
def gx_marts_hourly_mix_totals(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    totals = _df(duckdb, "select zone_id, hour_start, feed, sum(share_pct) as total_share_pct "
                         "from marts.fct_grid_generation_mix_hourly group by all")
    return validate_frame(totals, "marts_hourly_mix_totals", grid_expectations.mix_totals)


@dg.asset_check(asset=WATER_MART, blocking=True, description="GX: EWIF within 0-20 L/kWh and low <= central <= high.")
def gx_marts_fct_zone_water_intensity(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return validate_frame(_df(duckdb, "select * from marts.fct_zone_water_intensity"),
                          "marts_fct_zone_water_intensity", expectations.zone_water_intensity)


@dg.asset_check(asset=EFFICIENCY_MART, blocking=True,
                description="GX: PUE 1.0-3.0, WUE 0-10 L/kWh, and the three large clouds present.")
def gx_marts_dim_datacenter_efficiency(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return validate_frame(_df(duckdb, "select * from marts.dim_datacenter_efficiency"),
                          "marts_dim_datacenter_efficiency", expectations.datacenter_efficiency_mart)
