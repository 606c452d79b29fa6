"""The dbt resource starts dbt without first running `dbt --version` or parsing every macro in Dagster."""

from importlib import metadata

import pytest
from dagster_dbt.core import resource as dagster_dbt_resource

from dagster_project import settings
from dagster_project.lib.dbt_cli import PARTIAL_PARSE, DbtCoreCli, keep_parse_state


def test_no_dbt_version_subprocess_and_no_adapter_before_a_dbt_command(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"a subprocess before dbt itself: {args}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", refuse)
    cli = DbtCoreCli(project_dir=str(settings.DBT_DIR), profiles_dir=str(settings.DBT_DIR),
                     dbt_executable=settings.dbt_executable())
    assert str(cli._cli_version) == metadata.version("dbt-core") and cli._cli_version.major < 2
    assert cli._initialize_dbt_core_adapter(["build"]) is None
    stock = dagster_dbt_resource.DbtCliResource(project_dir=str(settings.DBT_DIR), profiles_dir=str(settings.DBT_DIR),
                                                dbt_executable=settings.dbt_executable())
    with pytest.raises(AssertionError, match="subprocess before dbt"):  # what the stock resource does
        _ = stock._cli_version


def test_the_parse_state_a_command_leaves_seeds_the_next_one(tmp_path):
    command, project = tmp_path / "target" / "footprint_dbt_models-1", tmp_path / "target"
    command.mkdir(parents=True)
    assert not keep_parse_state(command, project)  # the command wrote none: nothing to keep
    (command / PARTIAL_PARSE).write_bytes(b"state for /elsewhere/footprint.duckdb")
    (project / PARTIAL_PARSE).write_bytes(b"state for data/footprint.duckdb")
    assert keep_parse_state(command, project)
    assert (project / PARTIAL_PARSE).read_bytes() == b"state for /elsewhere/footprint.duckdb"
    assert not keep_parse_state(command, project)  # the same state: not written again
    assert sorted(p.name for p in project.iterdir()) == ["footprint_dbt_models-1", PARTIAL_PARSE]  # nothing staged left
