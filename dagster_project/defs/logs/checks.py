import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.lib.expectations import logs as expectations
from dagster_project.lib.gx import validate_frame


def _check(mart: str, suite, description: str):
    @dg.asset_check(asset=dg.AssetKey(["marts", mart]), name=f"gx_marts_{mart}", blocking=True,
                    description=description)
    def check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        with duckdb.get_connection() as conn:
            frame = conn.sql(f"select * from marts.{mart}").df()
            jobs = conn.execute("select (select count(*) from raw.slurm_jobs) "
                                "+ (select count(*) from raw.codecarbon_runs)").fetchone()[0]
        return validate_frame(frame, f"marts_{mart}", lambda: suite(jobs) if mart == "fct_job_footprint" else suite())

    return check


gx_job_footprint = _check("fct_job_footprint", expectations.job_footprint,
                          "GX: every loaded job present once, energies, carbon and water non-negative, PUE >= 1, "
                          "a known intensity basis, end not before start.")
gx_job_footprint_daily = _check("fct_job_footprint_daily", expectations.job_footprint_daily,
                                "GX: daily measures non-negative; the hourly-priced part never exceeds the total.")
gx_carbon_aware = _check("fct_carbon_aware_savings", expectations.carbon_aware_savings,
                         "GX: savings between 0 and the original, delays within the flexibility.")
gx_gpu_power = _check("fct_gpu_power_hourly", expectations.gpu_power_hourly,
                      "GX: measured energy and carbon non-negative, a known intensity basis, samples in every hour.")
