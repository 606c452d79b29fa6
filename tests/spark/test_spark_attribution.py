"""The Spark backend in local[2] gives the rows the local polars path gives, on a small synthetic fleet
(jobs over three zones and three months, hours with gaps, several days of power samples)."""

import datetime as dt
import random

import polars as pl
import pytest

from ingestion.core.attribution import hourly_energy
from ingestion.core.log_pricing import HOURLY_SCHEMA, price_job_days, replay_jobs
from ingestion.spark import attribution

pytestmark = pytest.mark.spark
T0 = dt.datetime(2025, 1, 1)
ZONES = ["FR", "DE", "GB"]


def synthetic_jobs(rng: random.Random, n: int = 600) -> pl.DataFrame:
    """Jobs as int_jobs_unified gives them (start/end renamed), some crossing midnight or a month."""
    rows = []
    for i in range(n):
        start = T0 + dt.timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
        rows.append({"job_key": f"synthetic/{i}", "log_kind": "slurm", "cluster": "synthetic", "job_id": str(i),
                     "zone_id": rng.choice(ZONES), "start": start,
                     "end": start + dt.timedelta(minutes=rng.choice([0, 5, 90, 600, 3000])),
                     "it_energy_kwh": rng.choice([0.0, rng.uniform(0.1, 400)]), "pue": 1.2, "wue_l_per_kwh": 0.4,
                     "gpus": rng.choice([1, 8, 64]), "job_version": rng.getrandbits(62)})
    return pl.DataFrame(rows)


def synthetic_hours(rng: random.Random) -> pl.DataFrame:
    """Three months of hourly intensity per zone, 6 decimals, with gaps (some jobs fall back to annual)."""
    rows = [{"zone_id": zone, "hour_start": T0 + dt.timedelta(hours=h), "gco2e_per_kwh": round(rng.uniform(20, 700), 6)}
            for zone in ZONES for h in range(92 * 24) if rng.random() > 0.01]
    return pl.DataFrame(rows, schema=HOURLY_SCHEMA)


ANNUAL = pl.DataFrame({"zone_id": ZONES, "year": [2025] * 3, "gco2e_per_kwh": [56.0, 380.0, 210.0]})


def same_rows(local: pl.DataFrame, spark_out: pl.DataFrame, keys: list[str]) -> None:
    spark_out = spark_out.select(local.columns).cast(dict(local.schema))
    assert spark_out.sort(keys, nulls_last=True).equals(local.sort(keys, nulls_last=True))


def test_job_days_and_replays_on_spark_equal_the_local_path(spark, tmp_path):
    rng = random.Random(20250101)
    jobs, hours = synthetic_jobs(rng), synthetic_hours(rng)
    jobs.write_parquet(tmp_path / "jobs.parquet")
    hours.write_parquet(tmp_path / "hourly.parquet")

    assert attribution.job_days(spark, tmp_path / "jobs.parquet", tmp_path / "hourly.parquet", ANNUAL,
                                tmp_path / "days") > len(jobs)  # jobs crossing midnight give several days
    local_days = price_job_days(jobs, hours, ANNUAL)
    spark_days = pl.read_parquet(tmp_path / "days" / "**" / "*.parquet", hive_partitioning=True)
    same_rows(local_days, spark_days, ["job_key", "day"])
    assert set(local_days["intensity_basis"]) == {"hourly", "annual (no hourly data for every hour)"}
    total = spark_days["location_kgco2e"].sum()
    assert total == pytest.approx(local_days["location_kgco2e"].sum(), rel=1e-9) and total > 0

    attribution.replays(spark, tmp_path / "jobs.parquet", tmp_path / "hourly.parquet", [0, 6, 24],
                        tmp_path / "replays")
    local_replays = replay_jobs(jobs, hours, [0, 6, 24])
    same_rows(local_replays, pl.read_parquet(tmp_path / "replays" / "**" / "*.parquet", hive_partitioning=True),
              ["job_key", "flexibility_h"])
    assert local_replays["flexibility_h"].null_count() > 0  # jobs without a replay are there too


def test_power_hours_on_spark_equal_the_power_stores_sums(spark, tmp_path):
    rng = random.Random(7)
    samples = tmp_path / "gpu_power_samples"
    local = []
    for cluster, zone in (("a", "FR"), ("b", "GB")):
        for day in range(3):
            start = T0 + dt.timedelta(days=day)
            frame = pl.DataFrame({
                "cluster": cluster, "host": [f"n{rng.randrange(3)}" for _ in range(4000)], "gpu_index": 0,
                "timestamp": [start + dt.timedelta(seconds=rng.randrange(86400)) for _ in range(4000)],
                "power_w": [rng.uniform(50, 700) for _ in range(4000)],
                "interval_s": [rng.uniform(1, 20) for _ in range(4000)], "zone_id": zone})
            folder = samples / f"cluster={cluster}" / f"day={start.date()}"
            folder.mkdir(parents=True)
            frame.write_parquet(folder / "data.parquet")
            local.append(hourly_energy(frame, by=("cluster", "host", "zone_id")))
    assert attribution.power_hours(spark, samples, tmp_path / "hourly") == sum(len(f) for f in local)
    spark_hours = pl.read_parquet(tmp_path / "hourly" / "**" / "*.parquet", hive_partitioning=True).drop("day")
    same_rows(pl.concat(local), spark_hours, ["cluster", "host", "zone_id", "hour_start"])


def test_a_failed_spark_job_leaves_the_partitions_it_had_written(spark, tmp_path):
    rng = random.Random(3)
    jobs, hours = synthetic_jobs(rng, 50), synthetic_hours(rng)
    jobs.write_parquet(tmp_path / "jobs.parquet")
    hours.write_parquet(tmp_path / "hourly.parquet")
    attribution.job_days(spark, tmp_path / "jobs.parquet", tmp_path / "hourly.parquet", ANNUAL, tmp_path / "days")
    before = {p: p.read_bytes() for p in sorted((tmp_path / "days").rglob("*.parquet"))}
    # two values for the hour a job starts in: the task of its group raises (core/attribution.build_index)
    first = jobs.row(0, named=True)
    twice = hours.filter((pl.col("zone_id") == first["zone_id"])
                         & (pl.col("hour_start") == first["start"].replace(minute=0, second=0, microsecond=0)))
    assert twice.height == 1
    pl.concat([hours, twice]).write_parquet(tmp_path / "hourly.parquet")
    with pytest.raises(Exception, match="several values"):
        attribution.job_days(spark, tmp_path / "jobs.parquet", tmp_path / "hourly.parquet", ANNUAL, tmp_path / "days")
    assert {p: p.read_bytes() for p in sorted((tmp_path / "days").rglob("*.parquet"))} == before
