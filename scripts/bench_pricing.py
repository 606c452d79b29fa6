"""Benchmark of the one pricing function at the sizes users declare: workloads priced, and every
cloud workload re-priced in each region of its provider (the siting options), against a year of
hourly intensity. `make bench-pricing`.

All inputs are SYNTHETIC (seeded): `--zones` zones with a year of hourly intensity; `--workloads`
cloud workloads over `--regions` regions of one provider, a share of them (`--timed`) with a start
and end (priced on the hourly series where every hour is there). Prints wall time and time per
priced row.

    python scripts/bench_pricing.py [--workloads 1000] [--regions 35] [--zones 50] [--timed 0.5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import polars as pl

from ingestion.core.footprint import References, footprints
from ingestion.core.siting import siting_options


def inputs(workloads: int, regions: int, zones: int, timed: float, seed: int = 7):
    rng = np.random.default_rng(seed)
    zone_ids = [f"Z{i}" for i in range(zones)]
    start = dt.datetime(2024, 1, 1)
    hours = pl.datetime_range(start, start + dt.timedelta(hours=8783), "1h", eager=True)
    hourly = pl.DataFrame({"zone_id": np.repeat(zone_ids, len(hours)),
                           "hour_start": pl.concat([hours] * zones),
                           "gco2e_per_kwh": rng.uniform(20, 800, zones * len(hours))})
    refs = References(
        accelerators=pl.DataFrame({"canonical_name": ["X"], "tdp_low_w": [600.0], "tdp_w": [700.0],
                                   "tdp_high_w": [700.0], "embodied_kgco2e": [164.0]}),
        zones=pl.DataFrame({"zone_id": zone_ids, "country_zone_id": zone_ids}),
        annual=pl.DataFrame({"zone_id": zone_ids, "year": [2024] * zones,
                             "gco2e_per_kwh": rng.uniform(20, 800, zones)}),
        hourly=hourly,
        ewif=pl.DataFrame({"zone_id": zone_ids, "year": [2024] * zones, "ewif_low_l_per_kwh": [1.0] * zones,
                           "ewif_l_per_kwh": [2.0] * zones, "ewif_high_l_per_kwh": [3.0] * zones}),
        efficiency=pl.DataFrame({"provider": ["aws"], "scope": ["global fleet"], "year": [2024],
                                 "pue_low": [1.1], "pue_central": [1.15], "pue_high": [1.2], "pue_source": ["s"],
                                 "wue_low_l_per_kwh": [0.1], "wue_central_l_per_kwh": [0.15],
                                 "wue_high_l_per_kwh": [0.2], "wue_source": ["s"]}))
    region_table = pl.DataFrame({"provider": ["aws"] * regions, "region": [f"r{i}" for i in range(regions)],
                                 "zone_id": [zone_ids[i % zones] for i in range(regions)]})
    rows = []
    for i in range(workloads):
        region = int(rng.integers(regions))
        begin = start + dt.timedelta(hours=int(rng.integers(0, 8000)))
        length = dt.timedelta(hours=float(rng.lognormal(3, 1)) % 700 + 1)
        is_timed = rng.random() < timed
        rows.append({"workload_id": f"w{i}", "kind": "training", "accelerator": "X", "accelerator_count": 8,
                     "provider": "aws", "region": f"r{region}", "zone_id": zone_ids[region % zones],
                     "period_start": begin if is_timed else None,
                     "period_end": begin + length if is_timed else None,
                     **{f"accelerator_hours_{b}": 8 * length.total_seconds() / 3600
                        for b in ("low", "central", "high")}})
    return pl.DataFrame(rows), region_table, refs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", type=int, default=1000)
    parser.add_argument("--regions", type=int, default=35)
    parser.add_argument("--zones", type=int, default=50)
    parser.add_argument("--timed", type=float, default=0.5)
    args = parser.parse_args()
    workloads, regions, refs = inputs(args.workloads, args.regions, args.zones, args.timed)
    print(f"{args.workloads:,} workloads ({args.timed:.0%} with start/end), {args.regions} regions, "
          f"{refs.hourly.height:,} hourly rows ({args.zones} zones x a year)")
    for name, run in (("workloads priced", lambda: footprints(workloads, refs)),
                      ("siting options", lambda: siting_options(workloads, regions, refs))):
        began = time.perf_counter()
        rows = run().height
        took = time.perf_counter() - began
        print(f"  {name:18s} {rows:>9,} rows  {took:8.1f} s  {1000 * took / rows:6.2f} ms per row")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
