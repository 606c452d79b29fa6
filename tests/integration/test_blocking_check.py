"""A blocking check that fails stops everything downstream of it, publication included, and readers
keep the published copy they had. On the worker that does not build the bundled data, after its other
tests (tests/workers.py)."""

import hashlib

import dagster as dg
import pytest

from dagster_project.defs.serving.assets import PUBLISHED
from tests.integration.conftest import append_catalog_rows, build, from_bundled_build, materialized

pytestmark = pytest.mark.integration

MART = dg.AssetKey(["marts", "dim_accelerators"])


def test_a_failing_blocking_check_stops_downstream_and_keeps_the_published_copy(warehouse_env, evaluations,
                                                                               capsys, bundled_build):
    from dagster_project.lib.publish import current_build

    assert from_bundled_build(warehouse_env, bundled_build).success
    first = current_build(warehouse_env["published"])
    published = warehouse_env["published"] / "footprint.duckdb"
    digest = hashlib.sha256(published.read_bytes()).hexdigest()

    # Parses fine, so it loads, but no accelerator draws 5 kW: the raw GX check must block.
    append_catalog_rows(warehouse_env["reference"], {"canonical_name": "Implausible 5kW", "tdp_w": "5000"})
    result = build()

    check = evaluations(result)["gx_raw_hardware_accelerators"]
    assert not check.passed
    assert "tdp_w" in str(check.metadata["failed_expectations"].value)
    assert not result.success
    assert MART not in materialized(result) and PUBLISHED not in materialized(result)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == digest

    from dagster_project.cli import print_summary
    assert current_build(warehouse_env["published"]) == first
    capsys.readouterr()
    assert print_summary(result, first, first) == 1
    assert f"NOT published: readers still see build {first}" in capsys.readouterr().out
