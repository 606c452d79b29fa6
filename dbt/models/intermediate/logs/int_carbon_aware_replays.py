import datetime as dt

import polars as pl

from ingestion.core.incremental import (forecasts_over, hours_needed, intensities_over, jobs_to_price,
                                        loaded_since_last_build)
from ingestion.core.log_pricing import HOURLY_SCHEMA, decide_jobs, replay_jobs
from ingestion.spark.outputs import read_output


def model(dbt, session):
    """For each job priced on hourly data and each flexibility (hours a job may wait, model config
    flexibility_hours): the start with the least carbon in hindsight, a windowed minimum over the
    cumulative sums (core/log_pricing.py), and the start a scheduler would have picked on the latest
    forecast issued before the job's submit time, priced on the actual (core/decisions.py). A job
    without a replay (not every hour priced hourly, or no energy) keeps one row with flexibility_h
    null: the version it was looked at in, so a refresh does not look at it again until it changes,
    and what replaces the replays of a job that lost them.

    Incremental like int_job_days_attributed, over windows that reach the longest delay; a forecast
    loaded into a job's window since the last build replays the job again. With the Spark backend
    (FOOTPRINT_SPARK_MASTER), the hindsight replays it computed, every job, and the decisions here."""
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="job_key")
    flexibilities = [int(h) for h in dbt.config.get("flexibility_hours") or [0, 6, 24]]
    longest = max(flexibilities)
    intensities = dbt.ref("int_grid_intensity_hourly_for_pricing")
    forecasts = dbt.ref("int_grid_forecasts_hourly")
    jobs = dbt.ref("int_jobs_unified").pl().rename({"start_utc": "start", "end_utc": "end"})
    if dbt.config.get("attribution_backend") == "spark":
        replays = read_output(session, "carbon_aware_replays",
                              replay_jobs(jobs.head(0), pl.DataFrame(schema=HOURLY_SCHEMA), flexibilities).schema)
        hourly = intensities_over(session, intensities, hours_needed(jobs, longest))
    else:
        if dbt.is_incremental:
            loaded = pl.concat([loaded_since_last_build(dbt, session, intensities),
                                loaded_since_last_build(dbt, session, forecasts)])
            jobs = jobs_to_price(jobs, session.sql(f"select distinct job_key, job_version from {dbt.this}").pl(),
                                 loaded, longest)
        hourly = intensities_over(session, intensities, hours_needed(jobs, longest))
        replays = replay_jobs(jobs, hourly, flexibilities)
    issues, forecast_values = forecasts_over(session, forecasts, hours_needed(jobs, longest))
    decided = decide_jobs(jobs, hourly, forecast_values, flexibilities, issues)
    return (replays.join(decided, on=["job_key", "flexibility_h"], how="left", maintain_order="left")
            .with_columns(loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us"))))
