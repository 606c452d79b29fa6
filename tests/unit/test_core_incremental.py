"""Which jobs a refresh prices again (ingestion/core/incremental.py)."""

import datetime as dt

import polars as pl

from ingestion.core.incremental import hours_needed, jobs_to_price

T0 = dt.datetime(2025, 3, 1)


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


JOBS = pl.DataFrame({"job_key": ["a", "b", "c", "d"], "job_version": [1, 2, 3, 4],
                     "zone_id": ["FR", "FR", "DE", "FR"],
                     "start": [at(0.5), at(5), at(0), at(10)], "end": [at(2), at(6.5), at(3), at(11)]})
NONE_LOADED = pl.DataFrame(schema={"zone_id": pl.String, "hour_start": pl.Datetime("us")})


def test_new_and_changed_jobs_are_priced_and_unchanged_ones_are_not():
    priced = pl.DataFrame({"job_key": ["a", "b", "c"], "job_version": [1, 99, 3]})
    assert jobs_to_price(JOBS, priced, NONE_LOADED)["job_key"].to_list() == ["b", "d"]


def test_a_loaded_hour_reprices_the_jobs_of_its_zone_that_ran_in_it():
    priced = JOBS.select("job_key", "job_version")
    loaded = pl.DataFrame({"zone_id": ["FR", "DE"], "hour_start": [at(1), at(6)]})
    # a ran in FR hour 1 (from 0:30); c ran in DE but not at hour 6; b ended before
    assert jobs_to_price(JOBS, priced, loaded)["job_key"].to_list() == ["a"]
    # with 5 hours of flexibility a replay of b (5:00-6:30) may move into FR hours up to 11:30
    late = pl.DataFrame({"zone_id": ["FR"], "hour_start": [at(11)]})
    assert jobs_to_price(JOBS, priced, late, extra_hours=5)["job_key"].to_list() == ["b", "d"]
    assert jobs_to_price(JOBS, priced, late)["job_key"].to_list() == []  # d ended as hour 11 began


def test_the_hours_needed_cover_every_window_per_zone():
    needed = hours_needed(JOBS, extra_hours=2)
    assert needed.rows() == [("DE", at(0), at(5)), ("FR", at(0), at(13))]
