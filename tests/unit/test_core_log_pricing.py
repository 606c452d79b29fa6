"""The log models' arithmetic (core/log_pricing.py) gives a job the same bits alone as among others:
what lets a Spark task price a zone-day of jobs and equal the whole run."""

import datetime as dt
import random

import polars as pl

from ingestion.core.log_pricing import HOURLY_SCHEMA, price_job_days, replay_jobs

T0 = dt.datetime(2025, 1, 1)
ANNUAL = pl.DataFrame({"zone_id": ["FR"], "year": [2025], "gco2e_per_kwh": [56.0]})


def test_a_job_priced_alone_gets_the_bits_it_gets_among_others():
    rng = random.Random(5)
    starts = [T0 + dt.timedelta(minutes=rng.randrange(0, 20 * 24 * 60)) for _ in range(300)]
    jobs = pl.DataFrame({"job_key": [f"j{i}" for i in range(300)], "zone_id": "FR", "start": starts,
                         "end": [s + dt.timedelta(minutes=rng.randrange(1, 3000)) for s in starts],
                         "it_energy_kwh": [rng.uniform(0.1, 400) for _ in starts], "pue": 1.23,
                         "job_version": list(range(300))})
    hours = pl.DataFrame({"zone_id": "FR", "hour_start": [T0 + dt.timedelta(hours=h) for h in range(24 * 23)],
                          "gco2e_per_kwh": [round(rng.uniform(20, 90), 6) for _ in range(24 * 23)]},
                         schema=HOURLY_SCHEMA)
    together = price_job_days(jobs, hours, ANNUAL).sort("job_key", "day")
    alone = pl.concat([price_job_days(jobs[i:i + 1], hours, ANNUAL) for i in range(len(jobs))]).sort("job_key", "day")
    assert alone.equals(together)
    replays = replay_jobs(jobs, hours, [0, 6])
    assert pl.concat([replay_jobs(jobs[i:i + 1], hours, [0, 6]) for i in range(len(jobs))]).sort(
        "job_key", "flexibility_h").equals(replays.sort("job_key", "flexibility_h"))
