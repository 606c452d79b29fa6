"""The README's commands, end to end in a subprocess, on a temporary warehouse. `footprint build`
itself is checked by `assert_a_clean_build`, on the last build of the crash test."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


SECRETS = {"ELECTRICITY_MAPS_TOKEN": "em-tok-9c1d-secret", "EIA_API_KEY": "eia-key-77ab-secret",
           "ENTSOE_TOKEN": "entsoe-tok-4e2f-secret"}


def assert_a_clean_build(run: subprocess.CompletedProcess, warehouse_env) -> None:
    """What `footprint build` (run with every feed credential in SECRETS set) must have done. The crash
    test's last build, after three killed ones, is this build: one full CLI build serves both (make test
    stays fast)."""
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    # with every feed credential set, no secret reaches the logs, the warehouse, landing, DAGSTER_HOME
    # (event log, run storage) or the publication (DuckDB copy, Parquet, manifest, report)
    files = [warehouse_env["warehouse"], *warehouse_env["landing"].rglob("*"), *warehouse_env["published"].rglob("*"),
             *warehouse_env["dagster_home"].rglob("*")]
    contents = [p.read_bytes() for p in files if p.is_file()]
    assert any(p.suffix == ".parquet" for p in warehouse_env["published"].rglob("*"))
    for secret in SECRETS.values():
        assert secret not in run.stdout + run.stderr
        assert not [c for c in contents if secret.encode() in c]
    # the live warehouse, landing and DAGSTER_HOME (event log, run storage) are closed to other users
    for folder in ("warehouse", "landing", "dagster_home"):
        root = warehouse_env[folder] if warehouse_env[folder].is_dir() else warehouse_env[folder].parent
        assert root.stat().st_mode & 0o007 == 0, root
        # closed folders already keep others out; files the build wrote are not world-readable either
        opened = [p for p in root.rglob("*") if p.stat().st_mode & 0o007 and p.name != "dagster.yaml"]
        assert not opened, opened[:5]
    out = run.stdout
    assert "marts/dim_accelerators" in out and "BUILD OK" in out
    assert " 0 failed" in out
    assert str(warehouse_env["published"] / "footprint.duckdb") in out
    assert "NVIDIA" in out.split("most efficient")[1]  # a few mart rows are shown


def test_footprint_resolve_names_the_closest_accelerators_for_an_unknown_name(warehouse_env):
    footprint = Path(sys.executable).parent / "footprint"
    ok = subprocess.run([str(footprint), "resolve", "NVIDIA A100-SXM4-80GB"],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ok.stdout.strip() == "NVIDIA A100 SXM4 80GB"
    bad = subprocess.run([str(footprint), "resolve", "H100 PCI Express"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "NVIDIA H100 PCIe" in bad.stderr
