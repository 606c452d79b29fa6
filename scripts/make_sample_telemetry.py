"""Write the bundled Prometheus recordings (data/telemetry/serving-se/recorded/): a synthetic inference
fleet's DCGM exporter metrics for one UTC day, stored in a real Prometheus and read back through the
warehouse's own client, so the answers are query_range answers as Prometheus gives them.

    python scripts/make_sample_telemetry.py

SYNTHETIC (seeded), in the DCGM exporter's metric names and labels: two nodes of 4 x H100 on
2025-10-21 (inside the bundled ENTSO-E SE-SE4 hourly sample). gpu-node-1: a 70B vLLM pod over GPUs 0-1,
GPU 2 cut into two MIG instances (3g.40gb, 4g.40gb) for two embedding pods, GPU 3 time-sliced by two
batch pods. gpu-node-2: three 8B vLLM replicas and an idle GPU with no pod. Power follows the day's
requests; the exporter of node 1 restarts at 13:00 (its energy counters start again from zero); node 2
is not scraped from 03:00 to 03:20. The series go through `promtool tsdb create-blocks-from
openmetrics` into a Prometheus started on them (Debian's prometheus package), then each hour-aligned
query the asset asks is answered by that server and written as it answered.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from ingestion.http import FeedHTTP
from ingestion.sources.telemetry.fleet import day_ranges
from ingestion.sources.telemetry.prometheus import PrometheusClient
from ingestion.sources.telemetry.source import read_source

DAY = dt.date(2025, 10, 21)
OUT = Path(__file__).resolve().parent.parent / "data" / "telemetry" / "serving-se"
MODEL = "NVIDIA H100 80GB HBM3"
TDP_W = 700.0  # an H100 SXM never draws more for long
# (node, gpu, pod, mig profile, idle W, busy W)
SERIES = [("gpu-node-1", 0, "vllm-llama-70b-0", None, 90, 640), ("gpu-node-1", 1, "vllm-llama-70b-0", None, 90, 630),
          ("gpu-node-1", 2, "embed-0", "3g.40gb", 80, 420), ("gpu-node-1", 2, "embed-1", "4g.40gb", 80, 420),
          ("gpu-node-1", 3, "batch-0", None, 85, 560), ("gpu-node-1", 3, "batch-1", None, 85, 560),
          ("gpu-node-2", 0, "vllm-llama-8b-0", None, 75, 380), ("gpu-node-2", 1, "vllm-llama-8b-1", None, 75, 370),
          ("gpu-node-2", 2, "vllm-llama-8b-2", None, 75, 390), ("gpu-node-2", 3, "", None, 70, 70)]


def load(minute: int) -> float:
    """Share of peak traffic: low at night, two peaks in the (European) day."""
    hour = minute / 60
    return 0.15 + 0.85 * max(0.0, math.sin(math.pi * (hour - 6) / 16)) ** 2 * (1 + 0.2 * math.sin(hour))


def openmetrics(rng: random.Random) -> str:
    start = dt.datetime.combine(DAY, dt.time())
    # typed gauge for the backfill: an OpenMetrics counter would be stored as <name>_total, and the
    # exporters' own names (DCGM's has no _total) are what the queries ask for
    lines = ["# TYPE DCGM_FI_DEV_POWER_USAGE gauge", "# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION gauge",
             "# TYPE vllm:request_success_total gauge"]
    power_lines, energy_lines, request_lines = [], [], []
    readings = {}  # (node, gpu) -> per minute (watts, energy since boot in mJ): one reading per physical GPU,
    # which the exporter repeats under every MIG instance or pod that shares it
    for node, gpu, _, _, idle, busy in SERIES:
        if (node, gpu) in readings:
            continue
        energy_mj, values = 7.2e9 + rng.uniform(0, 1e9), []
        for minute in range(24 * 60 + 1):
            watts = min(TDP_W, idle + (busy - idle) * load(minute) * rng.uniform(0.95, 1.05))
            if node == "gpu-node-1" and minute == 13 * 60:
                energy_mj = 0.0  # the exporter restarted: counters begin again
            energy_mj += watts * 60 * 1000
            values.append((watts, energy_mj))
        readings[node, gpu] = values
    for node, gpu, pod, mig, _, _ in SERIES:
        uuid = f"GPU-{node[-1]}{gpu}c4e1d2-5c1e-4b7a-9f3d-a1b2c3d4e5f{gpu}"
        labels = (f'gpu="{gpu}",UUID="{uuid}",device="nvidia{gpu}",modelName="{MODEL}",Hostname="{node}",'
                  f'container="{pod.split("-")[0] if pod else ""}",namespace="{"serving" if pod else ""}",pod="{pod}"'
                  + (f',GPU_I_PROFILE="{mig}",GPU_I_ID="{1 if mig.startswith("3") else 2}"' if mig else ""))
        requests_done = 0.0
        for minute, (watts, energy_mj) in enumerate(readings[node, gpu]):
            if node == "gpu-node-2" and 180 <= minute < 200:
                continue  # not scraped
            at = int((start + dt.timedelta(minutes=minute)).replace(tzinfo=dt.UTC).timestamp())
            power_lines.append(f"DCGM_FI_DEV_POWER_USAGE{{{labels}}} {watts:.2f} {at}")
            energy_lines.append(f"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{{{labels}}} {energy_mj:.0f} {at}")
            if pod.startswith("vllm") and gpu in (0, 1, 2) and not (pod.endswith("70b-0") and gpu == 1):
                per_second = 5 if "8b" in pod else 1.5  # at peak
                requests_done += load(minute) * per_second * 60 * rng.uniform(0.9, 1.1)
                served = "meta-llama/Llama-3.1-8B-Instruct" if "8b" in pod else "meta-llama/Llama-3.1-70B-Instruct"
                request_lines.append(f'vllm:request_success_total{{model_name="{served}",'
                                     f'namespace="serving",pod="{pod}"}} {requests_done:.0f} {at}')
    return "\n".join(lines[:1] + power_lines + lines[1:2] + energy_lines + lines[2:] + request_lines) + "\n# EOF\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    rng = random.Random(20251021)
    source = read_source(OUT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "series.om").write_text(openmetrics(rng))
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", str(folder / "series.om"),
                        str(folder / "data")], check=True, stdout=subprocess.DEVNULL)
        (folder / "prometheus.yml").write_text("global: {scrape_interval: 1m}\n")
        port = free_port()
        server = subprocess.Popen(["prometheus", f"--config.file={folder / 'prometheus.yml'}",
                                   f"--storage.tsdb.path={folder / 'data'}", "--storage.tsdb.retention.time=100y",
                                   f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    if requests.get(f"{url}/-/ready", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.2)
            client = PrometheusClient(FeedHTTP("prometheus", retries=1, timeout_s=30), url)
            recorded = OUT / "recorded" / DAY.isoformat()
            shutil.rmtree(recorded, ignore_errors=True)
            for kind, (start, end) in day_ranges(source, DAY).items():  # the ranges the live asset asks
                answer = client.query_range(source.query(kind), start, end, source.step_s,
                                            landing_dir=folder / "landing", day=DAY, label=kind)
                recorded.mkdir(parents=True, exist_ok=True)
                for i, landed in enumerate(answer.landed):
                    shutil.copy(landed, recorded / f"{kind}_{i}.json")
                print(f"{kind}: {answer.samples['series'].n_unique()} series, {answer.samples.height} samples")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
