"""The dbt project's layering, read from the manifest `make test` parses: staging reads sources and
seeds, intermediate models read staging and intermediate models, and marts never feed either, so a
reference value is resolved once, before any mart publishes it."""

import json

from dagster_project import settings

LAYERS = ("staging", "intermediate", "marts")


def _models() -> dict[str, dict]:
    manifest = json.loads((settings.DBT_DIR / "target" / "manifest.json").read_text())
    return {key: node for key, node in manifest["nodes"].items() if node["resource_type"] == "model"}


def _layer(node: dict) -> str:
    return next(part for part in node["fqn"] if part in LAYERS)


def test_no_staging_or_intermediate_model_reads_a_mart():
    models = _models()
    upward = sorted(
        (node["name"], models[parent]["name"])
        for node in models.values() if _layer(node) != "marts"
        for parent in node["depends_on"]["nodes"] if parent in models and _layer(models[parent]) == "marts")
    assert upward == []


def test_every_model_lives_in_a_layer_named_for_it():
    prefixes = {"staging": "stg_", "intermediate": "int_", "marts": ("dim_", "fct_", "mart_")}
    misnamed = [node["name"] for node in _models().values() if not node["name"].startswith(prefixes[_layer(node)])]
    assert misnamed == []
