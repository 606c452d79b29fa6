"""Landing: keep every input file exactly as read, addressed by its content hash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def content_id(path: Path) -> str:
    """A short, stable id for a file's bytes; the same input gives the same load id."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def land_file(path: Path, landing_dir: Path) -> Path:
    """Copy `path` to `landing_dir/<content id>/<name>` once; return the landed copy."""
    path = Path(path)
    target = Path(landing_dir) / content_id(path) / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target
