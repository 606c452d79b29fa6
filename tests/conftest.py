"""Shared fixtures: a throw-away warehouse (still named footprint.duckdb) and copies of data/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
# Real upstream files, laid beside the repository in development and in CI.
SHARED_REFERENCE = REPO.parent / "shared" / "reference-data"


def pytest_configure(config):
    """Dagster reads dbt's manifest at import; make sure it exists even when pytest runs alone."""
    if not (REPO / "dbt" / "target" / "manifest.json").exists():
        dbt = Path(sys.executable).parent / "dbt"
        subprocess.run([str(dbt), "parse", "--quiet", "--profiles-dir", "."], cwd=REPO / "dbt", check=True)


@pytest.fixture
def shared_reference() -> Path:
    if not SHARED_REFERENCE.is_dir():
        pytest.skip(f"upstream reference files not found at {SHARED_REFERENCE}")
    return SHARED_REFERENCE


def copy_reference(target: Path) -> Path:
    """A copy of the bundled reference data at `target`, without the files a build writes under data/."""
    built = shutil.ignore_patterns("warehouse", "published", "landing", "exports", "gx_docs")
    shutil.copytree(DATA, target, ignore=built)
    return target


@pytest.fixture
def reference_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled reference data that a test may edit."""
    return copy_reference(tmp_path / "reference")


def configure_warehouse(root: Path, reference: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point every setting at a throw-away warehouse under `root`, with reference data `reference`."""
    paths = {
        "warehouse": root / "warehouse" / "footprint.duckdb",
        "published": root / "published",
        "landing": root / "landing",
        "reference": reference,
    }
    monkeypatch.setenv("FOOTPRINT_DUCKDB_PATH", str(paths["warehouse"]))
    monkeypatch.setenv("FOOTPRINT_PUBLISHED_DIR", str(paths["published"]))
    monkeypatch.setenv("FOOTPRINT_LANDING_DIR", str(paths["landing"]))
    monkeypatch.setenv("FOOTPRINT_REFERENCE_DIR", str(paths["reference"]))
    # A private Dagster instance configured as in production (the writer pool limited to one), so
    # builds run by the CLI in a test take and free pool slots as `make run` does.
    paths["dagster_home"] = root / "dagster_home"
    paths["dagster_home"].mkdir(exist_ok=True)
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", paths["dagster_home"])
    monkeypatch.setenv("DAGSTER_HOME", str(paths["dagster_home"]))
    return paths


@pytest.fixture
def warehouse_env(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    return configure_warehouse(tmp_path, reference_dir, monkeypatch)
