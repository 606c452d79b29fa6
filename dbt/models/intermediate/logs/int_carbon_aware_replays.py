import datetime as dt

import polars as pl

from ingestion.core.attribution import best_starts, build_index
from ingestion.core.incremental import hours_needed, intensities_over, jobs_to_price, loaded_since_last_build


def model(dbt, session):
    """For each job priced on hourly data and each flexibility (hours a job may wait, model config
    flexibility_hours), the start with the least carbon: a windowed minimum over the cumulative sums.

    Incremental like int_job_days_attributed, over windows that reach the longest delay. A job without
    a replay (not every hour priced hourly, or no energy) keeps one row with flexibility_h null: the
    version it was looked at in, so a refresh does not look at it again until it changes, and what
    replaces the replays of a job that lost them."""
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="job_key")
    flexibilities = [int(h) for h in dbt.config.get("flexibility_hours") or [0, 6, 24]]
    intensities = dbt.ref("int_grid_intensity_hourly_for_pricing")
    jobs = dbt.ref("int_jobs_unified").pl().rename({"start_utc": "start", "end_utc": "end"})
    if dbt.is_incremental:
        jobs = jobs_to_price(jobs, session.sql(f"select distinct job_key, job_version from {dbt.this}").pl(),
                             loaded_since_last_build(dbt, session, intensities), max(flexibilities))
    versions = jobs.select("job_key", "job_version")
    hours = (pl.col("end") - pl.col("start")).dt.total_microseconds() / 3.6e9
    jobs = (jobs.filter((hours > 0) & (pl.col("it_energy_kwh") > 0))
            .with_columns(power_kw=pl.col("it_energy_kwh") * pl.col("pue") / hours)
            .sort("job_key"))
    hourly = intensities_over(session, intensities, hours_needed(jobs, max(flexibilities)))
    replays = best_starts(jobs.select("job_key", "zone_id", "start", "end", "power_kw"), build_index(hourly),
                          flexibilities)
    without = versions.join(replays.select("job_key"), on="job_key", how="anti")
    return (pl.concat([replays.join(versions, on="job_key", how="left"), without], how="diagonal")
            .with_columns(loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us")))
            .sort("job_key", "flexibility_h", nulls_last=True))
