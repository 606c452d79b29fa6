"""Publish a read-only copy of the warehouse for BI tools, atomically.

The copy is written to a temporary file next to the target and renamed over it, so a reader
sees either the previous complete copy or the new complete copy, never a half-written one, and
a reader holding the old file keeps reading it (POSIX rename semantics).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path

import duckdb

from dagster_project.settings import WAREHOUSE_FILENAME


def publish_warehouse(warehouse: Path, published_dir: Path) -> dict:
    published_dir.mkdir(parents=True, exist_ok=True)
    target = published_dir / WAREHOUSE_FILENAME
    tmp = published_dir / f".{WAREHOUSE_FILENAME}.{uuid.uuid4().hex}.tmp"
    try:
        with duckdb.connect() as conn:
            conn.execute(f"attach '{warehouse}' as footprint (read_only)")
            # Pin the storage format so BI drivers embedding any DuckDB 1.x can open the copy.
            conn.execute(f"attach '{tmp}' as publish (storage_version 'v1.0.0')")
            conn.execute("copy from database footprint to publish")
            tables = conn.execute(
                "select schema_name, table_name, estimated_size from duckdb_tables() "
                "where database_name = 'publish' order by 1, 2"
            ).fetchall()
            counts = {
                f"{schema}.{table}": conn.execute(f'select count(*) from publish."{schema}"."{table}"').fetchone()[0]
                for schema, table, _ in tables
            }
            conn.execute("detach publish")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    manifest = {
        "build_id": uuid.uuid4().hex,
        "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "path": str(target),
        "tables": counts,
    }
    manifest_tmp = published_dir / ".manifest.json.tmp"
    manifest_tmp.write_text(json.dumps(manifest, indent=2))
    os.replace(manifest_tmp, published_dir / "manifest.json")
    return manifest
