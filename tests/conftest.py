"""Shared fixtures: a throw-away warehouse (still named footprint.duckdb) and copies of data/."""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# A pytest-xdist worker runs under a bare __main__ (no __spec__, no __file__), which pyspark's Spark
# Connect module takes for a doctest run and answers with sys.exit(0) when Great Expectations imports it
# (pyspark/sql/connect/utils.py, check_dependencies): every GX check of a worker's build failed so. A spec
# named __main__ tells pyspark otherwise, and multiprocessing's spawned children (readers.py) to leave
# their own __main__ alone.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
# Real upstream files, laid beside the repository in development and in CI.
SHARED_REFERENCE = REPO.parent / "shared" / "reference-data"


def pytest_configure(config):
    """Dagster reads dbt's manifest at import; make sure it exists even when pytest runs alone (parsed
    once, by the process that starts the workers). Each worker (pytest-xdist, `-n` in pyproject.toml)
    builds its own warehouses, so it keeps dbt's command folders and parse state apart from the other's
    (settings.dbt_command_dir)."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker is None and not (REPO / "dbt" / "target" / "manifest.json").exists():
        dbt = Path(sys.executable).parent / "dbt"
        subprocess.run([str(dbt), "parse", "--quiet", "--profiles-dir", "."], cwd=REPO / "dbt", check=True)
    if worker is not None:
        os.environ["DBT_TARGET_PATH"] = f"target/pytest-{worker}"


def pytest_collection_modifyitems(items):
    from tests.workers import check_and_order

    check_and_order(items)


def pytest_xdist_make_scheduler(config, log):
    """The suite in two halves, one per worker (tests/workers.py)."""
    from tests.workers import TwoHalves

    return TwoHalves(config, log)


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
    """The one path of every test's warehouse (a worker runs one test at a time; each starts it empty). dbt keys
    its partial parse on the profile, which holds this path: with a path per test, every dbt command of
    the suite parsed the whole project again (about 6 s each)."""
    return tmp_path_factory.mktemp("live") / "warehouse" / "footprint.duckdb"


@pytest.fixture
def warehouse_env(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch,
                  live_warehouse: Path) -> dict[str, Path]:
    return configure_warehouse(tmp_path, reference_dir, monkeypatch, live_warehouse)


@pytest.fixture(scope="session")
def bundled_build(request, tmp_path_factory, live_warehouse: Path):
    """One build of the bundled data for the whole run (every worker's), shared by every test that starts
    from a built and published warehouse: (its paths, its run). A test takes a private copy with
    from_bundled_build (tests/bundled_build.py)."""
    from tests.bundled_build import shared_bundled_build

    base = tmp_path_factory.getbasetemp()
    return shared_bundled_build(base.parent if hasattr(request.config, "workerinput") else base, live_warehouse)
