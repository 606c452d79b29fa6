import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.annual_assets import INTENSITY, MIX, REJECTED
from dagster_project.lib.expectations import grid as expectations
from dagster_project.lib.gx import validate_frame
from dagster_project.lib.quarantine import quarantine_check

ANNUAL_MART = dg.AssetKey(["marts", "fct_grid_intensity_annual"])


def _frame(duckdb: DuckDBResource, table: str):
    with duckdb.get_connection() as conn:
        return conn.sql(f"select * from {table}").df()


@dg.asset_check(asset=INTENSITY, blocking=True,
                description="GX: intensity within 0-2,000 gCO2e/kWh, one row per zone, year and basis, "
                            "sourced and licensed.")
def gx_raw_grid_annual_intensity(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return validate_frame(_frame(duckdb, "raw.grid_annual_intensity"), "raw_grid_annual_intensity",
                          expectations.raw_annual_intensity)


@dg.asset_check(asset=MIX, blocking=True,
                description="GX: shares within 0-100 %, one row per zone, year and fuel.")
def gx_raw_grid_annual_generation_mix(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return validate_frame(_frame(duckdb, "raw.grid_annual_generation_mix"), "raw_grid_annual_generation_mix",
                          expectations.raw_annual_mix)


grid_annual_rows_quarantined = quarantine_check(REJECTED, "grid_annual_rows_quarantined", "annual grid rows")


@dg.asset_check(asset=ANNUAL_MART, blocking=True,
                description="GX: at least 200 zones, unique keys, intensity in range, every row named and sourced.")
def gx_marts_fct_grid_intensity_annual(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    return validate_frame(_frame(duckdb, "marts.fct_grid_intensity_annual"), "marts_fct_grid_intensity_annual",
                          expectations.mart_annual_intensity)
