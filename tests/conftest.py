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


def configure_warehouse(root: Path, reference: Path, monkeypatch: pytest.MonkeyPatch,
                        warehouse: Path) -> dict[str, Path]:
    """Point every setting at a throw-away warehouse (the file `warehouse`, emptied first, its facts
    beside it) with published copy, landing and Dagster instance under `root`, and reference data
    `reference`."""
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    warehouse.parent.mkdir(parents=True)
    paths = {
        "warehouse": warehouse,
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


@pytest.fixture(scope="session")
def live_warehouse(tmp_path_factory) -> Path:
    """The one path of every test's warehouse (tests run one at a time; each starts it empty). dbt keys
    its partial parse on the profile, which holds this path: with a path per test, every dbt command of
    the suite parsed the whole project again (about 6 s each)."""
    return tmp_path_factory.mktemp("live") / "warehouse" / "footprint.duckdb"


@pytest.fixture
def warehouse_env(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch,
                  live_warehouse: Path) -> dict[str, Path]:
    return configure_warehouse(tmp_path, reference_dir, monkeypatch, live_warehouse)


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory, live_warehouse: Path):
    """One build of the bundled data for the whole run, shared by every test that starts from a built
    and published warehouse: (its paths, the build's result). Built at the live path, then kept aside;
    a test takes a private copy with from_bundled_build."""
    from tests.integration.conftest import build

    root = tmp_path_factory.mktemp("bundled_build")
    with pytest.MonkeyPatch.context() as monkeypatch:
        paths = configure_warehouse(root, copy_reference(root / "reference"), monkeypatch, live_warehouse)
        result = build()
    assert result.success
    shutil.copytree(live_warehouse.parent, root / "warehouse")
    shutil.rmtree(live_warehouse.parent)  # a test that asked for warehouse_env first finds it empty
    live_warehouse.parent.mkdir()
    return {**paths, "warehouse": root / "warehouse" / live_warehouse.name}, result
