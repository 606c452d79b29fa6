"""Benchmark of carbon-aware replays as decided (core/decisions.py) beside the hindsight replay, at fleet size.

All inputs are SYNTHETIC (seeded): `--zones` zones with a year of hourly intensity (daily shape and
noise), a forecast issued every hour in every zone for the next 48 hours (the actual plus an error
that grows with the lead time), and `--jobs` jobs with log-normal durations (mean about 8 hours),
submitted up to 6 hours before they start. Each replay runs in its own process on the same Parquet
files, so its peak memory is its own; the time excludes reading the inputs.

    python scripts/bench_decisions.py [--jobs 1000000] [--zones 10]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

YEAR_START = np.datetime64("2024-01-01T00:00:00", "us")
HOURS = 8784
HORIZON = 48
FLEXIBILITIES = [0, 3, 6, 12, 24]


def make_inputs(folder: Path, zones: int, jobs: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    hour = np.arange(HOURS)
    names = np.array([f"Z{z:02d}" for z in range(zones)])
    base = rng.uniform(50, 600, zones)[:, None]
    actual = np.clip(base * (1 + 0.3 * np.sin(2 * np.pi * (hour % 24 - 6) / 24))[None, :]
                     * rng.normal(1, 0.05, (zones, HOURS)), 1, None)
    pl.DataFrame({"zone_id": np.repeat(names, HOURS),
                  "hour_start": np.tile(YEAR_START + hour.astype("timedelta64[h]"), zones),
                  "gco2e_per_kwh": actual.ravel()}).write_parquet(folder / "hourly.parquet")
    issue = np.arange(HOURS - HORIZON)  # one forecast per zone and hour, for the next 48 hours
    lead = np.arange(HORIZON)
    target = issue[:, None] + lead[None, :]
    frames = []
    for z in range(zones):
        error = rng.normal(0, 0.01, (len(issue), HORIZON)) * (1 + lead)[None, :]
        frames.append(pl.DataFrame({
            "zone_id": names[z],
            "issued_at": np.repeat(YEAR_START + issue.astype("timedelta64[h]"), HORIZON),
            "hour_start": (YEAR_START + target.astype("timedelta64[h]")).ravel(),
            "gco2e_per_kwh": np.round(actual[z][target] * (1 + error), 6).ravel()}))
    pl.concat(frames).write_parquet(folder / "forecasts.parquet")
    duration_h = np.clip(rng.lognormal(np.log(8) - 0.5, 1.0, jobs), 1 / 60, 200)
    start_h = rng.uniform(6, HOURS - duration_h - 30)
    start = YEAR_START + (start_h * 3.6e9).astype("timedelta64[us]")
    pl.DataFrame({
        "job_key": [f"j{i}" for i in range(jobs)], "job_version": np.arange(jobs),
        "zone_id": names[rng.integers(0, zones, jobs)],
        "start": start, "end": start + (duration_h * 3.6e9).astype("timedelta64[us]"),
        "submit_utc": start - (rng.uniform(0, 6, jobs) * 3.6e9).astype("timedelta64[us]"),
        "it_energy_kwh": duration_h * rng.uniform(0.3, 8.0, jobs), "pue": np.full(jobs, 1.2),
    }).write_parquet(folder / "jobs.parquet")


def _run(kind: str, folder: str, queue) -> None:
    from ingestion.core.log_pricing import decide_jobs, replay_jobs

    jobs, hourly = pl.read_parquet(f"{folder}/jobs.parquet"), pl.read_parquet(f"{folder}/hourly.parquet")
    forecasts = pl.read_parquet(f"{folder}/forecasts.parquet") if kind == "decided" else None
    started = time.perf_counter()
    if kind == "decided":
        out = decide_jobs(jobs, hourly, forecasts, FLEXIBILITIES)
        total = float(out["decided_kgco2e"].sum())
    else:
        out = replay_jobs(jobs, hourly, FLEXIBILITIES)
        total = float(out["best_kgco2e"].sum())
    seconds = time.perf_counter() - started
    queue.put((seconds, out.height, total, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(kind: str, folder: Path) -> tuple:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(kind, str(folder), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--zones", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        make_inputs(folder, args.zones, args.jobs)
        forecast_rows = pl.scan_parquet(folder / "forecasts.parquet").select(pl.len()).collect().item()
        print(f"inputs: {args.jobs:,} jobs, {args.zones} zones x {HOURS:,} hours, {forecast_rows:,} forecast rows "
              f"({HORIZON} h ahead, issued hourly), flexibilities {FLEXIBILITIES} "
              f"({time.perf_counter() - started:.1f} s to write)")
        print(f"{'replay':<10} {'time':>8} {'rows':>12} {'peak RSS':>10}  total kgCO2e")
        for kind in ("hindsight", "decided"):
            seconds, rows, total, peak_mb = measure(kind, folder)
            print(f"{kind:<10} {seconds:>7.2f}s {rows:>12,} {peak_mb:>8.0f}MB  {total:,.0f}")


if __name__ == "__main__":
    main()
