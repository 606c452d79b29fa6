"""Workload catalog: validation, resolution, and the footprint core on hand-computed examples."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from ingestion.core.footprint import References, hourly_intensity, workload_footprint
from ingestion.sources.inference.energy_per_token import parse_energy_per_token
from ingestion.sources.workloads.load import load_workloads
from tests.conftest import DATA

GOOD = """
  - id: good-one
    kind: training
    accelerator: A100-SXM4-80GB
    count: 8
    days: 2
    location: {country: FR}
"""




def load(tmp_path: Path, body: str, resolver, places):
    (tmp_path / "w.yaml").write_text("workloads:\n" + GOOD + body)
    return load_workloads(tmp_path, resolver=resolver, places=places, load_id="t")


@pytest.mark.parametrize(("body", "field", "reason"), [
    ("  - {id: bad, kind: training, accelerator: A999, days: 1, location: {country: FR}}\n",
     "accelerator", "unknown accelerator 'A999'"),
    ("  - {id: bad, kind: training, accelerator: T4, days: -3, location: {country: FR}}\n",
     "days", "greater than or equal to 0"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, location: {provider: aws, region: mars-north-1}}\n",
     "location", "unknown aws region 'mars-north-1'"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, location: {provider: aws, region: us-east-9}}\n",
     "location", "unknown aws region 'us-east-9'; closest: us-east-2, us-east-1"),
    ("  - {id: bad, kind: training, accelerator: T4, location: {country: FR}}\n",
     "days", "missing duration"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, accelerator_hours: 24, location: {country: FR}}\n",
     "accelerator_hours", "give one duration, not days and accelerator_hours"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, power: {measured_w: 60, utilisation: 0.5},"
     " location: {country: FR}}\n", "power", "give measured_w or utilisation, not both"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, convention: meta-model-card, power: {measured_w: 60},"
     " location: {country: FR}}\n", "power", "meta-model-card prices accelerator-hours at the catalog TDP"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, convention: luccioni2022-dynamic,"
     " overrides: {pue: 1.2}, location: {country: FR}}\n", "overrides.pue", "fixes PUE at 1.0"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, convention: patterson2021, location: {country: FR}}\n",
     "power.measured_w", "needs power.measured_w"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, convention: nature2025, location: {country: FR}}\n",
     "convention", "Input should be"),
    ("  - {id: bad, kind: training, accelerator: T4, days: 1, finetunes: good-on, location: {country: FR}}\n",
     "finetunes", "no training workload 'good-on' loaded; closest: good-one"),
    ("  - {id: bad, kind: inference, accelerator: T4, days: 1, finetunes: good-one, location: {country: FR},"
     " inference: {requests_per_day: 10}}\n", "finetunes", "only a training workload can fine-tune"),
])
def test_a_bad_workload_names_file_id_field_and_fix_and_the_others_still_load(tmp_path, resolver, places,
                                                                              body, field, reason):
    result = load(tmp_path, body, resolver, places)
    assert result.rows["workload_id"].to_list() == ["good-one"]
    rejected = result.rejected.row(0, named=True)
    assert (rejected["source_file"], rejected["record_name"], rejected["field"]) == ("w.yaml", "bad", field)
    assert reason in rejected["reason"] and rejected["fix"]
    # the YAML line of the bad workload (after `workloads:`, a blank line and the good one's six)
    assert rejected["source_row"] == 9


def test_a_rejection_names_the_line_of_the_field_and_points_a_newcomer_to_the_right_one(tmp_path, resolver, places):
    body = """  - id: bad
    kind: training
    accelerator: T4
    hours: 10
    location: {country: FR}
  - id: worse
    kind: training
    accelerator: T4
    days: 1
    power:
      measured_w: -5
    location: {country: FR}
