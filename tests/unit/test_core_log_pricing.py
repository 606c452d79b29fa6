"""The log models' arithmetic (core/log_pricing.py) gives a job the same bits alone as among others:
what lets a Spark task price a zone-day of jobs and equal the whole run."""

import datetime as dt
import random

import polars as pl

from ingestion.core.log_pricing import HOURLY_SCHEMA, price_job_days, replay_jobs, with_water

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


def test_a_job_days_water_uses_the_ewif_of_its_year_as_a_workload_would():
    """Off-site water: the zone's EWIF for the day's year (else the latest earlier one), else its
    country's; the same choice workload_footprint makes. By hand: 10 kWh x 1.5 L/kWh on site, 12 kWh
    x the year's EWIF off site."""
    ewif = pl.DataFrame({"zone_id": ["SE", "SE", "GB"], "year": [2021, 2022, 2022],
                         "ewif_low_l_per_kwh": [0.1, 0.2, 1.0], "ewif_l_per_kwh": [0.5, 0.7, 2.0],
                         "ewif_high_l_per_kwh": [0.9, 1.1, 3.0]}, schema_overrides={"year": pl.Int32})
    zones = pl.DataFrame({"zone_id": ["SE", "SE-SE4", "XX"], "country_zone_id": ["SE", "SE", "XX"]})
    days = pl.DataFrame({"job_key": ["a", "a", "b", "c"], "zone_id": ["SE-SE4", "SE-SE4", "SE", "XX"],
                         "day": [dt.date(2021, 12, 31), dt.date(2025, 1, 1), dt.date(2020, 6, 1), dt.date(2022, 1, 1)],
                         "it_energy_kwh": 10.0, "facility_energy_kwh": 12.0, "wue_l_per_kwh": 1.5})
    out = with_water(days, ewif, zones)
    assert out["water_onsite_l"].to_list() == [15.0, 15.0, 15.0, 15.0]
    # 2021 -> 2021; 2025 -> latest earlier (2022); 2020 -> none earlier, the latest (2022); XX -> none
    assert out["ewif_l_per_kwh"].to_list() == [0.5, 0.7, 0.7, None]
    assert out["water_offsite_l"].to_list() == [6.0, 12.0 * 0.7, 12.0 * 0.7, None]
    assert out["ewif_source"].to_list()[:2] == ["annual SE 2021 (Macknick x mix)", "annual SE 2022 (Macknick x mix)"]
    assert out["ewif_source"][3] == "no EWIF for this zone"
