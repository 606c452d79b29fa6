"""Which jobs and hours a refresh prices again: the pure half of the incremental log models.

A job is priced again when it is new or its row changed (its version, a hash of the row, is not among
those priced), or when an intensity of an hour in its window was loaded since it was priced (a late
feed, a better kind of value for an hour). Its window is [start, end + extra_hours): the replay of a
flexible job reads the hours it may be delayed into. The attribution core prices a job from the
hours of its window alone, to the last bit (core/attribution.py), so the intensities read for a
refresh are those of the priced jobs' zones over their windows, not the history.
"""

from __future__ import annotations

import polars as pl


def _window_end(extra_hours: int) -> pl.Expr:
    return pl.col("end") + pl.duration(hours=extra_hours)


def jobs_to_price(jobs: pl.DataFrame, priced: pl.DataFrame, loaded: pl.DataFrame,
                  extra_hours: int = 0) -> pl.DataFrame:
    """jobs: job_key, job_version, zone_id, start, end (naive UTC) and any other columns; priced:
    job_key, job_version of what the model holds; loaded: zone_id, hour_start of the intensities
    loaded since. The jobs to price again, in the order of `jobs`."""
    changed = jobs.join(priced.select("job_key", "job_version"), on=["job_key", "job_version"], how="anti")
    if loaded.height:
        windows = jobs.select("job_key", "zone_id", pl.col("start").dt.truncate("1h").alias("lo"),
                              _window_end(extra_hours).alias("hi"))
        touched = (windows.join_where(loaded.select("zone_id", "hour_start").rename({"zone_id": "loaded_zone"}),
                                      pl.col("zone_id") == pl.col("loaded_zone"),
                                      pl.col("hour_start") >= pl.col("lo"), pl.col("hour_start") < pl.col("hi"))
                   .select("job_key").unique())
        changed = pl.concat([changed.select("job_key"), touched]).unique()
        return jobs.join(changed, on="job_key", how="semi", maintain_order="left")
    return changed


def hours_needed(jobs: pl.DataFrame, extra_hours: int = 0) -> pl.DataFrame:
    """Per zone, the hours the jobs' windows cover: zone_id, first_hour, last_hour (inclusive)."""
    return (jobs.group_by("zone_id")
            .agg(first_hour=pl.col("start").min().dt.truncate("1h"),
                 last_hour=_window_end(extra_hours).max().dt.truncate("1h"))
            .sort("zone_id"))


# The reads the incremental dbt python models share: a DuckDB connection (dbt's `session`) and
# relations (dbt.ref) in, polars out.

def loaded_since_last_build(dbt, session, intensities) -> pl.DataFrame:
    """zone_id, hour_start of the intensities loaded after the newest one the model priced with at its
    last build (intermediate.incremental_watermarks, kept by the record_watermark post_hook); all of
    them when there is none (a warehouse built before the watermarks were kept)."""
    schema = dbt.this.schema
    (kept,) = session.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                              [schema, "incremental_watermarks"]).fetchone()
    (since,) = session.execute(
        f"select coalesce(max(loaded_at), timestamp '1900-01-01') from {schema}.incremental_watermarks "
        "where model = ?", [dbt.this.identifier]).fetchone() if kept else (None,)
    if since is None:
        return intensities.select("zone_id, hour_start").pl()
    return intensities.filter(f"loaded_at > timestamp '{since}'").select("zone_id, hour_start").pl()


def intensities_over(session, intensities, needed: pl.DataFrame) -> pl.DataFrame:
    """zone_id, hour_start, gco2e_per_kwh of `intensities` in the zones and hour ranges of `needed`
    (hours_needed), read by DuckDB: a refresh reads its jobs' windows, not the years before them."""
    return session.sql(
        "select i.zone_id, i.hour_start, i.gco2e_per_kwh from intensities as i inner join needed as n "
        "on i.zone_id = n.zone_id and i.hour_start between n.first_hour and n.last_hour "
        "order by i.zone_id, i.hour_start").pl()


def forecasts_over(session, forecasts, needed: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Of the forecasts as issued (int_grid_forecasts_hourly) in the zones of `needed`: every issue
    (zone_id, issued_at), so each job finds the latest forecast before its decision whichever jobs
    are priced with it, and the values (zone_id, issued_at, hour_start, gco2e_per_kwh) of the hours of
    `needed`, one per zone, issue time and hour, on the lifecycle basis where a feed forecasts both,
    as the pricing series prefers."""
    issues = session.sql("select distinct f.zone_id, f.issued_at from forecasts as f "
                         "semi join needed as n on f.zone_id = n.zone_id order by 1, 2").pl()
    values = session.sql(
        "select f.zone_id, f.issued_at, f.hour_start, f.gco2e_per_kwh from forecasts as f inner join needed as n "
        "on f.zone_id = n.zone_id and f.hour_start between n.first_hour and n.last_hour "
        "qualify row_number() over (partition by f.zone_id, f.issued_at, f.hour_start "
        "order by f.basis = 'lifecycle' desc, f.feed) = 1 order by f.zone_id, f.issued_at, f.hour_start").pl()
    return issues, values
