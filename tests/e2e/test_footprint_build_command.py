"""The README's build command, end to end in a subprocess, on a temporary warehouse."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_footprint_build_prints_the_summary_and_exits_zero(warehouse_env):
    footprint = Path(sys.executable).parent / "footprint"
    run = subprocess.run([str(footprint), "build"], capture_output=True, text=True, check=False, env=dict(os.environ),
                         timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
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
