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


def test_the_docs_open_on_the_projects_overview_naming_every_layer_and_mart():
    """dbt docs show the project's own __overview__ (not dbt's generic welcome page), and every folder of
    the project tree lies inside it (a path out of the project shows as a `..` folder)."""
    manifest = json.loads((settings.DBT_DIR / "target" / "manifest.json").read_text())
    overview = manifest["docs"]["doc.footprint.__overview__"]["block_contents"]
    marts = [node["name"] for node in _models().values() if _layer(node) == "marts"]
    assert all(f"`{layer}`" in overview for layer in LAYERS)
    assert [name for name in marts if f"`{name}`" not in overview] == []
    own = [n for section in ("nodes", "sources", "macros", "exposures", "unit_tests")
           for n in manifest[section].values() if n.get("package_name") == "footprint"]
    assert own and not [n["original_file_path"] for n in own if n["original_file_path"].startswith("..")]
