"""Free the writer pool from runs whose process is gone, before a build waits for it.

Dagster's instance keeps each claimed slot of a concurrency pool until the run's executor frees it.
A run killed by SIGKILL (a crash, the OOM killer) never does, and with the pool `duckdb_writer`
limited to one, every later run then waits forever. Dagster's own remedy, the daemon's
`free_slots_after_run_end_seconds` (set in `.dagster_home/dagster.yaml`), only frees the slots of
runs already marked finished, and only while a daemon runs (`make dev`); nothing marks an
in-process run finished when its process dies.

So every `footprint build` tags its run with the host, the process id and the process's start time,
and before it starts it sweeps the pool: a slot held or awaited by a finished run, by a deleted run,
or by a `footprint build` run whose process no longer exists on this host (the start time guards
against a recycled pid) is freed, and such a run is marked failed with the reason. A live holder
is waited for with a message naming it, interruptibly.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

import dagster as dg

POOL = "duckdb_writer"
HOST_TAG, PID_TAG, STARTED_TAG = "footprint/host", "footprint/pid", "footprint/process_started"


def _process_started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), '' where /proc is absent, None when
    no such process exists."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[19]
    except FileNotFoundError:
        if os.path.isdir("/proc/self"):
            return None
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return ""


def process_tags() -> dict[str, str]:
    """Tags that let a later build tell whether this run's process still exists."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid()),
            STARTED_TAG: _process_started(os.getpid()) or ""}


@dataclass(frozen=True)
class Holder:
    run_id: str
    state: str  # "finished", "deleted", "dead", "alive" or "unknown" (another host, or launched by the UI)
    detail: str


def _state(run: dg.DagsterRun | None) -> tuple[str, str]:
    if run is None:
        return "deleted", "the run no longer exists"
    if run.is_finished:
        return "finished", f"the run ended {run.status.value}"
    tags = run.tags
    if PID_TAG not in tags:
        return "unknown", f"{run.status.value} run {run.run_id[:8]} (launched from the UI or a schedule)"
    if tags.get(HOST_TAG) != socket.gethostname():
        return "unknown", f"{run.status.value} run {run.run_id[:8]} of `footprint build` on {tags.get(HOST_TAG)}"
    started = _process_started(int(tags[PID_TAG]))
    if started is None or (started and tags.get(STARTED_TAG) and started != tags[STARTED_TAG]):
        return "dead", f"process {tags[PID_TAG]} of `footprint build` no longer exists (killed or crashed)"
    return "alive", f"run {run.run_id[:8]} of `footprint build`, process {tags[PID_TAG]}"


def pool_holders(instance: dg.DagsterInstance) -> list[Holder]:
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    return [Holder(run_id, *_state(instance.get_run_by_id(run_id)))
            for run_id in sorted(storage.get_concurrency_run_ids())]


def free_dead_runs(instance: dg.DagsterInstance, say=print) -> list[Holder]:
    """Free the slots of runs that can never free them; return what was freed."""
    freed = []
    for holder in pool_holders(instance):
        if holder.state not in ("finished", "deleted", "dead"):
            continue
        if holder.state == "dead":
            instance.report_run_failed(instance.get_run_by_id(holder.run_id),
                                       f"marked failed by a later `footprint build`: {holder.detail}")
        instance.event_log_storage.free_concurrency_slots_for_run(holder.run_id)
        say(f"freed the {POOL} pool from run {holder.run_id[:8]}: {holder.detail}")
        freed.append(holder)
    return freed


def wait_for_pool(instance: dg.DagsterInstance, say=print, poll_s: float = 2.0) -> None:
    """Free dead runs' slots, then wait (Ctrl-C stops it) while a live run holds the pool."""
    free_dead_runs(instance, say)
    shown = set()
    while busy := [h for h in pool_holders(instance) if h.state in ("alive", "unknown")]:
        for holder in busy:
            if holder.run_id not in shown:
                say(f"waiting for the {POOL} pool (DuckDB allows one writer): held by {holder.detail}; "
                    f"if that run is dead, mark it failed or terminate it in the UI (Runs) and the pool is freed")
                shown.add(holder.run_id)
        time.sleep(poll_s)
        free_dead_runs(instance, say)
