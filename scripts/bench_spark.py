"""`make bench-spark`: the Spark backend (local[2]) beside the local polars path, on the same partitions.

For each warehouse a `make bench-pipeline` run left under --work (run-<days>d-<years>y: a synthetic
256-GPU fleet's power-sample partitions, its jobs and a year or more of hourly intensity for 250
zones), it times the three computations the backend takes over, both ways, and prints the time per
partition (a cluster-day of samples; a zone-day of jobs):

  - power hours: each sample partition summed per host, zone and hour (core/attribution.hourly_energy),
  - job days: every job priced per UTC day (core/log_pricing.price_job_days),
  - replays: every job's carbon-aware replay (core/log_pricing.replay_jobs).

    python scripts/bench_spark.py [--work /tmp/footprint-bench] [--master local[2]] [--runs run-7d-1y,run-30d-1y]

Not a test: it prints numbers. Spark pays a JVM, Python workers and Arrow transfers per task; on two
cores it is not expected to beat one polars process: what it shows is that its cost is linear in
partitions, which is what scales out on a cluster.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingestion.core.attribution import hourly_energy  # noqa: E402
from ingestion.core.log_pricing import price_job_days, replay_jobs  # noqa: E402
from ingestion.spark import attribution  # noqa: E402
from ingestion.spark.session import spark_session  # noqa: E402

FLEXIBILITIES = [0, 3, 6, 12, 24]


def inputs(warehouse: Path, folder: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        jobs, hourly, annual = attribution.export_inputs(conn, folder)
    if jobs["job_version"].dtype == pl.UInt64:  # a warehouse built when job_version was unsigned
        jobs = jobs.with_columns((pl.col("job_version") // 2).cast(pl.Int64))
        jobs.write_parquet(folder / "jobs.parquet")
    return jobs, hourly, annual


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def bench_run(spark, run: Path) -> None:
    """Print one table row per computation for the warehouse of one bench-pipeline size."""
    facts = run / "warehouse" / "facts" / "gpu_power_samples"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        jobs, hourly, annual = inputs(run / "warehouse" / "footprint.duckdb", folder)
        files = sorted(facts.glob("cluster=*/day=*/data.parquet"))
        days = jobs.select("zone_id", pl.col("start").dt.date()).n_unique()
        cases = {
            "power hours": (len(files), lambda: sum(
                hourly_energy(pl.read_parquet(f), by=("cluster", "host", "zone_id")).height for f in files),
                lambda: attribution.power_hours(spark, facts, folder / "power")),
            "job days": (days, lambda: price_job_days(jobs, hourly, annual).height,
                         lambda: attribution.job_days(spark, folder / "jobs.parquet", folder / "hourly.parquet",
                                                      annual, folder / "days")),
            "replays": (days, lambda: replay_jobs(jobs, hourly, FLEXIBILITIES).height,
                        lambda: attribution.replays(spark, folder / "jobs.parquet", folder / "hourly.parquet",
                                                    FLEXIBILITIES, folder / "replays")),
        }
        for name, (partitions, local, remote) in cases.items():
            local_s, rows = timed(local)
            spark_s, spark_rows = timed(remote)
            assert rows == spark_rows, f"{name}: local {rows} rows, Spark {spark_rows}"
            print(f"| {run.name} | {name} | {partitions} | {rows:,} | {local_s:.1f} s | "
                  f"{local_s / partitions * 1000:.0f} ms | {spark_s:.1f} s | {spark_s / partitions * 1000:.0f} ms |",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "footprint-bench")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--runs", default="run-7d-1y,run-30d-1y", help="bench-pipeline sizes to use, by folder")
    args = parser.parse_args()
    runs = sorted((args.work / name for name in args.runs.split(",")
                   if (args.work / name / "warehouse" / "footprint.duckdb").exists()),
                  key=lambda p: [int(n) for n in re.findall(r"\d+", p.name)])
    if not runs:
        sys.exit(f"no warehouse of `make bench-pipeline` under {args.work}: run it first")
    spark = spark_session(args.master)
    print(f"machine: {os.cpu_count()} cores; Spark {spark.version} master {args.master}")
    print("| warehouse | computation | partitions | rows out | local polars | per partition | Spark | per partition |")
    print("|---|---|---|---|---|---|---|---|")
    for run in runs:
        bench_run(spark, run)
    spark.stop()


if __name__ == "__main__":
    main()
