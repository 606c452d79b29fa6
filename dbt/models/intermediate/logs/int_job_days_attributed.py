import datetime as dt

import polars as pl

from ingestion.core.attribution import annual_by_zone, attribute_jobs, build_index, split_by_day
from ingestion.core.incremental import hours_needed, intensities_over, jobs_to_price, loaded_since_last_build


def model(dbt, session):
    """Each job split by UTC day and priced by the polars core: facility power x the integral of the
    zone's hourly intensity (cumulative sums), else its annual value, flagged.

    Incremental (refreshes): only the jobs that are new or changed, or whose hours got an intensity
    loaded since the last build (ingestion/core/incremental.py), are priced again, from the
    intensities of their zones over their windows; all of a job's days are replaced at once."""
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="job_key")
    intensities = dbt.ref("int_grid_intensity_hourly_for_pricing")
    jobs = dbt.ref("int_jobs_unified").pl().rename({"start_utc": "start", "end_utc": "end"})
    if dbt.is_incremental:
        jobs = jobs_to_price(jobs, session.sql(f"select distinct job_key, job_version from {dbt.this}").pl(),
                             loaded_since_last_build(dbt, session, intensities))
    hourly = intensities_over(session, intensities, hours_needed(jobs))
    annual = annual_by_zone(
        dbt.ref("fct_grid_intensity_annual").pl().filter(pl.col("basis") == "lifecycle"),
        dbt.ref("dim_grid_zones").pl())
    hours = (pl.col("end") - pl.col("start")).dt.total_microseconds() / 3.6e9
    jobs = jobs.with_columns(job_hours=hours).with_columns(
        power_kw=pl.when(pl.col("job_hours") > 0).then(pl.col("it_energy_kwh") * pl.col("pue") / pl.col("job_hours"))
        .otherwise(0.0))
    pieces = attribute_jobs(split_by_day(jobs).sort("job_key", "day"), build_index(hourly), annual)
    # each day's piece carries its share of the job's IT energy (constant power)
    share = pl.when(pl.col("job_hours") > 0).then(pl.col("hours") / pl.col("job_hours")).otherwise(1.0)
    return (pieces.with_columns(it_energy_kwh=pl.col("it_energy_kwh") * share,
                                loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us")))
            .rename({"start": "start_utc", "end": "end_utc", "energy_kwh": "facility_energy_kwh",
                     "kgco2e": "location_kgco2e"})
            .drop("power_kw", "job_hours"))
