import datetime as dt

import polars as pl

from ingestion.core.attribution import annual_by_zone
from ingestion.core.incremental import hours_needed, intensities_over, jobs_to_price, loaded_since_last_build
from ingestion.core.footprint import annual_ewif
from ingestion.core.log_pricing import HOURLY_SCHEMA, price_job_days, with_water
from ingestion.spark.outputs import read_output


def model(dbt, session):
    """Each job split by UTC day and priced by the polars core: facility power x the integral of the
    zone's hourly intensity (cumulative sums), else its annual value, flagged, and its on-site and
    off-site water (core/log_pricing.py).

    Incremental (refreshes): only the jobs that are new or changed, or whose hours got an intensity
    loaded since the last build (ingestion/core/incremental.py), are priced again, from the
    intensities of their zones over their windows; all of a job's days are replaced at once. With
    the Spark backend (FOOTPRINT_SPARK_MASTER), the days it priced, every job."""
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="job_key")
    intensities = dbt.ref("int_grid_intensity_hourly_for_pricing")
    jobs = dbt.ref("int_jobs_unified").pl().rename({"start_utc": "start", "end_utc": "end"})
    zones = dbt.ref("int_grid_zones").pl()
    annual = annual_by_zone(dbt.ref("stg_grid__annual_intensities").pl().filter(pl.col("basis") == "lifecycle"), zones)
    if dbt.config.get("attribution_backend") == "spark":
        days = read_output(session, "job_days_attributed",
                           price_job_days(jobs.head(0), pl.DataFrame(schema=HOURLY_SCHEMA), annual).schema)
    else:
        if dbt.is_incremental:
            jobs = jobs_to_price(jobs, session.sql(f"select distinct job_key, job_version from {dbt.this}").pl(),
                                 loaded_since_last_build(dbt, session, intensities))
        days = price_job_days(jobs, intensities_over(session, intensities, hours_needed(jobs)), annual)
    days = with_water(days, annual_ewif(dbt.ref("int_zone_water_intensities").pl()), zones)
    return days.with_columns(loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us")))
