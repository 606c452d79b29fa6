"""Derive data/inference/energy_per_token.csv from the ML.ENERGY leaderboard (v3 task files).

    python scripts/derive_energy_per_token.py --ml-energy <folder with lm-arena-chat.json, gpqa.json, ...>

Per task, model and GPU setup, the measured GPU energy per output token over the leaderboard's batch
configurations: low = the most efficient configuration, central = the median, high = the least
efficient. Only these derived figures are shipped, with attribution (ML.ENERGY Leaderboard, Chung et
al., The ML.ENERGY Initiative); the leaderboard's files are not copied. A provenance record.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path

import polars as pl

TASKS = ("lm-arena-chat", "gpqa", "sourcegraph-fim")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ml-energy", required=True, type=Path)
    args = parser.parse_args()
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for task in TASKS:
        document = json.loads((args.ml_energy / f"{task}.json").read_text())
        for config in document["configurations"]:
            groups[(task, config["model_id"], config["nickname"], config["gpu_model"], config["num_gpus"])].append(config)
    # The leaderboard's own date of the data, carried on every row as its vintage.
    vintage = json.loads((args.ml_energy / "index.json").read_text())["last_updated"]
    rows = []
    for (task, model_id, nickname, gpu, gpus), configs in sorted(groups.items()):
        per_token = [c["energy_per_token_joules"] for c in configs]
        rows.append({
            "task": task, "model_id": model_id, "nickname": nickname, "gpu_model": gpu, "num_gpus": gpus,
            "total_params_billions": configs[0]["total_params_billions"],
            "activated_params_billions": configs[0]["activated_params_billions"],
            "energy_per_token_j_low": round(min(per_token), 5),
            "energy_per_token_j_central": round(statistics.median(per_token), 5),
            "energy_per_token_j_high": round(max(per_token), 5),
            "avg_output_tokens": round(statistics.median(c["avg_output_len"] for c in configs), 1),
            "configurations": len(configs),
            "source": "ML.ENERGY Leaderboard v3 (ml.energy/leaderboard), measured GPU energy; derived here",
            "vintage": vintage,
            "licence": "derived figures (facts), attribution to The ML.ENERGY Initiative",
        })
    out = Path("data/inference/energy_per_token.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(rows).write_csv(out)
    print(f"{len(rows)} model x GPU x task rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
