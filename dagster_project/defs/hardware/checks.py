import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.hardware.assets import ACCELERATORS, REJECTED
from dagster_project.lib.expectations import hardware as expectations
from dagster_project.lib.gx import validate_frame


@dg.asset_check(asset=ACCELERATORS, blocking=True,
                description="GX: names non-null and unique, TDP 1-2,000 W, memory > 0, release year "
                            "plausible, source and licence present. Blocks dbt and publishing.")
def gx_raw_hardware_accelerators(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        frame = conn.sql(
            "select *, year(release_date) as release_year from raw.hardware_accelerators"
        ).df()
    return validate_frame(frame, "raw_hardware_accelerators", expectations.raw_accelerators)


@dg.asset_check(asset=REJECTED, blocking=False,
                description="Reports how many input rows were quarantined; warns when any were.")
def hardware_rows_quarantined(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        count = conn.execute("select count(*) from raw.hardware_accelerators_rejected").fetchone()[0]
        by_file = conn.execute(
            "select source_file, count(*) from raw.hardware_accelerators_rejected group by 1 order by 1"
        ).fetchall()
    return dg.AssetCheckResult(
        passed=count == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rejected_rows": count, "by_file": dg.MetadataValue.json(dict(by_file))},
    )
