"""Blocking GX checks on the job-footprint marts (suites in lib/expectations/logs.py)."""

from dagster_project.lib.expectations import logs as expectations
from dagster_project.lib.gx import mart_check

gx_job_footprint = mart_check(
    "fct_job_footprint", expectations.job_footprint,
    "GX: every loaded job present once, energies, carbon and water non-negative, PUE >= 1, a known intensity "
    "basis, end not before start.",
    "select (select count(*) from raw.slurm_jobs) + (select count(*) from raw.codecarbon_runs)")
gx_job_footprint_daily = mart_check("fct_job_footprint_daily", expectations.job_footprint_daily,
                                    "GX: daily measures non-negative; the hourly-priced part never exceeds the total.")
gx_carbon_aware = mart_check("fct_carbon_aware_savings", expectations.carbon_aware_savings,
                             "GX: savings between 0 and the original, delays within the flexibility; as decided, "
                             "never better than hindsight (regret 0 or more), on a known decision and signal.",
                             scoped_to_changes=True)
gx_gpu_power = mart_check(
    "fct_gpu_power_hourly", expectations.gpu_power_hourly,
    "GX: measured energy and carbon non-negative, a known intensity basis, samples in every hour.",
    scoped_to_changes=True)
