"""The sensor that picks up log files dropped in the logs folder."""

import shutil

import dagster as dg

from dagster_project.defs.logs.sensors import new_log_files
from tests.conftest import DATA


def test_a_run_for_new_or_changed_files_and_none_when_nothing_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("FOOTPRINT_LOGS_DIR", str(tmp_path))
    shutil.copytree(DATA / "logs" / "uk-hpc", tmp_path / "uk-hpc")
    first_context = dg.build_sensor_context(cursor=None)  # 5 files: cluster.yaml, 2 sacct, codecarbon, nvidia-smi
    first = new_log_files(first_context)
    assert isinstance(first, dg.RunRequest) and first.tags["changed_files"] == "5"
    cursor = first_context.cursor
    assert isinstance(new_log_files(dg.build_sensor_context(cursor=cursor)), dg.SkipReason)

    dropped = tmp_path / "uk-hpc" / "sacct" / "2020-01-03.txt"
    dropped.write_text("JobID|Start|End|AllocTRES\n2001|2020-01-03T01:00:00|2020-01-03T02:00:00|gres/gpu=1\n")
    again_context = dg.build_sensor_context(cursor=cursor)
    again = new_log_files(again_context)
    assert isinstance(again, dg.RunRequest) and again.tags["changed_files"] == "1"
    assert again.tags["changed_clusters"] == "uk-hpc"
    assert again.run_key != first.run_key
