"""The dbt resource starts dbt without first running `dbt --version` or parsing every macro in Dagster."""

from importlib import metadata

import pytest
from dagster_dbt.core import resource as dagster_dbt_resource

from dagster_project import settings
from dagster_project.lib.dbt_cli import DbtCoreCli


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
