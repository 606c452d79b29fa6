"""Derive data/water/water_factors.csv from Macknick et al. 2012 operational water consumption.

    python scripts/derive_water_factors.py --macknick <CSV of Macknick et al. 2012 medians>

Each technology and cooling median (L/kWh) becomes a row under our canonical fuel; per fuel one
row is the default (Macknick's fleet blend for unknown technology), with low and high set to the
smallest and largest technology median of that fuel (the spread across technologies; Macknick's
own min and max were not available in verifiable form). Oil, which Macknick does not cover, uses
natural-gas steam turbines as a proxy; other fossil uses coal; unknown generation uses gas.
A provenance record: the build reads the CSV.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

FUELS = {"coal": "coal", "natural gas": "gas", "nuclear": "nuclear", "csp": "solar", "solar pv": "solar",
         "biopower": "bioenergy", "geothermal": "other_renewables", "hydropower": "hydro", "wind": "wind"}
SOURCE = "Macknick et al. 2012, Environ. Res. Lett. 7 045802, operational water consumption medians"
PROXIES = {  # fuel -> (Macknick fuel, technology, cooling, why)
    "oil": ("natural gas", "steam", "tower", "proxy: oil-fired steam plants cool like gas steam plants"),
    "other_fossil": ("coal", "fleet default (unknown tech)", "mixed", "proxy: coal fleet blend"),
    "other": ("natural gas", "fleet default (unknown tech)", "mixed", "proxy: gas fleet blend (thermal assumption)"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--macknick", required=True, type=Path)
    parser.add_argument("--out", default=Path("data/water/water_factors.csv"), type=Path)
    args = parser.parse_args()
    rows = list(csv.DictReader(open(args.macknick, encoding="utf-8")))
    spread: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["row_type"] == "technology_median":
            fuel = FUELS[r["fuel"]]
            if not (fuel == "solar" and r["fuel"] == "csp"):  # PV is what solar mixes mostly are
                spread[fuel].append(float(r["consumption_median_l_per_kwh"]))
    out = []
    for r in rows:
        fuel = FUELS[r["fuel"]]
        default = r["row_type"] == "default_blend" and not (fuel == "solar" and r["fuel"] == "csp")
        value = float(r["consumption_median_l_per_kwh"])
        out.append({
            "fuel": fuel, "technology": f"{r['fuel']}: {r['technology']}", "cooling": r["cooling"],
            "metric": "consumption", "low_l_per_kwh": min(spread[fuel]) if default else "",
            "central_l_per_kwh": value, "high_l_per_kwh": max(spread[fuel]) if default else "",
            "is_fuel_default": default, "source": SOURCE, "note": "", "licence": "facts with citation",
        })
    for fuel, (m_fuel, tech, cooling, why) in PROXIES.items():
        base = next(r for r in rows if r["fuel"] == m_fuel and r["technology"] == tech and r["cooling"] == cooling)
        proxy_spread = spread[FUELS[m_fuel]]
        out.append({
            "fuel": fuel, "technology": f"proxy ({m_fuel}: {tech})", "cooling": cooling, "metric": "consumption",
            "low_l_per_kwh": min(proxy_spread), "central_l_per_kwh": float(base["consumption_median_l_per_kwh"]),
            "high_l_per_kwh": max(proxy_spread), "is_fuel_default": True, "source": SOURCE, "note": why,
            "licence": "facts with citation",
        })
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(out[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"{len(out)} rows; defaults for {sorted({o['fuel'] for o in out if o['is_fuel_default']})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
