"""Publish a read-only copy of the warehouse for BI tools, atomically, with Parquet per mart.

    data/published/footprint.duckdb            every table; each mart carries the build id
    data/published/parquet -> builds/<build id>/parquet/<mart>.parquet
    data/published/manifest.json               build id and time, marts with row counts and column types

The copy is written to a temporary file next to the target and renamed over it, so a reader sees
either the previous complete copy or the new one, never a half-written one, and a reader holding
the old file keeps reading it (POSIX rename semantics). The Parquet files of a build are written
in their own folder and the `parquet` link is swapped to it by rename; the previous build's folder
is kept for readers still using it. Nothing is replaced until the whole build is written, so a
failed or killed publish leaves the previous publication as it was; its leftovers (temporary
files, an unreferenced build folder) are removed by the next publish.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from pathlib import Path

import duckdb

from dagster_project.settings import WAREHOUSE_FILENAME


def new_build_id(now: dt.datetime) -> str:
    """Sortable and unique: UTC time of the build and a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def publish_warehouse(warehouse: Path, published_dir: Path) -> dict:
    published_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(published_dir)
    now = dt.datetime.now(dt.UTC)
    build_id = new_build_id(now)
    target = published_dir / WAREHOUSE_FILENAME
    tmp = published_dir / f".{WAREHOUSE_FILENAME}.{build_id}.tmp"
    build_dir = published_dir / "builds" / build_id
    try:
        with duckdb.connect() as conn:
            conn.execute(f"attach '{warehouse}' as footprint (read_only)")
            # Pin the storage format so BI drivers embedding any DuckDB 1.x can open the copy.
            conn.execute(f"attach '{tmp}' as publish (storage_version 'v1.0.0')")
            conn.execute("copy from database footprint to publish")
            columns = _stamp_marts(conn, build_id, now)
            tables = _counts(conn)
            marts = {name: {"rows": tables[f"marts.{name}"], "columns": types} for name, types in columns.items()}
            _export_parquet(conn, marts, build_dir / "parquet")
            conn.execute("detach publish")
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    link = published_dir / "parquet"
    previous = link.resolve().parent.name if link.is_symlink() else None
    _switch_link(link, Path("builds") / build_id / "parquet")
    _prune(published_dir / "builds", keep={build_id, previous})
    manifest = {
        "build_id": build_id,
        "built_at": now.isoformat(timespec="seconds"),
        "path": str(target),
        "parquet_dir": str(published_dir / "parquet"),
        "marts": marts,
        "tables": tables,
    }
    manifest_tmp = published_dir / f".manifest.{build_id}.tmp"
    manifest_tmp.write_text(json.dumps(manifest, indent=2))
    os.replace(manifest_tmp, published_dir / "manifest.json")
    return manifest


def _stamp_marts(conn: duckdb.DuckDBPyConnection, build_id: str, now: dt.datetime) -> dict:
    """Add `build_id` to every mart of the copy (a reader can check that what it joined comes from one
    build) and a `meta.build` table; return each mart's column types."""
    names = [n for (n,) in conn.execute("select table_name from duckdb_tables() where database_name = 'publish' "
                                        "and schema_name = 'marts' order by 1").fetchall()]
    for name in names:
        conn.execute(f"alter table publish.marts.\"{name}\" add column build_id varchar default '{build_id}'")
    conn.execute("create schema if not exists publish.meta")
    conn.execute("create or replace table publish.meta.build as select ? as build_id, ? as built_at",
                 [build_id, now.replace(tzinfo=None)])
    return {name: dict(conn.execute("select column_name, data_type from duckdb_columns() where database_name = "
                                    "'publish' and schema_name = 'marts' and table_name = ? order by column_index",
                                    [name]).fetchall()) for name in names}


def _counts(conn: duckdb.DuckDBPyConnection) -> dict:
    tables = conn.execute("select schema_name, table_name from duckdb_tables() where database_name = 'publish' "
                          "order by 1, 2").fetchall()
    return {f"{schema}.{table}": conn.execute(f'select count(*) from publish."{schema}"."{table}"').fetchone()[0]
            for schema, table in tables}


def _export_parquet(conn: duckdb.DuckDBPyConnection, marts: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in marts:
        conn.execute(f"copy publish.marts.\"{name}\" to '{folder / name}.parquet' (format parquet, compression zstd)")


def _switch_link(link: Path, destination: Path) -> None:
    """Point `link` at `destination` by renaming a new symlink over it (atomic on POSIX)."""
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a folder left by an older version of this publisher
    staged = link.with_name(f".{link.name}.{uuid.uuid4().hex}")
    staged.symlink_to(destination, target_is_directory=True)
    os.replace(staged, link)


def _prune(builds: Path, keep: set) -> None:
    """Drop every build folder but the new one and the one readers were pointed at until now."""
    for old in builds.iterdir():
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(published_dir: Path) -> None:
    """Temporary files of a publish that was killed (only one build writes at a time: the writer pool)."""
    for leftover in published_dir.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    for staged in published_dir.glob(".parquet.*"):
        staged.unlink(missing_ok=True)
