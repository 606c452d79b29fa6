"""The run's one build of the bundled data, shared by every test worker that starts from a built and
published warehouse.

The first worker to ask builds it, at its own live warehouse path, under a lock in the run's shared
temporary folder, and keeps it aside there; the other workers wait on the lock if it is not done yet, then
use the same copy. Nothing in the built warehouse, its facts, the landing folder or the Dagster instance
depends on the live path (only dbt's parse state does, which stays per worker), so a test anywhere takes a
private copy of it (integration/conftest.py, from_bundled_build). The run itself cannot cross processes: its
Dagster events are kept with the build (Dagster's own serialization) and read back as a BundledRun.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import pytest
from filelock import FileLock

EVENTS = "run_events.json"  # written last: its presence says the build is complete


class BundledRun:
    """What tests read of the bundled build's run, as ExecuteInProcessResult gives it."""

    def __init__(self, success: bool, all_events: Sequence[dg.DagsterEvent]):
        self.success, self.all_events = success, list(all_events)

    def get_asset_materialization_events(self) -> list[dg.DagsterEvent]:
        return [event for event in self.all_events if event.is_step_materialization]

    def get_asset_check_evaluations(self) -> list[dg.AssetCheckEvaluation]:
        return [event.event_specific_data for event in self.all_events
                if event.event_type_value == dg.DagsterEventType.ASSET_CHECK_EVALUATION.value]


def shared_bundled_build(shared: Path, live_warehouse: Path) -> tuple[dict[str, Path], BundledRun]:
    """(the build's paths, its run), built under `shared` by the first caller of the test run."""
    from tests.conftest import configure_warehouse, copy_reference
    from tests.integration.conftest import build

    root = shared / "bundled_build"
    paths = {"warehouse": root / "warehouse" / live_warehouse.name, "published": root / "published",
             "landing": root / "landing", "reference": root / "reference", "dagster_home": root / "dagster_home"}
    with FileLock(shared / "bundled_build.lock"):
        if not (root / EVENTS).exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            # New files as `footprint build` makes them (cli.restrict_file_modes): the crash test runs the
            # CLI on a copy and checks that nothing it leaves is readable by other users.
            umask = os.umask(0o027)
            try:
                with pytest.MonkeyPatch.context() as monkeypatch:
                    configure_warehouse(root, copy_reference(paths["reference"]), monkeypatch, live_warehouse)
                    result = build()
            finally:
                os.umask(umask)
            assert result.success, [e.message for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
            shutil.copytree(live_warehouse.parent, paths["warehouse"].parent)
            shutil.rmtree(live_warehouse.parent)  # a test that asked for warehouse_env first finds it empty
            live_warehouse.parent.mkdir()
            (root / EVENTS).write_text(json.dumps({"success": result.success,
                                                   "events": dg.serialize_value(list(result.all_events))}))
    run = json.loads((root / EVENTS).read_text())
    return paths, BundledRun(run["success"], dg.deserialize_value(run["events"], as_type=list))
