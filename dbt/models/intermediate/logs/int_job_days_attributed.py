import polars as pl

from ingestion.core.attribution import annual_by_zone, attribute_jobs, build_index, split_by_day


def model(dbt, session):
    """Each job split by UTC day and priced by the polars core: facility power x the integral of the
    zone's hourly intensity (cumulative sums), else its annual value, flagged."""
    dbt.config(materialized="table")
    hourly = (dbt.ref("int_grid_intensity_hourly_for_pricing").pl()
              .select("zone_id", "hour_start", "gco2e_per_kwh"))
    annual = annual_by_zone(
        dbt.ref("fct_grid_intensity_annual").pl().filter(pl.col("basis") == "lifecycle"),
        dbt.ref("dim_grid_zones").pl())
    jobs = dbt.ref("int_jobs_unified").pl().rename({"start_utc": "start", "end_utc": "end"})
    hours = (pl.col("end") - pl.col("start")).dt.total_microseconds() / 3.6e9
    jobs = jobs.with_columns(job_hours=hours).with_columns(
        power_kw=pl.when(pl.col("job_hours") > 0).then(pl.col("it_energy_kwh") * pl.col("pue") / pl.col("job_hours"))
        .otherwise(0.0))
    pieces = attribute_jobs(split_by_day(jobs).sort("job_key", "day"), build_index(hourly), annual)
    # each day's piece carries its share of the job's IT energy (constant power)
    share = pl.when(pl.col("job_hours") > 0).then(pl.col("hours") / pl.col("job_hours")).otherwise(1.0)
    return (pieces.with_columns(it_energy_kwh=pl.col("it_energy_kwh") * share)
            .rename({"start": "start_utc", "end": "end_utc", "energy_kwh": "facility_energy_kwh",
                     "kgco2e": "location_kgco2e"})
            .drop("power_kw", "job_hours"))
