"""A BoAmps energy report (Boavizta's open JSON format for AI energy reports, which CodeCarbon
writes; https://github.com/Boavizta/BoAmps) from a row of marts.fct_report_boamps.

The format requires a few fields the warehouse does not know (the task family, the dataset): they are
written as "not stated" or "other", as the format's own vocabulary allows, never guessed. A component
whose count the logs do not carry (CodeCarbon runs) is one component named "(number not logged)".
"""

from __future__ import annotations

import datetime as dt
import uuid

FORMAT_VERSION = "0.1"  # the version of the example reports of the shipped schema's commit
SPECIFICATION = "https://github.com/Boavizta/BoAmps/tree/main/model"
NOT_STATED = "not stated"


def _time(moment: dt.datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else None


def _without_nulls(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v is not None}


def report(row: dict, *, build_id: str, built_at: dt.datetime) -> dict:
    """One report; its id is stable for a build and subject, so exporting again writes the same file."""
    subject = f"{row['report_subject']}:{row['subject_id']}"
    count = row["accelerator_count"]
    if row["accelerator"] is None:
        component = {"componentName": "hardware not stated by the source", "componentType": "other", "nbComponent": 1}
    else:
        counted = count is not None and count > 0
        component = {"componentName": f"{count} x {row['accelerator']}" if counted
                     else f"{row['accelerator']} (number not logged)",
                     "componentType": "gpu", "nbComponent": int(count) if counted else 1, "share": 1}
    return {
        "header": {
            "licensing": "CC-BY-4.0",
            "formatVersion": FORMAT_VERSION,
            "formatVersionSpecificationUri": SPECIFICATION,
            "reportId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"ai-footprint-warehouse:{build_id}:{subject}")),
            "reportDatetime": _time(built_at),
            "reportStatus": "final",
            "publisher": {"name": "AI footprint warehouse", "projectName": f"build {build_id}",
                          "confidentialityLevel": "public" if row["report_subject"] == "workload" else "internal"},
        },
        "task": _without_nulls({
            "taskStage": row["task_stage"],
            "taskFamily": NOT_STATED,
            "nbRequest": row["nb_request"],
            "algorithms": [_without_nulls({"foundationModelName": row["model"]}) if row["model"]
                           else {"algorithmType": NOT_STATED}],
            "dataset": [{"dataUsage": "input", "dataType": "other"}],
            "taskDescription": row["task_description"],
        }),
        "measures": [_without_nulls({
            "measurementMethod": row["measurement_method"],
            "powerConsumption": row["it_energy_kwh"],
            "measurementDuration": row["measurement_duration_s"],
            "measurementDateTime": _time(row["measurement_start_utc"]),
        })],
        "infrastructure": _without_nulls({"infraType": row["infra_type"], "cloudProvider": row["cloud_provider"],
                                          "components": [component]}),
        "quality": row["quality"],
    } | ({"environment": _without_nulls({  # the format requires a country wherever an environment is given
        "country": row["country"], "location": row["cloud_region"] or row["zone_id"],
        "powerSourceCarbonIntensity": row["intensity_g_per_kwh"]})} if row["country"] else {})
