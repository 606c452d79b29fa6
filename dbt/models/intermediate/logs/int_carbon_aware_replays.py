import polars as pl

from ingestion.core.attribution import best_starts, build_index


def model(dbt, session):
    """For each job priced on hourly data and each flexibility (hours a job may wait, model config
    flexibility_hours), the start with the least carbon: a windowed minimum over the cumulative sums."""
    dbt.config(materialized="table")
    flexibilities = [int(h) for h in dbt.config.get("flexibility_hours") or [0, 6, 24]]
    hourly = (dbt.ref("int_grid_intensity_hourly_for_pricing").pl()
              .select("zone_id", "hour_start", "gco2e_per_kwh"))
    jobs = dbt.ref("int_jobs_unified").pl().rename({"start_utc": "start", "end_utc": "end"})
    hours = (pl.col("end") - pl.col("start")).dt.total_microseconds() / 3.6e9
    jobs = (jobs.filter((hours > 0) & (pl.col("it_energy_kwh") > 0))
            .with_columns(power_kw=pl.col("it_energy_kwh") * pl.col("pue") / hours)
            .sort("job_key"))
    replays = best_starts(jobs.select("job_key", "zone_id", "start", "end", "power_kw"), build_index(hourly),
                          flexibilities)
    return replays.sort("job_key", "flexibility_h")
