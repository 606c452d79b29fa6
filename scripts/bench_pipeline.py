"""`make bench-pipeline`: the real Dagster pipeline on a synthetic fleet at the sizes operators have.

For each size (days of logs : years of hourly intensity) it prints wall time, peak memory and power
samples per second of
  - a streaming polars scan of the same nvidia-smi CSVs to hourly sums (the floor: parse and sum only),
  - a cold `footprint build` (everything, from files to published marts),
  - a warm refresh of the logs: one more hour appended to every log (and that hour's jobs), then the
    `ingest_logs` job as the sensor runs it: queued, launched by the Dagster daemon's run launcher,
  - a warm refresh of the feeds: one more hour of every zone written as a feed partition write does,
    then the `rebuild_after_refresh` job, launched the same way.

    python scripts/bench_pipeline.py [--gpus 256] [--sizes 30:1,7:1,28:3] [--work /tmp/footprint-bench]

Data: scripts/synthetic_fleet.py (seeded, labelled synthetic), cached under --work between runs.
Peak memory: the largest resident set of the process tree of the step (footprint build, or the run
worker with its dbt process), read from wait4 or sampled from /proc every 0.2 s. Not a test: numbers
depend on the machine; the closing notes of issues quote them with the machine's core count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic_fleet as fleet  # noqa: E402

BIN = Path(sys.executable).parent
START = dt.datetime(2025, 1, 1)  # the logs begin here
FEED_END = START + dt.timedelta(days=60)  # the feed history ends here, after the logs
SEED = 20250101


def environment(work: Path) -> dict:
    home = work / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "DAGSTER_HOME": str(home),
            "FOOTPRINT_DUCKDB_PATH": str(work / "warehouse" / "footprint.duckdb"),
            "FOOTPRINT_PUBLISHED_DIR": str(work / "published"), "FOOTPRINT_LANDING_DIR": str(work / "landing"),
            "FOOTPRINT_LOGS_DIR": str(work / "logs"), "PATH": f"{BIN}:{os.environ['PATH']}"}


def measured(command: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in GB (largest process of the tree, from wait4) and the output's tail."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output[-4000:]}")
    return wall, usage.ru_maxrss / 1024 ** 2, output[-2000:]


# ---- the data ------------------------------------------------------------------------------------------------
def generate_logs(cache: Path, gpus: int, days: int) -> tuple[Path, int]:
    """The fleet's logs for `days` (cached); returns the folder and the number of power samples."""
    hosts = gpus // fleet.GPUS_PER_HOST
    folder = cache / f"logs-{gpus}gpus-{days}d"
    cluster = folder / fleet.CLUSTER
    samples = hosts * fleet.GPUS_PER_HOST * days * 8640
    if (folder / ".complete").exists():
        return folder, samples
    shutil.rmtree(folder, ignore_errors=True)
    fleet.cluster_yaml(cluster)
    for host in range(hosts):
        fleet.write_lines(fleet.nvidia_smi_lines(host, START, days * 86400, SEED),
                          cluster / "nvidia-smi" / f"node{host:03d}.csv", fleet.HEADER)
    fleet.write_lines(fleet.sacct_lines(round(100_000 * days / 30), hosts, START, days, SEED),
                      cluster / "sacct" / "jobs.txt", fleet.SACCT_HEADER)
    (folder / ".complete").touch()
    return folder, samples


def zones(count: int) -> list[str]:
    grid = REPO / "data" / "grid"
    ids = pl.concat([pl.read_csv(grid / "zones.csv", infer_schema=False).select("zone_id"),
                     pl.read_csv(grid / "countries.csv", infer_schema=False).select(pl.col("iso2").alias("zone_id"))])
    return sorted(set(ids["zone_id"].drop_nulls()))[:count]


def preload_feeds(env: dict, zone_ids: list[str], years: int) -> int:
    """The feed history a warehouse holds after `years` of hourly refreshes (written as the feed
    partitions write it: raw.grid_intensity_observations)."""
    import duckdb

    from dagster_project.lib.warehouse import replace_partition

    history = fleet.intensity_history(zone_ids, FEED_END - dt.timedelta(hours=years * 8760), years * 8760, SEED)
    Path(env["FOOTPRINT_DUCKDB_PATH"]).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(env["FOOTPRINT_DUCKDB_PATH"]) as conn:
        replace_partition(conn, "raw", "grid_intensity_observations", history, "true", [])
    return history.height


# ---- the runs ------------------------------------------------------------------------------------------------
def floor(logs: Path) -> tuple[float, float]:
    code = ("import polars as pl, sys; files = sorted(__import__('glob').glob(sys.argv[1] + '/*/nvidia-smi/*.csv'));"
            "lf = pl.scan_csv(files, has_header=True, new_columns=['t','name','index','power','util']);"
            "out = lf.select(pl.col('t').str.strip_chars().str.to_datetime('%Y/%m/%d %H:%M:%S%.f').dt.truncate('1h'),"
            "pl.col('power').str.strip_chars().str.strip_suffix(' W').cast(pl.Float64)).group_by('t')"
            ".agg(pl.col('power').sum()).collect(engine='streaming'); print(out.height)")
    wall, rss, _ = measured([sys.executable, "-c", code, str(logs)], dict(os.environ))
    return wall, rss


