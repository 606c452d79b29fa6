"""Carbon intensity computed from a generation mix: Σ generation_f × factor_f / Σ generation_f.

Used for feeds that publish generation by fuel but no intensity (EIA-930, ENTSO-E A75). Factors
come from data/grid/emission_factors.csv (each with its source), for both bases. Storage discharge
and imports are left out (their energy was generated elsewhere or earlier); negative values (net
consumption, e.g. pumping) are left out too. The result's kind is "computed_from_mix".
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

EXCLUDED = {"storage", "imports"}


def read_factors(path: Path) -> dict[tuple[str, str], float]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {(r["fuel"], r["basis"]): float(r["gco2e_per_kwh"]) for r in csv.DictReader(handle)}


def intensity_from_mix(generation: dict[str, float], factors: dict[tuple[str, str], float],
                       basis: str) -> float | None:
    """generation: canonical fuel -> MWh (or MW) for one zone and period."""
    usable = {f: v for f, v in generation.items() if f not in EXCLUDED and v is not None and v > 0}
    total = sum(usable.values())
    if total <= 0:
        return None
    return sum(v * factors[(f, basis)] for f, v in usable.items()) / total


def group_generation(rows: list[dict]) -> dict[tuple, dict[str, float]]:
    """Sum MWh per (zone, period_start, period_end, resolution) and canonical fuel."""
    grouped: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        if row["generation_mwh"] is not None:
            key = (row["zone_id"], row["period_start"], row["period_end"], row["resolution_minutes"])
            grouped[key][row["fuel"]] += row["generation_mwh"]
    return grouped


def add_computed_intensity(rows: list[dict], factors, *, feed: str, source: str, licence: str, retrieved_at,
                           load_id: str, batch) -> None:
    """Append one computed_from_mix observation per zone, period and basis; fill the mix shares."""
    grouped = group_generation(rows)
    totals = {(k[0], k[1]): sum(v for v in g.values() if v > 0) for k, g in grouped.items()}
    for mix in batch.mix:  # shares, now that each hour's total is known
        total = totals.get((mix["zone_id"], mix["period_start"]), 0)
        if mix["generation_mwh"] is not None and total > 0:
            mix["share_pct"] = max(mix["generation_mwh"], 0) / total * 100
    for (zone, start, end, minutes), generation in grouped.items():
        for basis in ("lifecycle", "direct"):
            value = intensity_from_mix(generation, factors, basis)
            if value is not None:
                batch.observations.append({
                    "feed": feed, "zone_id": zone, "period_start": start, "period_end": end,
                    "resolution_minutes": minutes, "gco2e_per_kwh": value, "kind": "computed_from_mix",
                    "basis": basis, "estimation_method": None, "source": source, "licence": licence,
                    "retrieved_at": retrieved_at, "load_id": load_id})
