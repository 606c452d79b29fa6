"""Benchmark of job and power-sample attribution: the polars core against the same computation as a
DuckDB SQL query a dbt user would write, in pandas, and a minimal numpy floor. `make bench`.

All inputs are SYNTHETIC (seeded): about 300 zones with a year of hourly intensity with daily and
seasonal shape; jobs with heavy-tailed (log-normal) durations averaging about 50 hours; power
samples as nvidia-smi writes them (hosts of 8 GPUs logging every 5 s, in time order). Each
implementation runs in its own process on the same Parquet files, so its peak memory is its own;
wall time excludes reading the inputs. All four must give the same totals.

    python scripts/bench_attribution.py [--jobs 1000000] [--samples 100000000] [--zones 300]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

YEAR_START = np.datetime64("2024-01-01T00:00:00", "us")
HOURS = 8784  # 2024 is a leap year
US_PER_HOUR = 3_600_000_000


# ---------------------------------------------------------------- synthetic inputs


def make_inputs(folder: Path, zones: int, jobs: int, samples: int, seed: int = 42) -> None:
    rng = np.random.default_rng(seed)
    hour = np.arange(HOURS)
    base = rng.uniform(20, 700, zones)[:, None]
    daily = 1 + 0.25 * np.sin(2 * np.pi * (hour % 24 - 6) / 24)[None, :] * rng.uniform(0.3, 1, zones)[:, None]
    seasonal = 1 + 0.2 * np.cos(2 * np.pi * hour / HOURS)[None, :]
    noise = rng.normal(1, 0.05, (zones, HOURS))
    intensity = np.clip(base * daily * seasonal * noise, 1, None)
    names = np.array([f"Z{z:03d}" for z in range(zones)])
    pl.DataFrame({
        "zone_id": np.repeat(names, HOURS),
        "hour_start": np.tile(YEAR_START + hour.astype("timedelta64[h]"), zones),
        "gco2e_per_kwh": intensity.ravel(),
    }).write_parquet(folder / "hourly.parquet")
    pl.DataFrame({"zone_id": names, "year": np.full(zones, 2024), "gco2e_per_kwh": intensity.mean(axis=1)}
                 ).write_parquet(folder / "annual.parquet")
    # log-normal durations with a mean of 50 h (sigma 1.2), from 1 minute to 2,000 hours
    duration_h = np.clip(rng.lognormal(np.log(50) - 1.2 ** 2 / 2, 1.2, jobs), 1 / 60, 2000)
    start_h = rng.uniform(0, HOURS - duration_h)
    start = YEAR_START + (start_h * US_PER_HOUR).astype("timedelta64[us]")
    end = start + (duration_h * US_PER_HOUR).astype("timedelta64[us]")
    pl.DataFrame({"job_key": np.arange(jobs), "zone_id": names[rng.integers(0, zones, jobs)], "start": start,
                  "end": end, "power_kw": rng.uniform(0.3, 8.0, jobs)}).write_parquet(folder / "jobs.parquet")
    # nvidia-smi logs as hosts write them: 8 GPUs every 5 s over a contiguous window, in time order
    per_host = 8 * 25_000
    hosts = max(1, samples // per_host) if samples else 0  # at least one host when samples are asked for
    host_zone = names[rng.integers(0, zones, hosts)]
    host_start = rng.uniform(0, HOURS - 40, hosts)
    for part in range(0, hosts, 50):
        chunk = range(part, min(part + 50, hosts))
        n = per_host * len(chunk)
        step = np.tile(np.repeat(np.arange(per_host // 8), 8), len(chunk))
        first = np.repeat([host_start[h] * US_PER_HOUR for h in chunk], per_host).astype(np.int64)
        at = YEAR_START + (first + step * 5_000_000).astype("timedelta64[us]")
        pl.DataFrame({"zone_id": pl.Series(np.repeat(host_zone[list(chunk)], per_host)).cast(pl.Categorical),
                      "timestamp": at, "power_w": rng.uniform(50, 700, n).astype(np.float32),
                      "interval_s": np.full(n, 5.0, dtype=np.float32)}
                     ).write_parquet(folder / f"samples_{part:05d}.parquet")


# ---------------------------------------------------------------- implementations (jobs)


def jobs_polars(folder: Path) -> tuple[float, int]:
    from ingestion.core.attribution import attribute_jobs, build_index

    hourly, annual = pl.read_parquet(folder / "hourly.parquet"), pl.read_parquet(folder / "annual.parquet")
    jobs = pl.read_parquet(folder / "jobs.parquet")
    started = time.perf_counter()
    out = attribute_jobs(jobs, build_index(hourly), annual)
    total = out["kgco2e"].sum()
    return _done(started, total, jobs.height)


def _duckdb_loaded(folder: Path, table: str, files):
    """An in-memory DuckDB with `hourly` and `table` loaded (untimed, like the other readers), and its rows."""
    import duckdb

    conn = duckdb.connect()
    conn.execute(f"create table hourly as select * from read_parquet('{folder / 'hourly.parquet'}')")
    conn.execute(f"create table {table} as select * from read_parquet('{files}')")
    return conn, conn.execute(f"select count(*) from {table}").fetchone()[0]


def jobs_duckdb(folder: Path) -> tuple[float, int]:
    conn, n = _duckdb_loaded(folder, "jobs", folder / "jobs.parquet")
    started = time.perf_counter()
    # what a dbt user writes: one row per job-hour, joined to the hourly series, overlap-weighted
    total = conn.execute("""
        with job_hours as (
            select job_key, zone_id, "start", "end", power_kw,
                   unnest(range(date_trunc('hour', "start"), "end", interval 1 hour)) as hour_start
            from jobs
        )
        select sum(j.power_kw * h.gco2e_per_kwh
                   * (epoch(least(j.hour_start + interval 1 hour, j."end")) - epoch(greatest(j.hour_start, j."start")))
                   / 3600 / 1000)
        from job_hours as j
        join hourly as h on h.zone_id = j.zone_id and h.hour_start = j.hour_start
    """).fetchone()[0]
    return _done(started, total, n)


def jobs_pandas(folder: Path) -> tuple[float, int]:
    import pandas as pd

    hourly = pd.read_parquet(folder / "hourly.parquet")
    jobs = pd.read_parquet(folder / "jobs.parquet")
    started = time.perf_counter()
    first = jobs["start"].dt.floor("h")
    count = ((jobs["end"] - first) / pd.Timedelta(hours=1)).apply(np.ceil).astype(np.int64)
    expanded = jobs.loc[jobs.index.repeat(count)].copy()
    step = expanded.groupby(level=0).cumcount().to_numpy()
    expanded["hour_start"] = first.loc[expanded.index].to_numpy() + step.astype("timedelta64[h]")
    merged = expanded.merge(hourly, on=["zone_id", "hour_start"], how="inner")
    overlap = (np.minimum(merged["hour_start"] + pd.Timedelta(hours=1), merged["end"])
               - np.maximum(merged["hour_start"], merged["start"])) / pd.Timedelta(hours=1)
    total = float((merged["power_kw"] * merged["gco2e_per_kwh"] * overlap / 1000).sum())
    return _done(started, total, len(jobs))


def jobs_numpy(folder: Path) -> tuple[float, int]:
    hourly = pl.read_parquet(folder / "hourly.parquet").sort("zone_id", "hour_start")
    jobs = pl.read_parquet(folder / "jobs.parquet")
    zones = {z: i for i, z in enumerate(hourly["zone_id"].unique(maintain_order=True))}
    values = hourly["gco2e_per_kwh"].to_numpy().reshape(len(zones), HOURS)
    zone = jobs["zone_id"].replace_strict(zones).to_numpy()
    start = (jobs["start"].to_numpy() - YEAR_START).astype(np.int64) / US_PER_HOUR
    end = (jobs["end"].to_numpy() - YEAR_START).astype(np.int64) / US_PER_HOUR
    power = jobs["power_kw"].to_numpy()
    started = time.perf_counter()
    padded = np.concatenate([values, np.zeros((len(zones), 1))], axis=1)
    cumulative = np.concatenate([np.zeros((len(zones), 1)), np.cumsum(values, axis=1)], axis=1)
    ks, ke = np.floor(start).astype(np.int64), np.floor(end).astype(np.int64)
    integral = (cumulative[zone, ke] + (end - ke) * padded[zone, ke]) - (cumulative[zone, ks] + (start - ks)
                                                                         * padded[zone, ks])
    total = float((power * integral).sum() / 1000)
    return _done(started, total, len(power))


# ---------------------------------------------------------------- implementations (power samples)


def _samples(folder: Path) -> pl.DataFrame:
    return pl.read_parquet(sorted(folder.glob("samples_*.parquet")))


def samples_polars(folder: Path) -> tuple[float, int]:
    from ingestion.core.attribution import attribute_samples, build_index

    hourly, annual = pl.read_parquet(folder / "hourly.parquet"), pl.read_parquet(folder / "annual.parquet")
    samples = _samples(folder)
    started = time.perf_counter()
    out = attribute_samples(samples, build_index(hourly), annual)
    return _done(started, out["kgco2e"].sum(), samples.height)


def samples_duckdb(folder: Path) -> tuple[float, int]:
    conn, n = _duckdb_loaded(folder, "samples", f"{folder}/samples_*.parquet")
    started = time.perf_counter()
    total = conn.execute("""
        with per_hour as (
            select zone_id::varchar as zone_id, date_trunc('hour', "timestamp") as hour_start,
                   sum(power_w * interval_s) / 3.6e6 as energy_kwh
            from samples group by 1, 2
        )
        select sum(p.energy_kwh * h.gco2e_per_kwh / 1000)
        from per_hour as p join hourly as h using (zone_id, hour_start)
    """).fetchone()[0]
    return _done(started, total, n)


def samples_pandas(folder: Path) -> tuple[float, int]:
    import pandas as pd

    hourly = pd.read_parquet(folder / "hourly.parquet")
    samples = pd.concat(pd.read_parquet(p) for p in sorted(folder.glob("samples_*.parquet")))
    started = time.perf_counter()
    samples["hour_start"] = samples["timestamp"].dt.floor("h")
    samples["energy_kwh"] = samples["power_w"].astype(np.float64) * samples["interval_s"] / 3.6e6
    per_hour = samples.groupby(["zone_id", "hour_start"], observed=True)["energy_kwh"].sum().reset_index()
    per_hour["zone_id"] = per_hour["zone_id"].astype(str)
    merged = per_hour.merge(hourly, on=["zone_id", "hour_start"])
    total = float((merged["energy_kwh"] * merged["gco2e_per_kwh"] / 1000).sum())
    return _done(started, total, len(samples))


def samples_numpy(folder: Path) -> tuple[float, int]:
    hourly = pl.read_parquet(folder / "hourly.parquet").sort("zone_id", "hour_start")
    names = hourly["zone_id"].unique(maintain_order=True).to_list()
    values = hourly["gco2e_per_kwh"].to_numpy()
    samples = _samples(folder)
    zone = samples["zone_id"].cast(pl.String).replace_strict({z: i for i, z in enumerate(names)},
                                                             return_dtype=pl.Int64).to_numpy()
    at = samples["timestamp"].to_numpy()
    power, interval = samples["power_w"].to_numpy(), samples["interval_s"].to_numpy()
    started = time.perf_counter()
    slot = zone * HOURS + (at - YEAR_START).astype(np.int64) // US_PER_HOUR
    energy = np.bincount(slot, weights=power * interval, minlength=len(values)) / 3.6e6
    total = float((energy * values).sum() / 1000)
    return _done(started, total, len(power))


# ---------------------------------------------------------------- harness


def _done(started: float, total: float, rows: int) -> tuple[float, int]:
    return time.perf_counter() - started, float(total), rows


def _run(target: str, folder: str, repeats: int, queue) -> None:
    try:
        runs = [globals()[target](Path(folder)) for _ in range(repeats)]
    except BaseException:  # report it: the parent waits on the queue and would otherwise wait forever
        import traceback

        queue.put({"error": traceback.format_exc()})
        raise
    seconds = min(r[0] for r in runs)  # best of the repeats: the first pays the thread-pool warm-up
    queue.put({"seconds": seconds, "total": runs[0][1], "rows": runs[0][2], "peak_mb": _peak_mb()})


def _peak_mb() -> float:
    """VmHWM, the resident peak of this process image (ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(target: str, folder: Path, repeats: int = 3) -> dict:
    context = multiprocessing.get_context("spawn")  # a fresh process: its peak memory is its own
    queue = context.Queue()
    process = context.Process(target=_run, args=(target, str(folder), repeats, queue))
    process.start()
    result = queue.get()
    process.join()
    if "error" in result:
        raise SystemExit(f"{target} failed in its process:\n{result['error']}")
    return result


def table(title: str, unit: str, results: dict[str, dict]) -> None:
    core = results["polars core"]["seconds"]
    print(f"\n{title}")
    print(f"  {'implementation':<22}{'wall s':>9}{unit + '/s':>16}{'peak MB':>10}{'x core':>9}{'total kgCO2e':>20}")
    print("  (wall time without reading the inputs; peak MB is the process's resident peak, inputs included)")
    for name, r in results.items():
        print(f"  {name:<22}{r['seconds']:>9.3f}{r['rows'] / r['seconds']:>16,.0f}{r['peak_mb']:>10,.0f}"
              f"{r['seconds'] / core:>9.2f}{r['total']:>20,.3f}")
    reference = results["numpy floor"]["total"]
    for name, r in results.items():
        if abs(r["total"] - reference) > 1e-6 * abs(reference):
            raise SystemExit(f"{name} total {r['total']} differs from the numpy floor {reference}")
    print("  all totals agree within 1e-6 (relative)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=100_000_000)
    parser.add_argument("--zones", type=int, default=300)
    parser.add_argument("--skip-slow", action="store_true", help="only the polars core and the numpy floor")
    args = parser.parse_args()
    print(f"SYNTHETIC inputs: {args.zones} zones x {HOURS} hours, {args.jobs:,} jobs, {args.samples:,} samples; "
          f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="footprint-bench-") as tmp:
        folder = Path(tmp) / "full"
        folder.mkdir()
        make_inputs(folder, args.zones, args.jobs, args.samples)
        jobs, samples = {}, {}
        slow = () if args.skip_slow else (("DuckDB SQL", "duckdb"), ("pandas", "pandas"))
        for label, suffix in (("polars core", "polars"), *slow, ("numpy floor", "numpy")):
            repeats = 1 if label in ("DuckDB SQL", "pandas") else 3  # tens of seconds each: warm-up is noise
            jobs[label] = measure(f"jobs_{suffix}", folder, repeats)
            samples[label] = measure(f"samples_{suffix}", folder, repeats)
        hours = pl.read_parquet(folder / "jobs.parquet").select(
            ((pl.col("end") - pl.col("start")).dt.total_seconds() / 3600).mean()).item()
        table(f"Jobs: {args.jobs:,} jobs, mean {hours:.1f} h", "jobs", jobs)
        table(f"Power samples: {args.samples:,}", "samples", samples)
        shutil.rmtree(folder)

        # scaling: jobs at 1, 2 and 4 x (a fixed cost of ~0.1 s would hide the slope below that),
        # samples at 1/4, 1/2 and 1 x
        scaling = {"jobs": [], "samples": []}
        for factor in (1, 2, 4):
            part = Path(tmp) / f"jobs{factor}"
            part.mkdir()
            make_inputs(part, args.zones, args.jobs * factor, 0)
            scaling["jobs"].append(measure("jobs_polars", part))
            shutil.rmtree(part)
        for fraction in (0.25, 0.5, 1.0):
            part = Path(tmp) / f"samples{fraction}"
            part.mkdir()
            make_inputs(part, args.zones, 1, int(args.samples * fraction))
            scaling["samples"].append(measure("samples_polars", part))
            shutil.rmtree(part)
        print("\nScaling of the polars core (best of 3; linear: the marginal cost per row stays flat)")
        print(f"  {'input':<8}{'rows':>14}{'wall s':>10}{'ns/row':>10}{'marginal ns/row':>18}")
        for kind, runs in scaling.items():
            previous = None
            for r in runs:
                marginal = "" if previous is None or previous["rows"] == r["rows"] else \
                    f"{(r['seconds'] - previous['seconds']) / (r['rows'] - previous['rows']) * 1e9:>18.1f}"
                print(f"  {kind:<8}{r['rows']:>14,}{r['seconds']:>10.3f}{r['seconds'] / r['rows'] * 1e9:>10.1f}"
                      f"{marginal}")
                previous = r


if __name__ == "__main__":
    main()
