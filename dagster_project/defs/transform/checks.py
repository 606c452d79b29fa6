import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.lib.expectations import hardware as expectations
from dagster_project.lib.gx import validate_frame

DIM_ACCELERATORS = dg.AssetKey(["marts", "dim_accelerators"])


@dg.asset_check(asset=DIM_ACCELERATORS, blocking=True,
                description="GX on the mart: non-empty, unique keys, every row sourced and licensed, "
                            "TDP range ordered, efficiency in a physical range. Blocks publishing.")
def gx_marts_dim_accelerators(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        frame = conn.sql("select * from marts.dim_accelerators").df()
    return validate_frame(frame, "marts_dim_accelerators", expectations.mart_accelerators)
