"""`make bench-telemetry`: months of an inference fleet read from a real Prometheus through the live
partitioned asset (raw/telemetry_gpu_energy, one partition per UTC day and source), as an operator's
backfill runs it.

SYNTHETIC (seeded) DCGM exporter series: --gpus H100s on nodes of 8, one pod per GPU, power following
a daily traffic curve, every counter restarting once (a driver upgrade on the 10th day at 12:00, or
mid-range), node 0 not scraped for 30 minutes on the 5th day (or a third of the way). They go through
`promtool tsdb create-blocks-from openmetrics` into a Prometheus started on them (Debian's prometheus
package), then each day is materialized in this process against a scratch warehouse. Prints the
backfill's size and time, time and resident memory per partition (first, median, last: bounded memory
means the last is not above the first), and the energy the warehouse holds against the energy the
generator drew.

    python scripts/bench_telemetry_months.py [--gpus 32] [--days 30] [--step 60] [--work /tmp/footprint-telemetry]

Not a test: numbers depend on the machine; closing notes quote them with its core count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIRST_DAY = dt.date(2025, 9, 1)
SEED = 20250901


def traffic(minutes: np.ndarray) -> np.ndarray:
    hour = (minutes / 60) % 24
    return 0.15 + 0.85 * np.maximum(0.0, np.sin(np.pi * (hour - 6) / 16)) ** 2


def write_openmetrics(folder: Path, gpus: int, days: int, step_s: int) -> float:
    """The series as OpenMetrics text, one file per day (promtool reads its whole input once per 2-hour
    block it writes: one file of a month took it 18 minutes), GPU by GPU; returns the energy drawn over
    the scraped intervals in kWh (what a correct reading must find)."""
    points = days * 86400 // step_s + 1  # and the next day's first point, which ends the last interval
    at = int(dt.datetime.combine(FIRST_DAY, dt.time(), dt.UTC).timestamp()) + np.arange(points) * step_s
    minutes = (at - at[0]) / 60
    reset_day, gap_day = min(9, days // 2), min(4, days // 3)
    reset = int((reset_day * 86400 + 12 * 3600) / step_s)
    gap = slice(int((gap_day * 86400 + 3 * 3600) / step_s), int((gap_day * 86400 + 3.5 * 3600) / step_s))
    per_day = 86400 // step_s
    files = [(folder / f"day-{day:03d}.om").open("w") for day in range(days)]
    drawn_j = 0.0
    for kind in ("power", "energy"):
        name = "DCGM_FI_DEV_POWER_USAGE" if kind == "power" else "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"
        for out in files:  # typed gauge for the backfill: an OpenMetrics counter would be stored as <name>_total
            out.write(f"# TYPE {name} gauge\n")
        for gpu in range(gpus):
            node = gpu // 8
            rng = np.random.default_rng([SEED, gpu])  # the same draws for its power and its counter
            watts = np.minimum(700.0, 90 + 560 * traffic(minutes) * rng.uniform(0.95, 1.05, points))
            step_j = watts * step_s
            step_j[0] = 0.0
            energy_mj = np.cumsum(step_j) * 1000 + 7.2e9
            energy_mj[reset:] -= energy_mj[reset - 1]  # the counter restarts: it holds the energy since
            scraped = np.ones(points, dtype=bool)
            if node == 0:
                scraped[gap] = False
            if kind == "energy":  # an interval is billed where both its ends were scraped
                drawn_j += float(step_j[1:][scraped[1:] & scraped[:-1]].sum())
            labels = (f'gpu="{gpu % 8}",UUID="GPU-{gpu:08d}-5c1e-4b7a-9f3d-a1b2c3d4e5f6",device="nvidia{gpu % 8}",'
                      f'modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-node-{node}",container="vllm",'
                      f'namespace="serving",pod="vllm-{gpu}"')
            text = np.char.mod("%.2f" if kind == "power" else "%.0f", watts if kind == "power" else energy_mj)
            rows = np.char.add(np.char.add(f"{name}{{{labels}}} ", text), np.char.add(" ", at.astype(str)))
            for day, out in enumerate(files):
                last = points if day == days - 1 else (day + 1) * per_day
                kept = rows[day * per_day:last][scraped[day * per_day:last]]
                out.write("\n".join(kept.tolist()) + "\n")
    for out in files:
        out.write("# EOF\n")
        out.close()
    return drawn_j / 3.6e6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpus", type=int, default=32)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--step", type=int, default=60, help="scrape interval and query step, seconds")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "footprint-telemetry")
    args = parser.parse_args()
    if not shutil.which("promtool"):
        sys.exit("promtool is not installed: `make test` installs Debian's prometheus package, or apt-get install "
                 "prometheus")
    shutil.rmtree(args.work, ignore_errors=True)
    (args.work / "telemetry" / "bench-fleet").mkdir(parents=True)
    os.environ.update({"FOOTPRINT_DUCKDB_PATH": str(args.work / "warehouse" / "footprint.duckdb"),
                       "FOOTPRINT_LANDING_DIR": str(args.work / "landing"),
                       "FOOTPRINT_TELEMETRY_DIR": str(args.work / "telemetry")})
    (args.work / "warehouse").mkdir()

    started = time.perf_counter()
    (args.work / "series").mkdir()
    drawn_kwh = write_openmetrics(args.work / "series", args.gpus, args.days, args.step)
    size_mb = sum(p.stat().st_size for p in (args.work / "series").glob("*.om")) / 2**20
    generated = time.perf_counter() - started
    for day_file in sorted((args.work / "series").glob("*.om")):
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", str(day_file),
                        str(args.work / "tsdb")], check=True, stdout=subprocess.DEVNULL)
    samples = 2 * args.gpus * (args.days * 86400 // args.step + 1)
    print(f"{args.gpus} GPUs x {args.days} days at {args.step} s: {samples:,} samples, {size_mb:.0f} MB of "
          f"OpenMetrics written in {generated:.0f} s, backfilled by promtool in "
          f"{time.perf_counter() - started - generated:.0f} s")

    (args.work / "prometheus.yml").write_text("global: {scrape_interval: 1m}\n")
    port = free_port()
    server = subprocess.Popen(["prometheus", f"--config.file={args.work / 'prometheus.yml'}",
                               f"--storage.tsdb.path={args.work / 'tsdb'}", "--storage.tsdb.retention.time=100y",
                               f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
    try:
        run_backfill(args, f"http://127.0.0.1:{port}", drawn_kwh)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_backfill(args, url: str, drawn_kwh: float) -> None:
    import dagster as dg
    import duckdb
    import requests
    from dagster_duckdb import DuckDBResource

    from dagster_project import settings
    from dagster_project.defs.telemetry.live_assets import TELEMETRY_SOURCES, PrometheusFeed, telemetry_day

    for _ in range(150):
        try:
            if requests.get(f"{url}/-/ready", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    last = FIRST_DAY + dt.timedelta(days=args.days - 1)
    (args.work / "telemetry" / "bench-fleet" / "source.yaml").write_text(
        f"url: {url}\nexporter: dcgm\nzone: SE-SE4\npue: 1.15\nstep_s: {args.step}\n"
        f"start_date: {FIRST_DAY}\nend_date: {last}\n")
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(TELEMETRY_SOURCES.name, ["bench-fleet"])
    resources = {"duckdb": DuckDBResource(database=str(settings.warehouse_path())),
                 "prometheus_feed": PrometheusFeed(timeout_s=120)}
    seconds, memory = [], []
    for offset in range(args.days):
        day = FIRST_DAY + dt.timedelta(days=offset)
        key = dg.MultiPartitionKey({"date": day.isoformat(), "source": "bench-fleet"})
        began = time.perf_counter()
        result = dg.materialize([telemetry_day], partition_key=key, resources=resources, instance=instance,
                                run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
        assert result.success
        seconds.append(time.perf_counter() - began)
        memory.append(rss_mb())
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as conn:
        rows, kwh, days = conn.execute(
            "select count(*), sum(energy_kwh), count(distinct day) from raw.telemetry_gpu_energy").fetchone()
    print(f"{args.days} partitions through the asset: {sum(seconds):.0f} s in all; per partition first "
          f"{seconds[0]:.1f} s, median {statistics.median(seconds):.1f} s, last {seconds[-1]:.1f} s")
    print(f"resident memory after a partition: first {memory[0]:.0f} MB, median {statistics.median(memory):.0f} MB, "
          f"last {memory[-1]:.0f} MB; peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    landed = sum(p.stat().st_size for p in (args.work / "landing").rglob("*.json")) / 2**20
    print(f"raw.telemetry_gpu_energy: {rows:,} hourly rows over {days} days, {kwh:,.1f} kWh against "
          f"{drawn_kwh:,.1f} kWh drawn over the scraped intervals ({100 * (kwh / drawn_kwh - 1):+.4f} %); "
          f"{landed:.0f} MB of answers landed")


if __name__ == "__main__":
    main()