class Daemon:
    """`dagster-daemon run` for the bench's instance: it dequeues runs and launches them, as in production."""

    def __init__(self, env: dict):
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], env=self.env,
                                        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _tree_rss(root_marker: str) -> float:
    """Resident GB of the processes whose command line holds `root_marker`, with their descendants."""
    parents, rss, roots = {}, {}, []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[entry.name] = fields.get("PPid", "").strip()
        rss[entry.name] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
        if root_marker in command:
            roots.append(entry.name)
    total = 0
    for pid in rss:
        walk = pid
        while walk and walk != "0":
            if walk in roots:
                total += rss[pid]
                break
            walk = parents.get(walk)
    return total / 1024 ** 2


def launched(job: str, env: dict) -> tuple[float, float]:
    """Queue `job` as a sensor or schedule does, let the daemon launch it; wall from the run's creation in
    the queue to its end (what a sensor's run takes: the `dagster job launch` command the bench queues it
    with loads the code location first, 6-8 s a sensor does not pay), peak RSS of the run worker and
    its dbt process."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = env["DAGSTER_HOME"]
    subprocess.run([str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml", "-j", job], env=env, cwd=REPO,
                   check=True, capture_output=True)
    peak = 0.0
    with dg.DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        while not (run := instance.get_run_by_id(run.run_id)).is_finished:
            peak = max(peak, _tree_rss("spawn_main"))  # the run worker the code server started
            time.sleep(0.2)
        queued = instance.get_run_record_by_id(run.run_id).create_timestamp.timestamp()
        wall = instance.get_run_stats(run.run_id).end_time - queued
    if run.status != dg.DagsterRunStatus.SUCCESS:
        raise SystemExit(f"{job} ended {run.status.value}: see `make dev` with DAGSTER_HOME={env['DAGSTER_HOME']}")
    return wall, peak


def append_hour(logs: Path, gpus: int, days: int) -> int:
    """One more hour of every log, and the jobs that ended in it; returns the new samples."""
    cluster = logs / fleet.CLUSTER
    at = START + dt.timedelta(days=days)
    for host in range(gpus // fleet.GPUS_PER_HOST):
        fleet.write_lines(fleet.nvidia_smi_lines(host, at, 3600, SEED + 1),
                          cluster / "nvidia-smi" / f"node{host:03d}.csv", append=True)
    fleet.write_lines(fleet.sacct_lines(140, gpus // fleet.GPUS_PER_HOST, at, 0, SEED + 1, first_id=10_000_000),
                      cluster / "sacct" / "jobs.txt", append=True)
    return gpus * 360


def new_feed_hour(env: dict, zone_ids: list[str]) -> None:
    """One more hour of every zone (the first of a new UTC day), written as a feed partition's write
    step writes its day."""
    import duckdb

    from dagster_project.lib.warehouse import replace_partition

    frame = fleet.intensity_history(zone_ids, FEED_END, 1, SEED)
    with duckdb.connect(env["FOOTPRINT_DUCKDB_PATH"]) as conn:
        replace_partition(conn, "raw", "grid_intensity_observations", frame,
                          "feed = ? and period_start >= ? and period_start < ?",
                          ["electricity_maps", FEED_END, FEED_END + dt.timedelta(days=1)])


def bench(size: str, gpus: int, zone_count: int, root: Path) -> list[tuple]:
    days, years = (int(x) for x in size.split(":"))
    source, samples = generate_logs(root / "cache", gpus, days)
    work = root / f"run-{days}d-{years}y"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work / "logs")  # the warm refresh appends to these copies
    env = environment(work)
    zone_ids = zones(zone_count)
    observations = preload_feeds(env, zone_ids, years)
    label = f"{gpus} GPUs x {days} d, {len(zone_ids)} zones x {years} y"
    rows = []
    wall, rss = floor(work / "logs")
    rows.append((label, "floor: polars scan CSV -> hourly sums", wall, rss, samples / wall))
    wall, rss, output = measured([str(BIN / "footprint"), "build"], env)
    if "BUILD OK" not in output:
        raise SystemExit(output)
    rows.append((label, f"cold footprint build ({observations:,} feed rows)", wall, rss, samples / wall))
    with Daemon(env):
        new = append_hour(work / "logs", gpus, days)
        wall, rss = launched("ingest_logs", env)
        rows.append((label, "warm: +1 h of logs, ingest_logs (daemon)", wall, rss, new / wall))
        new_feed_hour(env, zone_ids)
        wall, rss = launched("rebuild_after_refresh", env)
        rows.append((label, "warm: +1 h of feeds, rebuild_after_refresh", wall, rss, None))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpus", type=int, default=256)
    parser.add_argument("--zones", type=int, default=250)
    parser.add_argument("--sizes", default="30:1,7:1,28:3", help="days of logs:years of hourly intensity, ...")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "footprint-bench")
    args = parser.parse_args()
    subprocess.run([str(BIN / "dbt"), "parse", "--quiet", "--profiles-dir", "."], cwd=REPO / "dbt", check=True)
    rows = [row for size in args.sizes.split(",") for row in bench(size, args.gpus, args.zones, args.work)]
    print(f"\n{os.cpu_count()} cores; synthetic data (scripts/synthetic_fleet.py)")
    print(f"{'size':<34} {'what':<50} {'wall s':>7} {'peak GB':>8} {'samples/s':>11}")
    for label, what, wall, rss, rate in rows:
        print(f"{label:<34} {what:<50} {wall:>7.1f} {rss:>8.2f} {f'{rate / 1e6:.3f} M' if rate else '':>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
