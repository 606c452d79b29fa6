import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.hardware.assets import ACCELERATORS, REJECTED
from dagster_project.lib.expectations import hardware as expectations
from dagster_project.lib.gx import validate_frame
from dagster_project.lib.quarantine import quarantine_check


@dg.asset_check(asset=ACCELERATORS, blocking=True,
                description="GX: names non-null and unique, TDP 1-2,000 W, memory > 0, release year "
                            "plausible, source and licence present. Blocks dbt and publishing.")
def gx_raw_hardware_accelerators(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        frame = conn.sql(
            "select *, year(release_date) as release_year from raw.hardware_accelerators"
        ).df()
    return validate_frame(frame, "raw_hardware_accelerators", expectations.raw_accelerators)


hardware_rows_quarantined = quarantine_check(REJECTED, "hardware_rows_quarantined", "catalog or import rows")
