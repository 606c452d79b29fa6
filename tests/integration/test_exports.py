"""The exports the bundled build publishes (data/published/exports/), and `footprint export`: every file
valid against its schema, one BoAmps report per workload and per job, every AI Act field present or
marked missing with the reason."""

import json

import duckdb
import pytest

from dagster_project.cli import main
from dagster_project.lib.exports.schemas import problems
from dagster_project.lib.exports.write import file_name

pytestmark = pytest.mark.integration


def exports(bundled_build):
    return bundled_build[0]["published"] / "exports"


def test_every_published_export_is_valid_against_its_schema(bundled_build):
    folder = exports(bundled_build)
    files = sorted(folder.rglob("*.json"))
    schema = {"ai_act.json": "ai_act", "sci.json": "sci"}
    invalid = {str(p.relative_to(folder)): found for p in files
               if (found := problems(schema.get(p.name, "boamps"), json.loads(p.read_text())))}
    assert invalid == {}
    with duckdb.connect(str(bundled_build[0]["published"] / "footprint.duckdb"), read_only=True) as conn:
        workloads = {r[0] for r in conn.execute("select workload_id from marts.fct_workload_footprint").fetchall()}
        jobs = {r[0] for r in conn.execute("select job_key from marts.fct_job_footprint").fetchall()}
        training = conn.execute("select count(*) from marts.fct_workload_footprint where kind = 'training'"
                                ).fetchone()[0]
    assert {p.name for p in (folder / "boamps" / "workloads").iterdir()} == {file_name(w) for w in workloads}
    assert {p.name for p in (folder / "boamps" / "jobs").iterdir()} == {file_name(j) for j in jobs}
    ai_act = json.loads((folder / "ai_act.json").read_text())
    assert len(ai_act["workloads"]) == training
    gpt3 = {f["field"]: f for w in ai_act["workloads"] if w["workload_id"] == "gpt3-train" for f in w["fields"]}
    assert (gpt3["energy_consumption"]["value_text"], gpt3["energy_consumption"]["unit"]) == ("1,300", "MWh")
    assert gpt3["training_compute"]["value_text"] == "3.1e+23" and gpt3["training_compute"]["basis"] == "declared"
    water = {f["field"]: f for w in ai_act["workloads"] if w["workload_id"] == "gpt3-water" for f in w["fields"]}
    assert water["hardware"]["basis"] == "missing" and water["hardware"]["missing_reason"]


def test_footprint_export_writes_one_workload_and_refuses_an_unknown_one(bundled_build, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("FOOTPRINT_PUBLISHED_DIR", str(bundled_build[0]["published"]))
    assert main(["export", "--format", "boamps", "--workload", "gpt3-train", "--out", str(tmp_path)]) == 0
    (written,) = tmp_path.rglob("*.json")
    assert written.relative_to(tmp_path).as_posix() == "boamps/workloads/gpt3-train.json"
    published = exports(bundled_build) / "boamps" / "workloads" / "gpt3-train.json"
    assert written.read_text() == published.read_text()  # the same build exports the same report
    assert main(["export", "--format", "ai-act", "--workload", "llama-3-1-8b-chat-api", "--out", str(tmp_path)]) == 1
    assert "AI Act covers training workloads" in capsys.readouterr().err  # an inference workload
    assert main(["export", "--format", "all", "--out", str(tmp_path / "all")]) == 0
    assert {p.name for p in (tmp_path / "all").iterdir()} == {"ai_act.json", "sci.json", "boamps"}
