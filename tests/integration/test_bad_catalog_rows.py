"""Bad rows in the accelerator catalog: rows that do not parse are quarantined with their reason while
the good rows build; a row that parses but is implausible fails a blocking check, which stops
everything downstream of it, publication included, and readers keep the published copy they had.
Both on copies of the bundled build, on the worker that does not build it, after its other tests
(tests/workers.py)."""

import hashlib

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.serving.assets import PUBLISHED
from tests.integration.conftest import append_catalog_rows, build, from_bundled_build, materialized

pytestmark = pytest.mark.integration

MART = dg.AssetKey(["marts", "dim_accelerators"])


def test_bad_catalog_rows_are_quarantined_and_the_good_rows_still_build(warehouse_env, evaluations, bundled_build):
    from_bundled_build(warehouse_env, bundled_build)  # then only the catalog and what makes dim_accelerators
    good = append_catalog_rows(
        warehouse_env["reference"],
        {"canonical_name": "Bad Missing TDP", "tdp_w": ""},
        {"canonical_name": "Bad Negative Memory", "memory_gb": "-8"},
        {"canonical_name": "NVIDIA A100-SXM4-80GB"},
        {"canonical_name": "Bad Vendor", "vendor": "Acme"},
    )
    result = build([dg.AssetKey(["raw", t]) for t in ("hardware_accelerators", "hardware_accelerators_rejected")]
                   + [dg.AssetKey(k) for k in (["staging", "stg_hardware__accelerators"],
                                               ["intermediate", "int_accelerators_enriched"], MART.path)])
    assert result.success
    checks = evaluations(result)
    assert {"gx_raw_hardware_accelerators", "hardware_rows_quarantined", "gx_marts_dim_accelerators"} <= set(checks)
    assert checks["gx_raw_hardware_accelerators"].passed and checks["gx_marts_dim_accelerators"].passed
    quarantine = checks["hardware_rows_quarantined"]
    assert not quarantine.passed and quarantine.severity == dg.AssetCheckSeverity.WARN
    assert quarantine.metadata["rejected_rows"].value == 4
    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        reasons = dict(conn.execute(
            "select record_name, field || ': ' || reason from raw.hardware_accelerators_rejected").fetchall())
        mart_rows = conn.execute("select count(*) from marts.dim_accelerators").fetchone()[0]
    assert mart_rows == good
    assert reasons["Bad Missing TDP"].startswith("tdp_w: required value tdp_w is missing")
    assert reasons["Bad Negative Memory"].startswith("memory_gb: memory_gb must be greater than 0")
    assert reasons["NVIDIA A100-SXM4-80GB"].startswith("canonical_name: duplicate accelerator")
    assert reasons["Bad Vendor"].startswith("vendor: unknown vendor 'Acme'")


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
    (failure,) = [f for f in check.metadata["failed_expectations"].value if "'tdp_w'" in f["kwargs"]]
    # the failed check names the row, by name and by file and line, and the value
    (row,) = failure["rows"]
    assert row.startswith("canonical_name=Implausible 5kW, source_file=") and "source_row=" in row, row
    assert row.endswith(": tdp_w=5000.0"), row
    assert not result.success
    assert MART not in materialized(result) and PUBLISHED not in materialized(result)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == digest

    from dagster_project.cli import print_summary
    assert current_build(warehouse_env["published"]) == first
    capsys.readouterr()
    assert print_summary(result, first, first) == 1
    assert f"NOT published: readers still see build {first}" in capsys.readouterr().out
