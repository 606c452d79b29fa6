"""Landing for files that grow: keep each appended part once, so landing stays about 1x the input.

A log that nvidia-smi or Slurm appends to every few seconds would be stored again whole at every
refresh by content-hash landing (quadratic disk). Here each source file has its own folder:

    <landing>/<name>/state.json               generation, bytes landed, SHA-256 of those bytes, parts
    <landing>/<name>/g<gen>.<start>-<end>.part   the bytes [start, end) of generation <gen>

When the file is longer than what was landed and still begins with exactly the bytes landed (same
SHA-256), only the new bytes are written, as a new part. A file that shrank or whose landed prefix
changed was rewritten: it starts a new generation, landed whole; older generations are kept (a raw
payload is never lost). Parts and the state are written under temporary names and renamed, the
state last, so a kill at any point leaves the previous state valid (an unlisted part is discarded).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ingestion.files import write_atomically

CHUNK = 1 << 20


@dataclass(frozen=True)
class Landed:
    folder: Path
    generation: int
    size: int
    new_bytes: int  # what this call wrote: 0 when nothing changed
    rewritten: bool  # the file no longer began with what was landed: a new generation


def _write_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, lambda partial: partial.write_bytes(data))


def _prefix_digest(handle, size: int):
    """SHA-256 (the running hash object) of the first `size` bytes, read in chunks (memory stays flat)."""
    digest, left = hashlib.sha256(), size
    handle.seek(0)
    while left:
        chunk = handle.read(min(CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    return digest


def land_growing(path: Path, folder: Path) -> Landed:
    """Land what `path` gained since the last call (or all of it, the first time or after a rewrite)."""
    folder.mkdir(parents=True, exist_ok=True)
    for partial in folder.glob(".*.partial"):  # a write killed half-way (one writer at a time: the pool)
        partial.unlink(missing_ok=True)
    state_file = folder / "state.json"
    state = landed_state(folder)
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        prefix = _prefix_digest(handle, state["size"]) if state is not None and size >= state["size"] else None
        grew = prefix is not None and prefix.hexdigest() == state["sha256"]
        if grew and size == state["size"]:
            return Landed(folder, state["generation"], size, 0, False)
        if state is not None and not grew:  # rewritten: keep the old generation exactly as its state lists it
            for leftover in folder.glob(f"g{state['generation']}.*.part"):
                if leftover.name not in state["parts"]:
                    leftover.unlink(missing_ok=True)
        generation = state["generation"] if grew else (state["generation"] + 1 if state else 1)
        start = state["size"] if grew else 0
        parts = list(state["parts"]) if grew else []
        handle.seek(start)
        data = handle.read(size - start)
        part = f"g{generation}.{start}-{start + len(data)}.part"
        _write_atomically(folder / part, data)
        parts.append(part)
        digest = prefix if grew else hashlib.sha256()  # the prefix is hashed once, then the new bytes
        digest.update(data)
    new_state = {"generation": generation, "size": start + len(data), "sha256": digest.hexdigest(), "parts": parts,
                 "source": str(path)}
    _write_atomically(state_file, json.dumps(new_state, indent=1).encode())
    for leftover in folder.glob(f"g{generation}.*.part"):  # parts of a landing killed before its state
        if leftover.name not in parts:
            leftover.unlink(missing_ok=True)
    return Landed(folder, generation, new_state["size"], len(data), state is not None and not grew)


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
