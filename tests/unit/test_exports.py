"""The export documents (dagster_project/lib/exports/) against their schemas, by hand: a BoAmps report
built from crafted rows valid against Boavizta's shipped JSON Schema, and the AI Act and SCI files'
rules (a missing field carries its reason; a score or the reason it has none)."""

import datetime as dt
import json

from dagster_project.lib.exports import boamps
from dagster_project.lib.exports.schemas import REPORTING, problems

BUILT = dt.datetime(2026, 12, 3, 14, 0)
JOB = {"report_subject": "job", "subject_id": "uk-hpc/codecarbon/run-1/2020-01-01T10:00:00", "task_stage": "other",
       "task_description": "codecarbon job run-1 of finetune-bert on uk-hpc (COMPLETED)", "model": None,
       "nb_request": None, "accelerator": "NVIDIA A100 SXM4 80GB", "accelerator_count": None,
       "measurement_method": "measured by CodeCarbon (v2 header)", "it_energy_kwh": 1.84,
       "measurement_duration_s": 10800.0, "measurement_start_utc": dt.datetime(2020, 1, 1, 7),
       "infra_type": "onPremise", "cloud_provider": None, "cloud_region": None, "country": "GB", "zone_id": "GB",
       "intensity_g_per_kwh": 184.0, "quality": "high", "sources": "logs/uk-hpc/codecarbon/emissions.csv"}
WORKLOAD = {**JOB, "report_subject": "workload", "subject_id": "gpt3-water", "task_stage": "training",
            "model": "gpt-3-175b", "accelerator": None, "accelerator_count": 1, "measurement_duration_s": None,
            "measurement_start_utc": None, "infra_type": "publicCloud", "cloud_provider": "azure",
            "cloud_region": None, "country": None, "zone_id": None, "quality": "medium"}


def test_a_job_report_is_valid_boamps_and_says_what_the_logs_do_not():
    report = boamps.report(JOB, build_id="b1", built_at=BUILT)
    assert problems("boamps", report) == []
    (component,) = report["infrastructure"]["components"]
    assert component == {"componentName": "NVIDIA A100 SXM4 80GB (number not logged)", "componentType": "gpu",
                         "nbComponent": 1, "share": 1}
    assert report["measures"] == [{"measurementMethod": "measured by CodeCarbon (v2 header)", "powerConsumption": 1.84,
                                   "measurementDuration": 10800.0, "measurementDateTime": "2020-01-01 07:00:00"}]
    assert report["environment"] == {"country": "GB", "location": "GB", "powerSourceCarbonIntensity": 184.0}
    assert report["header"]["reportDatetime"] == "2026-12-03 14:00:00"
    assert report["header"]["publisher"]["confidentialityLevel"] == "internal"  # a cluster's jobs
    assert boamps.report(JOB, build_id="b1", built_at=BUILT)["header"]["reportId"] == report["header"]["reportId"]
    assert boamps.report(JOB, build_id="b2", built_at=BUILT)["header"]["reportId"] != report["header"]["reportId"]


def test_a_workload_without_hardware_or_place_is_still_valid_and_invents_neither():
    report = boamps.report(WORKLOAD, build_id="b1", built_at=BUILT)
    assert problems("boamps", report) == []
    assert report["infrastructure"]["components"][0]["componentType"] == "other"
    assert "environment" not in report  # the format requires a country wherever it has an environment
    assert "measurementDuration" not in report["measures"][0]
    assert report["task"]["algorithms"] == [{"foundationModelName": "gpt-3-175b"}]


def test_the_boamps_schema_refuses_what_the_format_forbids():
    report = boamps.report(JOB, build_id="b1", built_at=BUILT)
    broken = json.loads(json.dumps(report))
    broken["infrastructure"]["infraType"] = "basement"
    broken["measures"][0].pop("powerConsumption")
    broken["quality"] = "excellent"
    found = problems("boamps", broken)
    assert any(p.startswith("infrastructure/infraType:") for p in found)
    assert any(p.startswith("measures/0:") and "powerConsumption" in p for p in found)
    assert any(p.startswith("quality:") for p in found)
    assert (REPORTING / "boamps" / "report_schema.json").exists()  # shipped, resolved offline


def ai_act_field(field: str, unit: str | None, **changes) -> dict:
    return {"field": field, "form_item": "asked", "value": 1300.0, "value_text": "1,300", "unit": unit,
            "significant_figures": 2, "basis": "estimated", "missing_reason": None,
            "mart_columns": "marts.fct_workload_footprint.facility_energy_kwh_central", "sources": "paper"} | changes


FIELDS = {"hardware": "accelerators", "training_time": "hours", "accelerator_hours": "accelerator-hours",
          "training_compute": "FLOP", "energy_consumption": "MWh", "energy_method": None}


def ai_act(fields: list[dict]) -> dict:
    return {"format": "x", "build_id": "b", "built_at": "t",
            "workloads": [{"workload_id": "w", "model": "m", "fields": fields}]}


def test_an_ai_act_record_needs_every_field_and_a_reason_for_each_missing_one():
    complete = [ai_act_field(f, u) for f, u in FIELDS.items()]
    assert problems("ai_act", ai_act(complete)) == []
    missing = [*complete[:3], ai_act_field("training_compute", "FLOP", value=None, value_text=None, basis="missing",
                                           missing_reason="no training_flop declared"), *complete[4:]]
    assert problems("ai_act", ai_act(missing)) == []
    unexplained = [*complete[:3], {**missing[3], "missing_reason": None}, *complete[4:]]
    assert problems("ai_act", ai_act(unexplained))  # missing, and not saying why
    invented = [*complete[:3], {**missing[3], "value": 3e23}, *complete[4:]]
    assert problems("ai_act", ai_act(invented))  # marked missing yet holding a value
    assert problems("ai_act", ai_act(complete[:5]))  # a field of the form left out
    assert problems("ai_act", ai_act([*complete[:4], ai_act_field("energy_consumption", "kWh"), complete[5]]))


def test_an_sci_score_or_the_reason_it_has_none():
    score = {"functional_unit": "request", "r_units": 10000.0, "e_kwh": 20.0, "i_g_per_kwh": 400.0, "i_source": "g",
             "m_gco2e": 2000.0, "m_source": "e", "operational_gco2e_per_unit": 0.8, "embodied_gco2e_per_unit": 0.2,
             "sci_gco2e_per_unit": 1.0, "sci_missing_reason": None, "market_based_gco2e_per_unit": 0.2,
             "boundary": "consumer"}
    document = {"format": "x", "build_id": "b", "built_at": "t",
                "workloads": [{"workload_id": "w", "model": "m", "kind": "inference", "scores": [score]}]}
    assert problems("sci", document) == []
    document["workloads"][0]["scores"] = [{**score, "sci_gco2e_per_unit": None}]
    assert problems("sci", document)
    document["workloads"][0]["scores"] = [{**score, "sci_gco2e_per_unit": None, "sci_missing_reason": "M unknown"}]
    assert problems("sci", document) == []
    document["workloads"][0]["scores"] = [{**score, "r_units": 0.0}]
    assert problems("sci", document)
