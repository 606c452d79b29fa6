"""Benchmark of a Prometheus source's day priced into hourly GPU energy (sources/telemetry/fleet.py) at
fleet size: SYNTHETIC counter samples of 256 GPUs over a UTC day at a 15 s step, as query_range gives
them (labels as JSON on every sample). Prints time, hourly rows and peak memory.

    python scripts/bench_telemetry.py
"""

import datetime as dt
import json
import time
import resource
import numpy as np
import polars as pl
from ingestion.sources.telemetry.fleet import energy_hourly
from ingestion.sources.telemetry.source import PrometheusSource
gpus, step = 256, 15
n = 86400 // step
src = PrometheusSource(name="f", url="http://p", zone="DE", start_date=dt.date(2025, 3, 1), step_s=step)
labels = [json.dumps({"__name__": "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "UUID": f"GPU-{g}",
                      "Hostname": f"n{g // 8}", "namespace": "serving", "pod": f"p{g // 2}", "container": "vllm",
                      "modelName": "H100"}, sort_keys=True)
          for g in range(gpus)]
ts = np.datetime64("2025-03-01T00:00:00", "us") + (np.arange(n) * step * 1_000_000).astype("timedelta64[us]")
frame = pl.DataFrame({"query": "e", "series": np.repeat([f"s{g}" for g in range(gpus)], n),
                      "labels": np.repeat(labels, n), "ts": np.tile(ts, gpus),
                      "value": np.tile(np.cumsum(np.full(n, 400.0 * step * 1000)), gpus)})
empty = frame.head(0)
t = time.perf_counter()
day = energy_hourly(frame, empty, src)
print(f"{frame.height:,} counter samples ({gpus} GPUs x a day at {step} s): {time.perf_counter() - t:.2f} s, "
      f"{day.hourly.height:,} hourly rows, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