"""
    rejected = {r["record_name"]: r for r in load(tmp_path, body, resolver, places).rejected.to_dicts()}
    assert (rejected["bad"]["source_row"], rejected["bad"]["field"]) == (12, "hours")
    assert "accelerator_hours" in rejected["bad"]["fix"] and "days" in rejected["bad"]["fix"]
    assert (rejected["worse"]["source_row"], rejected["worse"]["field"]) == (19, "power.measured_w")
    assert "power.measured_w" in rejected["worse"]["fix"]


def test_names_and_places_resolve(tmp_path, resolver, places):
    body = "  - {id: cloud, kind: training, accelerator: NVIDIA H100 80GB HBM3, accelerator_hours: 10, " \
           "location: {provider: azure, region: West Europe}}\n"
    rows = {r["workload_id"]: r for r in load(tmp_path, body, resolver, places).rows.to_dicts()}
    assert rows["good-one"]["accelerator"] == "NVIDIA A100 SXM4 80GB" and rows["good-one"]["zone_id"] == "FR"
    assert rows["cloud"]["accelerator"] == "NVIDIA H100 SXM5 80GB" and rows["cloud"]["zone_id"] == "NL"


def refs(hourly=None) -> References:
    return References(
        accelerators=pl.DataFrame({"canonical_name": ["X"], "tdp_low_w": [300.0], "tdp_w": [400.0],
                                   "tdp_high_w": [500.0], "embodied_kgco2e": [150.0]}),
        zones=pl.DataFrame({"zone_id": ["Z"], "country_zone_id": ["Z"]}),
        annual=pl.DataFrame({"zone_id": ["Z", "Z"], "year": [2023, 2024], "gco2e_per_kwh": [300.0, 200.0]}),
        hourly=hourly if hourly is not None else pl.DataFrame(
            schema={"zone_id": pl.String, "hour_start": pl.Datetime("us"), "gco2e_per_kwh": pl.Float64}),
        ewif=pl.DataFrame({"zone_id": ["Z"], "year": [2024], "ewif_low_l_per_kwh": [1.0],
                           "ewif_l_per_kwh": [2.0], "ewif_high_l_per_kwh": [3.0]}),
        efficiency=pl.DataFrame({"provider": ["default"], "scope": ["default"], "year": [2024],
                                 "pue_low": [1.2], "pue_central": [1.5], "pue_high": [1.6], "pue_source": ["d"],
                                 "wue_low_l_per_kwh": [0.3], "wue_central_l_per_kwh": [0.5],
                                 "wue_high_l_per_kwh": [1.0], "wue_source": ["d"]}),
    )


def workload(**extra):
    base = {"workload_id": "w", "kind": "training", "accelerator": "X", "accelerator_count": 2, "zone_id": "Z",
            "days_low": 1.0, "days_central": 1.0, "days_high": 1.0}
    return base | extra


def test_tdp_range_default_pue_annual_intensity_water_and_embodied_by_hand():
    out = workload_footprint(workload(), refs())
    # 2 accelerators x 24 h x 300/400/500 W = 14.4 / 19.2 / 24.0 kWh IT
    assert (out["it_energy_kwh_low"], out["it_energy_kwh_central"], out["it_energy_kwh_high"]) == pytest.approx(
        (14.4, 19.2, 24.0))
    assert out["facility_energy_kwh_central"] == pytest.approx(19.2 * 1.5)  # default PUE 1.5
    assert out["location_kgco2e_central"] == pytest.approx(19.2 * 1.5 * 0.200)  # latest year, 200 g
    assert out["water_onsite_l_central"] == pytest.approx(19.2 * 0.5)
    assert out["water_offsite_l_high"] == pytest.approx(24.0 * 1.6 * 3.0)
    assert out["embodied_kgco2e_central"] == pytest.approx(2 * 24 / (4 * 8760) * 150)
    assert out["intensity_source"] == "annual Z 2024" and out["pue_source"].startswith("default")


def test_hourly_intensity_differs_from_its_annual_twin_by_the_expected_amount():
    start = dt.datetime(2024, 3, 1, 0, 30)
    hours = [dt.datetime(2024, 3, 1, h) for h in range(4)]
    series = pl.DataFrame({"zone_id": ["Z"] * 4, "hour_start": hours, "gco2e_per_kwh": [100.0, 200.0, 300.0, 400.0]})
    # 3 hours of constant load from 00:30: half of hour 0, hours 1 and 2, half of hour 3
    expected = (0.5 * 100 + 200 + 300 + 0.5 * 400) / 3
    assert hourly_intensity(series, "Z", start, start + dt.timedelta(hours=3)) == pytest.approx(expected)
    timed = workload(days_low=None, days_central=None, days_high=None, period_start=start,
                     period_end=start + dt.timedelta(hours=3), accelerator_hours_low=6.0,
                     accelerator_hours_central=6.0, accelerator_hours_high=6.0)
    hourly = workload_footprint(timed, refs(series))
    annual = workload_footprint(timed, refs())  # the same workload where the zone has no hourly data
    assert hourly["intensity_source"] == "hourly (Z)" and annual["intensity_source"] == "annual Z 2024"
    assert hourly["location_kgco2e_central"] / annual["location_kgco2e_central"] == pytest.approx(expected / 200)


def test_carbon_free_share_lowers_market_based_only():
    out = workload_footprint(workload(carbon_free_share_low=0.5, carbon_free_share_central=0.7,
                                      carbon_free_share_high=0.9), refs())
    assert out["market_kgco2e_central"] == pytest.approx(out["location_kgco2e_central"] * 0.3)
    assert out["market_kgco2e_high"] == pytest.approx(out["location_kgco2e_high"] * 0.5)  # high uses the low share


@pytest.fixture(scope="module")
def energy():
    return parse_energy_per_token(DATA / "inference/energy_per_token.csv").rows


def test_energy_per_request_from_tokens_and_measured_energy_per_token(tmp_path, resolver, places, energy):
    body = ("  - {id: api, kind: inference, accelerator: H100 SXM, days: 1, location: {country: FR},\n"
            "     inference: {requests_per_day: 10, tokens_per_request: 600, energy_model: Llama 3.1 8B Instruct}}\n"
            "  - {id: nope, kind: inference, accelerator: H100 SXM, days: 1, location: {country: FR},\n"
            "     inference: {requests_per_day: 10, tokens_per_request: 600, energy_model: Llama 9 1B}}\n")
    (tmp_path / "w.yaml").write_text("workloads:\n" + GOOD + body)
    result = load_workloads(tmp_path, resolver=resolver, places=places, load_id="t", energy=energy)
    row = result.rows.filter(pl.col("workload_id") == "api").row(0, named=True)
    measured = energy.filter((pl.col("task") == "lm-arena-chat") & (pl.col("nickname") == "Llama 3.1 8B Instruct")
                             & (pl.col("gpu_model") == "H100")).row(0, named=True)
    assert row["energy_per_request_wh_central"] == pytest.approx(600 * measured["energy_per_token_j_central"] / 3600)
    assert "1 x H100" in row["energy_per_request_source"]
    # the setup chosen is kept, so the model-size remedy can compare like with like
    assert (row["energy_model_id"], row["energy_task"], row["energy_gpu_model"], row["energy_num_gpus"]) == (
        "meta-llama/Llama-3.1-8B-Instruct", "lm-arena-chat", "H100", 1)
    rejected = result.rejected.row(0, named=True)
    assert (rejected["record_name"], rejected["field"]) == ("nope", "inference.energy_model")
    assert "closest" in rejected["reason"]


def test_conventions_reproduce_their_sources_and_differ_from_the_warehouse_where_they_should():
    given = {"energy_kwh_low": 1100.0, "energy_kwh_central": 1100.0, "energy_kwh_high": 1100.0,
             "energy_basis": "facility", "pue_low": 1.1, "pue_central": 1.1, "pue_high": 1.1}
    ours = workload_footprint(workload(**given), refs())
    li = workload_footprint(workload(**given, convention="li2023"), refs())
    # warehouse: facility energy given, IT = 1,100 / 1.1 = 1,000 kWh, PUE applied once
    assert (ours["it_energy_kwh_central"], ours["facility_energy_kwh_central"]) == pytest.approx((1000, 1100))
    assert ours["water_offsite_l_central"] == pytest.approx(1100 * 2.0)
    # li2023: E is the base of both terms and PUE is applied on top of it again
    assert (li["it_energy_kwh_central"], li["facility_energy_kwh_central"]) == pytest.approx((1100, 1210))
    assert li["water_onsite_l_central"] == pytest.approx(1100 * 0.5) and li["convention"] == "li2023"
    # a model card: accelerator-hours x TDP, no range, no PUE, whatever the fleet default is
    card = workload_footprint(workload(convention="meta-model-card"), refs())
    assert card["it_energy_kwh_low"] == card["it_energy_kwh_high"] == pytest.approx(2 * 24 * 0.4)
    assert card["facility_energy_kwh_central"] == pytest.approx(19.2) and "PUE not applied" in card["pue_source"]


def test_distillation_hours_derived_from_tokens_by_hand(tmp_path, resolver, places):
    # teacher 10B and student 1B active: 1e9 tokens x (6 x 1e9 + 2 x 10e9) = 2.6e19 FLOPs; on a
    # 100 TFLOP/s part at 50 % MFU: 2.6e19 / 5e13 / 3600 = 144.44 accelerator-hours (central)
    energy = pl.DataFrame({"task": ["chat", "chat"], "model_id": ["org/teacher", "org/student"],
                           "nickname": ["Teacher", "Student"], "activated_params_billions": [10.0, 1.0]})
    body = ("  - {id: distil, kind: training, accelerator: A100-SXM4-80GB, count: 64, location: {country: FR},\n"
            "     distillation: {teacher: Teacher, student: org/student, tokens: 1.0e9,"
            " mfu: {low: 0.25, central: 0.5, high: 1.0}}}\n"
            "  - {id: no-peak, kind: training, accelerator: A100-SXM4-80GB, count: 1, location: {country: FR},\n"
            "     distillation: {teacher: Teacher, student: Student, tokens: 1.0e9}}\n"
            "  - {id: unknown-student, kind: training, accelerator: A100-SXM4-80GB, location: {country: FR},\n"
            "     distillation: {teacher: Teacher, student: Studnt, tokens: 1.0e9}}\n"
            "  - {id: twice, kind: training, accelerator: A100-SXM4-80GB, days: 2, location: {country: FR},\n"
            "     distillation: {teacher: Teacher, student: Student, tokens: 1.0e9}}\n"
            "  - {id: serving, kind: inference, accelerator: A100-SXM4-80GB, days: 2, location: {country: FR},\n"
            "     inference: {requests_per_day: 1}, distillation: {teacher: Teacher, student: Student}}\n"
            "  - {id: published, kind: training, accelerator: A100-SXM4-80GB, location: {country: FR},\n"
            "     training_flop: 5.0e+19, distillation: {teacher: Teacher, student: Student, tokens: 1.0e9}}\n"
            "  - {id: flop-serving, kind: inference, accelerator: A100-SXM4-80GB, days: 2, location: {country: FR},\n"
            "     training_flop: 1.0e+20, inference: {requests_per_day: 1}}\n")
    (tmp_path / "w.yaml").write_text("workloads:\n" + GOOD + body)
    result = load_workloads(tmp_path, resolver=resolver, places=places, load_id="t", energy=energy,
                            peak_bf16_tflops={resolver.resolve("A100-SXM4-80GB"): 100.0})
    row = result.rows.filter(pl.col("workload_id") == "distil").row(0, named=True)
    assert row["accelerator_hours_central"] == pytest.approx(2.6e19 / (100e12 * 0.5) / 3600)
    # more hours at the low MFU, fewer at the high one
    assert (row["accelerator_hours_low"], row["accelerator_hours_high"]) == pytest.approx(
        (2.6e19 / 100e12 / 3600, 2.6e19 / 25e12 / 3600))
    assert (row["distills_teacher_model_id"], row["distills_student_model_id"]) == ("org/teacher", "org/student")
    assert row["accelerator_hours_basis"].startswith("derived: 1e+09 tokens x (6 x 1B student + 2 x 10B teacher)")
    assert row["training_flop"] == pytest.approx(2.6e19) and row["training_flop_basis"].startswith("derived: 1e+09")
    reasons = {r["record_name"]: (r["field"], r["reason"]) for r in result.rejected.to_dicts()}
    assert set(reasons) == {"unknown-student", "twice", "serving", "flop-serving"}
    assert "training_flop is the work of a training run" in reasons["flop-serving"][1]
    # a published FLOP count wins over the estimate from tokens, and the hours follow from it
    published = result.rows.filter(pl.col("workload_id") == "published").row(0, named=True)
    assert (published["training_flop"], published["training_flop_basis"]) == (5.0e19, "declared (see source)")
    assert published["accelerator_hours_central"] == pytest.approx(5.0e19 / (100e12 * 0.4) / 3600)
    assert reasons["unknown-student"][0] == "distillation" and "closest: Student" in reasons["unknown-student"][1]
    assert "give one duration, not days and distillation.tokens" in reasons["twice"][1]
    assert "only a training workload can distil" in reasons["serving"][1]
    # without a BF16 peak for the accelerator, the hours cannot be derived: named, with the fix
    result = load_workloads(tmp_path, resolver=resolver, places=places, load_id="t", energy=energy,
                            peak_bf16_tflops={})
    rejected = result.rejected.filter(pl.col("record_name") == "no-peak").row(0, named=True)
    assert rejected["field"] == "accelerator" and "no peak BF16" in rejected["reason"]
    assert "accelerator_hours" in rejected["fix"]


def test_fine_tune_work_from_tokens_full_or_adapters_by_hand(tmp_path, resolver, places):
    # 1e9 tokens through a 7B model: 6 x 7e9 x 1e9 = 4.2e19 FLOPs for a full fine-tune, 4 x = 2.8e19 with
    # adapters only; at 50 % of 100 TFLOP/s: 233.3 and 155.6 accelerator-hours
    body = ("  - {id: full, kind: training, finetunes: good-one, accelerator: A100-SXM4-80GB, count: 8,\n"
            "     location: {country: FR}, training_tokens: {tokens: 1.0e9, parameters_billions: 7, mfu: 0.5}}\n"
            "  - {id: lora, kind: training, finetunes: good-one, accelerator: A100-SXM4-80GB,\n"
            "     location: {country: FR},\n"
            "     training_tokens: {tokens: 1.0e9, parameters_billions: 7, method: adapters, mfu: 0.5}}\n"
            "  - {id: both, kind: training, accelerator: A100-SXM4-80GB, days: 1, location: {country: FR},\n"
            "     training_tokens: {tokens: 1.0e9, parameters_billions: 7}}\n"
            "  - {id: serving, kind: inference, accelerator: A100-SXM4-80GB, days: 1, location: {country: FR},\n"
            "     inference: {requests_per_day: 1}, training_tokens: {tokens: 1.0e9, parameters_billions: 7}}\n")
    (tmp_path / "w.yaml").write_text("workloads:\n" + GOOD + body)
    result = load_workloads(tmp_path, resolver=resolver, places=places, load_id="t",
                            peak_bf16_tflops={resolver.resolve("A100-SXM4-80GB"): 100.0})
    rows = {r["workload_id"]: r for r in result.rows.to_dicts()}
    assert rows["full"]["training_flop"] == pytest.approx(4.2e19)
    assert rows["full"]["accelerator_hours_central"] == pytest.approx(4.2e19 / 50e12 / 3600)
    assert rows["lora"]["accelerator_hours_central"] == pytest.approx(2.8e19 / 50e12 / 3600)
    assert rows["lora"]["training_flop_basis"] == "derived: 1e+09 tokens x 4 x 7B parameters (adapters)"
    assert rows["lora"]["training_tokens_central"] == 1e9
    reasons = {r["record_name"]: r["reason"] for r in result.rejected.to_dicts()}
    assert "give one duration, not days and training_tokens" in reasons["both"]
    assert "training_tokens is the work of a training run" in reasons["serving"]
