"""The "greener infrastructure" remedy, lever by lever, priced by the one pricing function.

Each lever is the workload's own input row with its IT energy fixed (the energy it needed) and one
thing changed, priced by `workload_footprint` exactly as the workload was:
(b) the provider's lowest-carbon region (the best option of `siting_options`);
(c) a stated carbon-free share on the market-based figure;
(d) the best fleet PUE and WUE of the reference data, never worse than the workload's own;
and all three together.
"""

from __future__ import annotations

import polars as pl

from ingestion.core.footprint import BOUNDS, References, flat_input, total_water_l, workload_footprint

COLUMNS = {"workload_id": pl.String, "kind": pl.String, "provider": pl.String, "region": pl.String,
           "declared_kgco2e": pl.Float64, "declared_water_l": pl.Float64, "greenest_region": pl.String,
           "greenest_region_kgco2e": pl.Float64, "cfe_share": pl.Float64, "cfe_kgco2e": pl.Float64,
           "best_pue": pl.Float64, "best_wue_l_per_kwh": pl.Float64, "best_pue_source": pl.String,
           "best_wue_source": pl.String, "best_efficiency_kgco2e": pl.Float64,
           "best_efficiency_water_l": pl.Float64, "all_levers_kgco2e": pl.Float64}


def best_fleet(efficiency: pl.DataFrame, column: str, source: str) -> tuple[float, str]:
    """The lowest fleet-wide value any provider reports (newest first on ties), with its source."""
    fleets = efficiency.filter(pl.col("scope").str.starts_with("global")
                               & ~pl.col("provider").is_in(["default", "industry"]) & pl.col(column).is_not_null())
    row = fleets.sort([column, "year", "provider"], descending=[False, True, False]).row(0, named=True)
    return row[column], f"{row['provider']} {row['scope']} {row['year']}: {row[source]}"


def _at_it_energy(row: dict, priced: dict, **changes) -> dict:
    """The row with its IT energy fixed at what it was priced at, so a lever changes only the factors."""
    fixed = {f"energy_kwh_{b}": priced[f"it_energy_kwh_{b}"] for b in BOUNDS}
    fixed |= {f"{name}_{b}": None for name in ("idle_energy_kwh", "energy_per_request_wh") for b in BOUNDS}
    return {**row, **fixed, "energy_basis": "it", **changes}


def green_levers(workloads: pl.DataFrame, siting: pl.DataFrame, refs: References, cfe_share: float) -> pl.DataFrame:
    pue, pue_source = best_fleet(refs.efficiency, "pue_central", "pue_source")
    wue, wue_source = best_fleet(refs.efficiency, "wue_central_l_per_kwh", "wue_source")
    greenest = {r["workload_id"]: r for r in siting.sort("location_kgco2e", "candidate_region")
                .unique("workload_id", keep="first").to_dicts()}
    out = []
    for row in workloads.to_dicts():
        declared = workload_footprint(row, refs)
        best_pue, best_wue = min(pue, declared["pue_central"]), min(wue, declared["wue_l_per_kwh_central"])
        best = flat_input("pue", best_pue) | flat_input("wue_l_per_kwh", best_wue)
        cfe = flat_input("carbon_free_share", cfe_share) | flat_input("market_kg_per_kwh", None)
        green = greenest.get(row["workload_id"])
        moved = {"region": green["candidate_region"], "zone_id": green["candidate_zone_id"]} \
            if green and green["location_kgco2e"] < declared["location_kgco2e_central"] else {}
        efficient = workload_footprint(_at_it_energy(row, declared, **best), refs)
        everything = workload_footprint(_at_it_energy(row, declared, **best, **cfe, **moved), refs)
        out.append({
            "workload_id": row["workload_id"], "kind": row["kind"], "provider": row["provider"],
            "region": row["region"], "declared_kgco2e": declared["location_kgco2e_central"],
            "declared_water_l": total_water_l(declared),
            "greenest_region": green["candidate_region"] if green else None,
            "greenest_region_kgco2e": min(green["location_kgco2e"], declared["location_kgco2e_central"])
            if green else declared["location_kgco2e_central"],
            "cfe_share": cfe_share,
            "cfe_kgco2e": workload_footprint(_at_it_energy(row, declared, **cfe), refs)["market_kgco2e_central"],
            "best_pue": best_pue, "best_wue_l_per_kwh": best_wue, "best_pue_source": pue_source,
            "best_wue_source": wue_source, "best_efficiency_kgco2e": efficient["location_kgco2e_central"],
            "best_efficiency_water_l": total_water_l(efficient),
            "all_levers_kgco2e": everything["market_kgco2e_central"]})
    return pl.DataFrame(out, schema=COLUMNS)
