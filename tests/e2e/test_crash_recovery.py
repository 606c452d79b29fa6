"""A build killed (SIGKILL) during ingestion or dbt never costs readers the last good publication,
never leaves the writer pool held (the next build frees it and runs), and the next build completes,
equals a clean build and switches readers polling through it from one build to the next. DAGSTER_HOME
is a real instance configured as in production (tests/conftest.py), so the pool is the one `make run`
uses. The clean build is the run's build of the bundled data (bundled_build), with its Dagster
instance. A kill during publishing is tests/integration/test_publication.py's (eight kills at random
points of a publish, each leaving one complete build, the next publish clearing the leftovers): here
it would cost a third whole build for what the two kills here assert (the pool, the failed run)."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from tests.e2e.test_footprint_build_command import SECRETS, assert_a_clean_build
from tests.integration.conftest import from_bundled_build, tables
from tests.integration.readers import Readers, assert_one_build_published

# On the worker that does not build the bundled data, after its other tests (tests/workers.py).
pytestmark = pytest.mark.integration
FOOTPRINT = Path(sys.executable).parent / "footprint"


def publication(published: Path) -> tuple[str, str, list]:
    """Build id, checksum of the DuckDB copy, and the Parquet files the link points at."""
    manifest = json.loads((published / "manifest.json").read_text())
    digest = hashlib.sha256((published / "footprint.duckdb").read_bytes()).hexdigest()
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(*) from marts.fct_workload_footprint").fetchone()[0] > 0
        assert conn.execute("select build_id from meta.build").fetchone()[0] == manifest["build_id"]
    parquet = sorted(p.name for p in (published / "parquet").iterdir())
    return manifest["build_id"], digest, parquet


def kill_when(reached, started_after: float) -> str:
    """Start `footprint build` and SIGKILL its whole process group as soon as `reached()` is true."""
    process = subprocess.Popen([str(FOOTPRINT), "build"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ), start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("the build ended before the kill point was reached")
        if reached(started_after):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return "killed"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail("kill point not reached in 5 minutes: did the build wait for a writer pool a killed run held?")


def test_a_killed_build_keeps_the_publication_and_the_next_build_equals_a_clean_one(warehouse_env, bundled_build):
    published = warehouse_env["published"]
    assert from_bundled_build(warehouse_env, bundled_build, instance=True).success
    clean_tables = tables(warehouse_env["warehouse"])
    before = publication(published)

    def ingesting(since):  # the logs asset lands its files after the reference sources
        return any(p.stat().st_mtime > since for p in (warehouse_env["landing"] / "logs").rglob("*") if p.is_file()) \
            if (warehouse_env["landing"] / "logs").exists() else False

    def in_dbt(since):  # dagster-dbt gives each invocation its own target folder
        return any(p.stat().st_mtime > since for p in settings.dbt_command_dir().glob("footprint_dbt_models-*"))

    points = []
    for name, reached in (("ingestion", ingesting), ("dbt", in_dbt)):
        for landed in (warehouse_env["landing"] / "logs").rglob("*"):  # the kill point watches new landings
            if landed.is_file():
                landed.unlink()
        kill_when(reached, time.time() - 0.001)
        points.append(name)
        assert publication(published) == before, f"killed during {name}: the publication changed"
        assert not list(published.glob(".*.tmp"))

    with Readers(published / "footprint.duckdb", 3) as readers:  # BI tools polling during the build after them
        again = subprocess.run([str(FOOTPRINT), "build"], check=False, capture_output=True, text=True,
                               env={**os.environ, **SECRETS}, timeout=900)
    assert_a_clean_build(again, warehouse_env)  # the summary, no secret anywhere, closed file modes
    # each killed build held the writer pool; the build after it freed the slot and marked the run failed
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert not instance.event_log_storage.get_concurrency_run_ids()
    statuses = sorted(r.status.value for r in runs)
    assert statuses == ["FAILURE"] * 2 + ["SUCCESS"] * 2, statuses
    killed = [r for r in runs if r.status.value == "FAILURE"]
    assert all(r.tags.get("footprint/pid") for r in killed)
    assert tables(warehouse_env["warehouse"]) == clean_tables
    after = publication(published)
    assert after[0] != before[0] and after[2] == before[2]
    assert_one_build_published(published, after[0])
    reads = sum(r["reads"] for r in readers.results)
    assert reads >= 30 and all(r["errors"] == 0 for r in readers.results), readers.results
    assert all(r["mixed"] == 0 for r in readers.results)  # every read saw marts of a single build
    assert {b for r in readers.results for b in r["builds"]} <= {before[0], after[0]}
    assert not list(published.glob(".*.tmp"))
    assert {p.name for p in (published / "builds").iterdir()} == {before[0], after[0]}
    print(f"killed during {', '.join(points)}; the publication survived each, the next build equals a clean one; "
          f"readers during it: {reads} reads, 0 errors")
