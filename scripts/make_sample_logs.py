"""Write the bundled nvidia-smi sample logs (synthetic, seeded, in nvidia-smi's real CSV formats).

    python scripts/make_sample_logs.py

uk-hpc/gpu01: `--format=csv` (header, units), 2 x A100, every 10 s for 2 h on 2020-01-01 (London).
nordic-ai/n01: `--format=csv,noheader,nounits`, 4 x H100, every 30 s for 3 h on 2025-10-21 (Stockholm).
A few samples are missing, as when nvidia-smi misses a beat: the sample before stands until the next
(no quarantine, so a first build is all green). The malformed readings real logs also have (`[N/A]`,
`[Not Supported]`) are in tests/corpus/nvidia_smi_bad.csv, where the tests assert their quarantine.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

LOGS = Path(__file__).resolve().parent.parent / "data" / "logs"


def samples(rng, start, seconds, every, gpus, tdp):
    for step in range(0, seconds, every):
        at = start + dt.timedelta(seconds=step)
        for index in range(gpus):
            load = 0.55 + 0.35 * math.sin(step / 900 + index) ** 2  # training steps and evaluation pauses
            power = tdp * min(1.0, load + rng.uniform(-0.05, 0.05))
            yield at, index, power, round(100 * min(1.0, load + 0.1))


def main() -> None:
    rng = random.Random(20200101)
    lines = ["timestamp, name, index, power.draw [W], utilization.gpu [%]"]
    for at, index, power, util in samples(rng, dt.datetime(2020, 1, 1, 10), 7200, 10, 2, 400):
        missed, millis = rng.random() < 0.002, rng.randrange(1000)  # both drawn: the same seeded readings
        if not missed:
            lines.append(f"{at:%Y/%m/%d %H:%M:%S}.{millis:03d}, NVIDIA A100-SXM4-80GB, {index}, "
                         f"{power:.2f} W, {util} %")
    (LOGS / "uk-hpc" / "nvidia-smi" / "gpu01.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = []
    for at, index, power, util in samples(rng, dt.datetime(2025, 10, 21, 14), 10800, 30, 4, 700):
        missed, millis = rng.random() < 0.002, rng.randrange(1000)
        if not missed:
            lines.append(f"{at:%Y/%m/%d %H:%M:%S}.{millis:03d}, NVIDIA H100 80GB HBM3, {index}, {power:.2f}, {util}")
    (LOGS / "nordic-ai" / "nvidia-smi" / "n01.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
