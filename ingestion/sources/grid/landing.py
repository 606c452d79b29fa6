"""Keep every fetched payload before parsing it: a parser bug never loses data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path


def land_payload(landing_dir: Path, feed: str, day: dt.date, label: str, body: bytes,
                 suffix: str = "json") -> Path:
    """Write `body` to landing/<feed>/<day>/<label>__<retrieved at>.<suffix>; return the path."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("_")[:120]
    path = Path(landing_dir) / feed / day.isoformat() / f"{safe}__{stamp}.{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return path
