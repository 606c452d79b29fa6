"""The log models' arithmetic, once: the dbt python models (int_job_days_attributed,
int_carbon_aware_replays) and the Spark backend's tasks (ingestion/spark/attribution.py) both call
these, on the whole history or on one zone's jobs and hours. Prices depend on the hours of a job's
window only (core/attribution.py), so any split of the jobs by zone or time gives the same rows.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ingestion.core.attribution import attribute_jobs, best_starts, build_index, split_by_day
from ingestion.core.decisions import decided_starts
from ingestion.core.footprint import off_site_water_intensity

# The hourly intensities both take: one row per zone and hour.
HOURLY_SCHEMA = {"zone_id": pl.String, "hour_start": pl.Datetime("us"), "gco2e_per_kwh": pl.Float64}


def _hours(jobs: pl.DataFrame) -> pl.Series:
    """Each job's wall-clock hours. Divisions here are numpy's, row by row: polars divides a long
    column by multiplying with the reciprocal and a short one by dividing, which round differently,
    and a job priced in a small group (a refresh, a Spark task) would not get the bits it gets among
    many."""
    return pl.Series((jobs["end"] - jobs["start"]).dt.total_microseconds().to_numpy() / 3.6e9)


def _ratio(frame: pl.DataFrame, numerator: pl.Expr, denominator: str, otherwise: float) -> pl.Series:
    """numerator / frame[denominator] row by row in numpy (otherwise where it is not positive)."""
    top, bottom = frame.select(numerator).to_series().to_numpy(), frame[denominator].to_numpy()
    return pl.Series(np.divide(top, bottom, out=np.full(len(top), otherwise), where=bottom > 0))


def price_job_days(jobs: pl.DataFrame, hourly: pl.DataFrame, annual: pl.DataFrame) -> pl.DataFrame:
    """jobs: the rows of int_jobs_unified with start_utc, end_utc as start, end. Each job split by UTC
    day and priced: facility power (IT energy x PUE over the job's hours, constant) x the integral of
    the zone's hourly intensity, else its annual value, flagged. One row per job and day."""
    jobs = jobs.with_columns(job_hours=_hours(jobs))
    jobs = jobs.with_columns(power_kw=_ratio(jobs, pl.col("it_energy_kwh") * pl.col("pue"), "job_hours", 0.0))
    pieces = attribute_jobs(split_by_day(jobs).sort("job_key", "day"), build_index(hourly), annual)
    # each day's piece carries its share of the job's IT energy (constant power)
    share = _ratio(pieces, pl.col("hours"), "job_hours", 1.0)
    return (pieces.with_columns(it_energy_kwh=pl.col("it_energy_kwh") * share)
            .rename({"start": "start_utc", "end": "end_utc", "energy_kwh": "facility_energy_kwh",
                     "kgco2e": "location_kgco2e"})
            .drop("power_kw", "job_hours"))


def with_water(days: pl.DataFrame, ewif: pl.DataFrame, zones: pl.DataFrame) -> pl.DataFrame:
    """Each priced job-day (price_job_days) with its on-site water (IT energy x the cluster's WUE) and
    off-site water (facility energy x the EWIF of its zone, else country, for the day's year, chosen as
    for a workload: core/footprint.off_site_water_intensity). ewif: annual_ewif rows; zones: zone_id,
    country_zone_id."""
    country = dict(zones.select("zone_id", "country_zone_id").iter_rows())
    years = days.select("zone_id", year=pl.col("day").dt.year()).unique().sort("zone_id", "year")
    lookup = pl.DataFrame(
        [{"zone_id": zone, "year": year, "ewif_l_per_kwh": (found or (None, None, None))[1], "ewif_source": source}
         for zone, year in years.iter_rows()
         for found, source in [off_site_water_intensity(ewif, zone, country.get(zone, zone), year)]],
        schema={"zone_id": pl.String, "year": pl.Int32, "ewif_l_per_kwh": pl.Float64, "ewif_source": pl.String})
    return (days.with_columns(year=pl.col("day").dt.year())
            .join(lookup, on=["zone_id", "year"], how="left", maintain_order="left")
            .with_columns(water_onsite_l=pl.col("it_energy_kwh") * pl.col("wue_l_per_kwh"),
                          water_offsite_l=pl.col("facility_energy_kwh") * pl.col("ewif_l_per_kwh"))
            .drop("year"))


def _runnable(jobs: pl.DataFrame) -> pl.DataFrame:
    """The jobs a replay can move (a duration and energy), with their constant facility power."""
    runnable = (jobs.with_columns(job_hours=_hours(jobs))
                .filter((pl.col("job_hours") > 0) & (pl.col("it_energy_kwh") > 0)))
    return runnable.with_columns(
        power_kw=_ratio(runnable, pl.col("it_energy_kwh") * pl.col("pue"), "job_hours", 0.0)).sort("job_key")


def replay_jobs(jobs: pl.DataFrame, hourly: pl.DataFrame, flexibilities: list[int]) -> pl.DataFrame:
    """For each job (int_jobs_unified rows, start and end) and each flexibility, the least-carbon start
    (core/attribution.best_starts), with the job's version. A job without a replay (not every hour
    priced hourly, or no energy) gets one row with flexibility_h null: it was looked at, in that
    version."""
    versions = jobs.select("job_key", "job_version")
    runnable = _runnable(jobs)
    replays = best_starts(runnable.select("job_key", "zone_id", "start", "end", "power_kw"), build_index(hourly),
                          flexibilities)
    without = versions.join(replays.select("job_key"), on="job_key", how="anti")
    return (pl.concat([replays.join(versions, on="job_key", how="left"), without], how="diagonal")
            .sort("job_key", "flexibility_h", nulls_last=True))


def decide_jobs(jobs: pl.DataFrame, hourly: pl.DataFrame, forecasts: pl.DataFrame,
                flexibilities: list[int], issues: pl.DataFrame | None = None) -> pl.DataFrame:
    """For each job (int_jobs_unified rows: start, end, submit_utc) and each flexibility, the start a
    scheduler picks on the latest forecast issued before the job's submit time (its start when none
    is logged), priced on the actual hourly series (core/decisions.decided_starts)."""
    runnable = _runnable(jobs).with_columns(decided_at=pl.coalesce("submit_utc", "start"))
    return decided_starts(runnable.select("job_key", "zone_id", "start", "end", "decided_at", "power_kw"),
                          build_index(hourly), forecasts, flexibilities, issues)
