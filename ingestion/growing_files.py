"""Landing for files that grow: keep each appended part once, so landing stays about 1x the input.

A log that nvidia-smi or Slurm appends to every few seconds would be stored again whole at every
refresh by content-hash landing (quadratic disk). Here each source file has its own folder:

    <landing>/<name>/state.json               generation, bytes landed, SHA-256 of their first and last
                                              MiB, parts
    <landing>/<name>/g<gen>.<start>-<end>.part   the bytes [start, end) of generation <gen>

When the file is longer than what was landed and still begins with the bytes landed, only the new
bytes are written, as a new part. "Still begins with" is judged on the first and the last MiB of
what was landed (SHA-256 of each), so a refresh costs the same after a month of logging as after an
hour: hashing all of a fleet's logs at every refresh cost seconds per GB. A log is appended to or
replaced (rotated, truncated, re-exported), and either changes its size, its head or the end of what
was landed; an edit inside the middle of a log that keeps all three is the one change not seen. A file
that shrank or whose head or landed end changed was rewritten: it starts a new generation, landed
whole; older generations are kept (a raw payload is never lost). Parts and the state are written
under temporary names and renamed, the state last, so a kill at any point leaves the previous state
valid (an unlisted part is discarded).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ingestion.files import write_atomically

CHUNK = 1 << 20
WINDOW = 1 << 20  # the head and the landed end compared by hash


@dataclass(frozen=True)
class Landed:
    folder: Path
    generation: int
    size: int
    new_bytes: int  # what this call wrote: 0 when nothing changed
    rewritten: bool  # the file no longer began with what was landed: a new generation


def _write_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, lambda partial: partial.write_bytes(data))


def _begins_with_landed(handle, state: dict) -> bool:
    if "head_sha256" in state:
        return list(_windows(handle, state["size"])) == [state["head_sha256"], state["tail_sha256"]]
    digest, left = hashlib.sha256(), state["size"]  # a state of the first layout: a hash of all it landed
    handle.seek(0)
    while left > 0 and (chunk := handle.read(min(CHUNK, left))):
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest() == state["sha256"]


def _copy_range(handle, start: int, end: int, target: Path) -> None:
    """Bytes [start, end) of the open file to `target`, a MiB at a time (a year of a host's log is GBs)."""
    handle.seek(start)
    with open(target, "wb") as out:
        left = end - start
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                raise OSError(f"{handle.name} shrank while it was landed; the next landing reads it again")
            out.write(chunk)
            left -= len(chunk)


def _windows(handle, size: int) -> tuple[str, str]:
    """SHA-256 of the first WINDOW bytes and of the WINDOW bytes before `size`."""
    handle.seek(0)
    head = hashlib.sha256(handle.read(min(WINDOW, size))).hexdigest()
    handle.seek(max(0, size - WINDOW))
    return head, hashlib.sha256(handle.read(size - max(0, size - WINDOW))).hexdigest()


def land_growing(path: Path, folder: Path) -> Landed:
    """Land what `path` gained since the last call (or all of it, the first time or after a rewrite)."""
    folder.mkdir(parents=True, exist_ok=True)
    for partial in folder.glob(".*.partial"):  # a write killed half-way (one writer at a time: the pool)
        partial.unlink(missing_ok=True)
    state_file = folder / "state.json"
    state = landed_state(folder)
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        grew = state is not None and size >= state["size"] and _begins_with_landed(handle, state)
        if grew and size == state["size"]:
            if "head_sha256" not in state:  # the first layout's state, checked once by its full hash
                head, tail = _windows(handle, size)
                _write_atomically(state_file, json.dumps({**state, "head_sha256": head, "tail_sha256": tail},
                                                         indent=1).encode())
            return Landed(folder, state["generation"], size, 0, False)
        if state is not None and not grew:  # rewritten: keep the old generation exactly as its state lists it
            for leftover in folder.glob(f"g{state['generation']}.*.part"):
                if leftover.name not in state["parts"]:
                    leftover.unlink(missing_ok=True)
        generation = state["generation"] if grew else (state["generation"] + 1 if state else 1)
        start = state["size"] if grew else 0
        parts = list(state["parts"]) if grew else []
        part = f"g{generation}.{start}-{size}.part"
        write_atomically(folder / part, lambda partial: _copy_range(handle, start, size, partial))
        parts.append(part)
        head, tail = _windows(handle, size)
    new_state = {"generation": generation, "size": size, "head_sha256": head, "tail_sha256": tail,
                 "parts": parts, "source": str(path)}
    _write_atomically(state_file, json.dumps(new_state, indent=1).encode())
    for leftover in folder.glob(f"g{generation}.*.part"):  # parts of a landing killed before its state
        if leftover.name not in parts:
            leftover.unlink(missing_ok=True)
    return Landed(folder, generation, size, size - start, state is not None and not grew)


def landed_bytes(folder: Path, generation: int | None = None) -> bytes:
    """A generation of the file (default: the latest) as landed: its parts in order."""
    state = landed_state(folder)
    generation = generation or state["generation"]
    if generation == state["generation"]:
        names = state["parts"]
    else:
        names = sorted((p.name for p in folder.glob(f"g{generation}.*.part")),
                       key=lambda n: int(n.split(".")[1].split("-")[0]))
    return b"".join((folder / name).read_bytes() for name in names)


def landed_state(folder: Path) -> dict | None:
    """What has been landed of a file (generation, size, sha256, parts), None before its first landing."""
    state_file = folder / "state.json"
    return json.loads(state_file.read_text()) if state_file.exists() else None


def read_landed(folder: Path, start: int, end: int) -> bytes:
    """Bytes [start, end) of the latest generation as landed, read from the parts that hold them only."""
    chunks = []
    for name in landed_state(folder)["parts"]:
        lo, hi = (int(x) for x in name.split(".")[1].split("-"))
        if hi <= start or lo >= end:
            continue
        with open(folder / name, "rb") as handle:
            handle.seek(max(start, lo) - lo)
            chunks.append(handle.read(min(end, hi) - max(start, lo)))
    return b"".join(chunks)


def landed_id(landed: dict[str, Landed]) -> str:
    """The id of one load of growing files (name -> what land_growing landed of it): each file's name,
    generation and size, so a run that found nothing new has the id of the run before, wherever the
    landing folder is; 'none' when there are no files."""
    if not landed:
        return "none"
    state = sorted((name, x.generation, x.size) for name, x in landed.items())
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:16]
