"""The same work on newer hardware, each candidate priced by the one pricing function, by hand."""

import datetime as dt

import polars as pl
import pytest

from ingestion.core.footprint import References
from ingestion.core.newer_hardware import on_newer_hardware
from tests.unit.test_workloads import refs

CATALOG = pl.DataFrame({
    "canonical_name": ["A", "B", "OLD"],
    "release_date": [dt.date(2022, 1, 1), dt.date(2024, 1, 1), dt.date(2020, 1, 1)],
    "tdp_low_w": [500.0, 1000.0, 300.0], "tdp_w": [500.0, 1000.0, 300.0], "tdp_high_w": [500.0, 1000.0, 300.0],
    "peak_bf16_fp16_tflops": [1000.0, 2000.0, 100.0], "embodied_kgco2e": [None, 876.0, None],
    "embodied_low_kgco2e": [None, 876.0, None], "embodied_high_kgco2e": [None, 876.0, None],
    "embodied_method": [None, "published: x", None]})


def run(**extra) -> dict:
    flat = {f"{name}_{b}": value for name, value in (("accelerator_hours", 100.0), ("pue", 1.25),
                                                     ("grid_kg_per_kwh", 0.4), ("wue_l_per_kwh", 0.5),
                                                     ("ewif_l_per_kwh", 2.0)) for b in ("low", "central", "high")}
    return {"workload_id": "t", "kind": "training", "accelerator": "A", "accelerator_count": 1, "zone_id": "Z",
            "training_flop": None, "training_flop_basis": None, **flat, **extra}


def priced(row: dict, mfu: float) -> dict:
    out = on_newer_hardware(pl.DataFrame([row]), References(**{**refs().__dict__, "accelerators": CATALOG}), mfu)
    return {r["accelerator"]: r for r in out.to_dicts()}


def test_the_same_flops_on_a_newer_part_in_the_same_place_by_hand():
    # 100 h of a 1,000 TFLOP/s, 500 W part at 0.5 of peak: 1.8e20 FLOP. The newer part (2,000 TFLOP/s,
    # 1,000 W) does it in 50 h for the same 50 kWh; the older one is not offered. PUE 1.25, 400 g/kWh:
    # 62.5 kWh and 25 kg either way; water 50 x 0.5 + 62.5 x 2 = 150 L; B's 876 kg over 4 years: 1.25 kg.
    rows = priced(run(), 0.5)
    assert set(rows) == {"A", "B"} and rows["A"]["is_original"] and not rows["B"]["is_original"]
    for name, hours in (("A", 100.0), ("B", 50.0)):
        assert rows[name]["training_flop"] == pytest.approx(1.8e20) and rows[name]["accelerator_hours"] == hours
        assert (rows[name]["it_energy_kwh"], rows[name]["facility_energy_kwh"], rows[name]["location_kgco2e"],
                rows[name]["water_l"]) == pytest.approx((50.0, 62.5, 25.0, 150.0))
    assert rows["A"]["embodied_kgco2e"] is None and rows["B"]["embodied_kgco2e"] == pytest.approx(50 / (4 * 8760) * 876)


def test_declared_flops_give_the_utilisation_the_run_achieved():
    # 9e19 FLOP over 100 h of a 1,000 TFLOP/s part: 25 % of peak; at the stated 50 % it takes 50 h (25 kWh)
    rows = priced(run(training_flop=9e19, training_flop_basis="declared (see source)"), 0.5)
    assert rows["A"]["as_run_utilisation"] == pytest.approx(0.25) and rows["A"]["accelerator_hours"] == 50.0
    assert rows["A"]["it_energy_kwh"] == pytest.approx(25.0) and rows["B"]["it_energy_kwh"] == pytest.approx(25.0)
    assert rows["A"]["flop_basis"] == "declared (see source)"
