"""The "newer hardware" remedy priced by the one pricing function.

Each training run's work (its FLOPs: published `training_flop`, else accelerator-hours x peak dense
BF16/FP16 x `mfu`) re-done on every accelerator released after the one it used, and on that one, at
`mfu` of each one's peak and its catalog TDP, in the same place: the run's own PUE, intensity, WUE
and EWIF, fixed as overrides. Each candidate is the run's input row with the accelerator and
accelerator-hours changed, priced by `workload_footprint` (embodied carbon included, over the
run's lifetime and use rate, with the server's share where declared).
"""

from __future__ import annotations

import polars as pl

from ingestion.core.footprint import BOUNDS, References, flat_input, total_water_l, workload_footprint

DERIVED = "derived: accelerator-hours x peak dense BF16/FP16 x utilisation (var training_mfu)"
COLUMNS = {"workload_id": pl.String, "original_accelerator": pl.String, "accelerator": pl.String,
           "is_original": pl.Boolean, "release_date": pl.Date, "training_flop": pl.Float64,
           "utilisation": pl.Float64, "flop_basis": pl.String, "declared_accelerator_hours": pl.Float64,
           "as_run_utilisation": pl.Float64, "as_run_it_energy_kwh": pl.Float64, "accelerator_hours": pl.Float64,
           "it_energy_kwh": pl.Float64, "facility_energy_kwh": pl.Float64, "location_kgco2e": pl.Float64,
           "water_l": pl.Float64, "embodied_kgco2e": pl.Float64}
# The run's power and duration inputs give way to the candidate's catalog TDP and hours.
CLEARED = ("measured_w", "utilisation", "host_overhead_w", "idle_energy_kwh", "energy_kwh", "days",
           "hours_per_day", "accelerator_hours")


def on_newer_hardware(workloads: pl.DataFrame, refs: References, mfu: float) -> pl.DataFrame:
    catalog = refs.accelerators.filter(pl.col("peak_bf16_fp16_tflops").is_not_null()
                                       & pl.col("release_date").is_not_null()).to_dicts()
    by_name = {a["canonical_name"]: a for a in catalog}
    out = []
    for row in workloads.filter(pl.col("kind") == "training").to_dicts():
        used = by_name.get(row.get("accelerator"))
        declared = workload_footprint(row, refs)
        hours = declared["accelerator_hours"]
        if used is None or not hours:
            continue
        peak = used["peak_bf16_fp16_tflops"] * 1e12
        published = (row.get("training_flop_basis") or "").startswith("declared")
        flop = row["training_flop"] if row.get("training_flop") is not None else hours * 3600 * peak * mfu
        same_place = (flat_input("pue", declared["pue_central"])
                      | flat_input("grid_kg_per_kwh", declared["intensity_g_per_kwh_central"] / 1000)
                      | flat_input("wue_l_per_kwh", declared["wue_l_per_kwh_central"])
                      | flat_input("ewif_l_per_kwh", declared["ewif_l_per_kwh_central"] or 0.0))
        base = {**row, **{f"{name}_{b}": None for name in CLEARED for b in BOUNDS}, **same_place,
                "convention": "warehouse", "energy_basis": "it", "period_start": None, "period_end": None}
        for candidate in catalog:
            original = candidate["canonical_name"] == used["canonical_name"]
            if not (original or candidate["release_date"] > used["release_date"]):
                continue
            candidate_hours = flop / (candidate["peak_bf16_fp16_tflops"] * 1e12 * mfu) / 3600
            priced = workload_footprint({**base, "accelerator": candidate["canonical_name"],
                                         **flat_input("accelerator_hours", candidate_hours)}, refs)
            out.append({
                "workload_id": row["workload_id"], "original_accelerator": used["canonical_name"],
                "accelerator": candidate["canonical_name"], "is_original": original,
                "release_date": candidate["release_date"], "training_flop": flop, "utilisation": mfu,
                "flop_basis": row.get("training_flop_basis") or DERIVED, "declared_accelerator_hours": hours,
                "as_run_utilisation": row["training_flop"] / (hours * 3600 * peak) if published else None,
                "as_run_it_energy_kwh": declared["it_energy_kwh_central"], "accelerator_hours": candidate_hours,
                "it_energy_kwh": priced["it_energy_kwh_central"],
                "facility_energy_kwh": priced["facility_energy_kwh_central"],
                "location_kgco2e": priced["location_kgco2e_central"],
                "water_l": total_water_l(priced),
                "embodied_kgco2e": priced["embodied_kgco2e_central"]})
    return pl.DataFrame(out, schema=COLUMNS)
