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
    forecast issued before the job's submit time, priced on the actual (core/decisions.py). On the
    average intensity (signal "average"), and where the job's zone has WattTime's marginal rate, on
    that too (signal "marginal": the emissions the shift avoids at the margin). A job
    without a replay (not every hour priced hourly, or no energy) keeps one row with flexibility_h
    null: the version it was looked at in, so a refresh does not look at it again until it changes,
    and what replaces the replays of a job that lost them.

    Incremental like int_job_days_attributed, over windows that reach the longest delay; a forecast
    loaded into a job's window since the last build replays the job again. With the Spark backend
    (FOOTPRINT_SPARK_MASTER), the hindsight replays on the average signal it computed, every job; the
    decisions and the marginal signal here."""
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="job_key")
    flexibilities = [int(h) for h in dbt.config.get("flexibility_hours") or [0, 6, 24]]
    longest = max(flexibilities)
    signals = {"average": (dbt.ref("int_grid_intensity_hourly_for_pricing"), dbt.ref("int_grid_forecasts_hourly")),
               "marginal": (dbt.ref("int_grid_marginal_hourly"), dbt.ref("int_grid_marginal_forecasts_hourly"))}
    jobs = dbt.ref("int_jobs_unified").pl().rename({"start_utc": "start", "end_utc": "end"})
    spark = dbt.config.get("attribution_backend") == "spark"
    if spark:
        replays = read_output(session, "carbon_aware_replays",
                              replay_jobs(jobs.head(0), pl.DataFrame(schema=HOURLY_SCHEMA), flexibilities).schema)
    elif dbt.is_incremental:
        loaded = pl.concat([loaded_since_last_build(dbt, session, relation)
                            for pair in signals.values() for relation in pair])
        jobs = jobs_to_price(jobs, session.sql(f"select distinct job_key, job_version from {dbt.this}").pl(),
                             loaded, longest)
    out = []
    needed = hours_needed(jobs, longest)  # the zones and hours the jobs' windows reach, both signals
    for signal, (intensities, forecasts) in signals.items():
        hourly = intensities_over(session, intensities, needed)
        these = jobs
        if signal == "marginal":  # only the jobs of zones with a marginal rate, and only their replays
            these = jobs.filter(pl.col("zone_id").is_in(hourly["zone_id"].unique().implode()))
            replays = replay_jobs(these, hourly, flexibilities).filter(pl.col("flexibility_h").is_not_null())
        elif not spark:
            replays = replay_jobs(jobs, hourly, flexibilities)
        issues, forecast_values = forecasts_over(session, forecasts, needed)
        decided = decide_jobs(these, hourly, forecast_values, flexibilities, issues)
        out.append(replays.join(decided, on=["job_key", "flexibility_h"], how="left", maintain_order="left")
                   .with_columns(signal=pl.lit(signal)))
    return (pl.concat(out, how="diagonal_relaxed")
            .with_columns(loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us"))))
