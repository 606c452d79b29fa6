"""The greener-infrastructure levers, each priced by the one pricing function, by hand."""

import polars as pl
import pytest

from ingestion.core.footprint import References
from ingestion.core.green import green_levers
from tests.unit.test_workloads import refs

EFFICIENCY = pl.DataFrame({
    "provider": ["gcp", "aws", "default"], "scope": ["global fleet", "global fleet", "default"],
    "year": [2024, 2025, 2024], "pue_low": [None, None, 1.5], "pue_central": [1.125, 1.25, 1.5],
    "pue_high": [None, None, 1.5], "pue_source": ["report g", "report a", "d"],
    "wue_low_l_per_kwh": [None, None, 0.5], "wue_central_l_per_kwh": [None, 0.125, 0.5],
    "wue_high_l_per_kwh": [None, None, 0.5], "wue_source": [None, "report a", "d"]})


def references() -> References:
    return References(**{
        **refs().__dict__, "efficiency": EFFICIENCY,
        "zones": pl.DataFrame({"zone_id": ["Z1", "Z2"], "country_zone_id": ["Z1", "Z2"]}),
        "annual": pl.DataFrame({"zone_id": ["Z1", "Z2"], "year": [2024, 2024], "gco2e_per_kwh": [400.0, 100.0]}),
        "ewif": pl.DataFrame({"zone_id": ["Z1", "Z2"], "year": [2024, 2024], "ewif_low_l_per_kwh": [2.0, 2.0],
                              "ewif_l_per_kwh": [2.0, 2.0], "ewif_high_l_per_kwh": [2.0, 2.0]}),
    })


def given(workload_id, kind, provider, region, energy, pue, wue):
    flat = {f"{name}_{b}": value for name, value in (("energy_kwh", energy), ("pue", pue), ("wue_l_per_kwh", wue))
            for b in ("low", "central", "high")}
    return {"workload_id": workload_id, "kind": kind, "provider": provider, "region": region, "zone_id": "Z1",
            "accelerator_count": 1, **flat}


def test_each_lever_by_hand_and_a_pue_better_than_the_best_is_kept():
    # 1,000 kWh IT at PUE 1.5 on a 400 g/kWh grid = 600 kg; the provider's greenest region (Z2, 100 g)
    # 150 kg; a 0.75 carbon-free share leaves 150 kg; the best fleet PUE 1.125 gives 450 kg; all
    # together 1,000 x 1.125 x 100 g x 0.25 = 28.125 kg. The home PC's own PUE 1.0 beats the best.
    workloads = pl.DataFrame([given("w", "training", "aws", "r1", 1000.0, 1.5, 0.5),
                              given("home", "inference", None, None, 100.0, 1.0, 0.0)])
    siting = pl.DataFrame({"workload_id": ["w", "w"], "candidate_region": ["r2", "r1"],
                           "candidate_zone_id": ["Z2", "Z1"], "location_kgco2e": [150.0, 600.0]})
    out = {r["workload_id"]: r for r in green_levers(workloads, siting, references(), 0.75).to_dicts()}
    w, home = out["w"], out["home"]
    assert w["declared_kgco2e"] == pytest.approx(600.0)
    assert w["greenest_region"] == "r2" and w["greenest_region_kgco2e"] == 150.0
    assert w["cfe_kgco2e"] == pytest.approx(150.0)
    assert (w["best_pue"], w["best_wue_l_per_kwh"]) == (1.125, 0.125)
    assert w["best_efficiency_kgco2e"] == pytest.approx(450.0)
    assert w["best_efficiency_water_l"] == pytest.approx(1000 * 0.125 + 1000 * 1.125 * 2.0)
    assert w["all_levers_kgco2e"] == pytest.approx(28.125)
    assert w["best_pue_source"] == "gcp global fleet 2024: report g"
    assert home["greenest_region"] is None and home["greenest_region_kgco2e"] == pytest.approx(40.0)
    assert home["best_pue"] == 1.0 and home["best_efficiency_kgco2e"] == pytest.approx(40.0)
    assert home["cfe_kgco2e"] == pytest.approx(10.0) == home["all_levers_kgco2e"]
