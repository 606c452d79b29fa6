"""Publish a read-only copy of the warehouse for BI tools, all or nothing, with Parquet per mart.

    data/published/builds/<build id>/          one complete publication:
        footprint.duckdb                       every table; each mart carries the build id; meta.build
        parquet/<mart>.parquet
        parquet/<dataset>/cluster=<c>/day=<d>/data.parquet   big facts, hard links (see below)
        manifest.json                          build id and time, marts with row counts and column types
        report.html, exports/                  (or whatever `prepare` writes)
    data/published/current -> builds/<build id>         the one switch
    data/published/footprint.duckdb -> current/footprint.duckdb
    data/published/parquet          -> current/parquet
    data/published/manifest.json    -> current/manifest.json
    data/published/report.html      -> current/report.html
    data/published/exports          -> current/exports

Everything a reader can see is written inside the new build's folder first, the report included;
then one rename swaps the `current` link to it. The fixed paths readers use are links through
`current`, so the DuckDB copy, Parquet, manifest and report switch together, in one atomic step: a
reader resolving any of them sees the previous complete build or the new one, never a mixture, and
a reader holding a file open keeps reading its build (POSIX semantics; the previous build's folder
is kept). A publish that fails or is killed before the switch changes nothing readers see; its
folder (with any DuckDB `.wal`) is removed at once on failure, or by the next publish after a kill.
Only the current and previous builds are kept.

Big facts (the power samples: tens of millions of rows a month) are not copied into the DuckDB file:
their Parquet partitions are hard-linked into the build's parquet/ folder. The store replaces a
partition by renaming a new file over it, never by writing into it, so a linked file never changes:
a build keeps the partitions it was published with, and a publish costs one link per partition
however long the history is (a copy only where links are impossible, across file systems).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from dagster_project.settings import WAREHOUSE_FILENAME

CURRENT = "current"
# The fixed paths BI tools use, each a link into the current build's folder.
ENTRIES = (WAREHOUSE_FILENAME, "parquet", "manifest.json", "report.html", "exports")
STORAGE_VERSION = "v1.0.0"  # the DuckDB file format of the published copy: every DuckDB 1.x reads it


def new_build_id(now: dt.datetime) -> str:
    """Sortable and unique: UTC time of the build and a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def current_build(published_dir: Path) -> str | None:
    """The build id readers see now (None before the first publish)."""
    link = Path(published_dir) / CURRENT
    if link.is_symlink():
        return Path(os.readlink(link)).name
    manifest = Path(published_dir) / "manifest.json"  # a publication of the earlier layout
    return json.loads(manifest.read_text())["build_id"] if manifest.is_file() else None


def publish_warehouse(warehouse: Path, published_dir: Path, prepare: Callable[[Path], object] | None = None,
                      datasets: dict[str, Path] | None = None) -> dict:
    """Write a new build, call `prepare(build's DuckDB file)` (the report), then switch to it.
    `datasets`: name -> folder of immutable Parquet files, linked under parquet/<name>/.

    Returns the manifest, with what `prepare` returned under "prepared" (not written to the file).
    """
    published_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(published_dir)
    now = dt.datetime.now(dt.UTC)
    build_id = new_build_id(now)
    build_dir = published_dir / "builds" / build_id
    database = build_dir / WAREHOUSE_FILENAME
    try:
        build_dir.mkdir(parents=True)
        _copy_database(warehouse, database)
        with duckdb.connect() as conn:
            conn.execute(f"attach '{database}' as publish")
            columns = _stamp_marts(conn, build_id, now)
            tables = _counts(conn)
            marts = {name: {"rows": tables[f"marts.{name}"], "columns": types} for name, types in columns.items()}
            _export_parquet(conn, marts, build_dir / "parquet")
            conn.execute("detach publish")  # checkpoints: no .wal is left beside the copy
        linked = {name: _link_dataset(Path(folder), build_dir / "parquet" / name)
                  for name, folder in (datasets or {}).items()}
        prepared = prepare(database) if prepare else None
        manifest = {
            "build_id": build_id,
            "built_at": now.isoformat(timespec="seconds"),
            "path": str(published_dir / WAREHOUSE_FILENAME),
            "parquet_dir": str(published_dir / "parquet"),
            "marts": marts,
            "datasets": linked,
            "tables": tables,
        }
        (build_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    previous = current_build(published_dir)
    _switch_link(published_dir / CURRENT, Path("builds") / build_id)  # the publication happens here
    _link_entries(published_dir)
    _prune(published_dir / "builds", keep={build_id, previous})
    return {**manifest, "prepared": prepared}


def _copy_database(warehouse: Path, database: Path) -> None:
    """The warehouse as one DuckDB file that BI drivers embedding any DuckDB 1.x can open. A file in that
    storage format (what this DuckDB creates by default) is checkpointed, so nothing is left in its .wal,
    and copied as bytes: 0.1 s for a year of hourly intensity, where `copy from database` re-encoded
    every table (7.8 s). A file in a newer format is copied table by table into the pinned one."""
    with duckdb.connect(str(warehouse)) as conn:  # the writer pool: no one else writes meanwhile
        conn.execute("checkpoint")
        (tags,) = conn.execute("select tags from duckdb_databases() where database_name = current_database()"
                               ).fetchone()
    if tags.get("storage_version") == f"{STORAGE_VERSION}+":
        shutil.copyfile(warehouse, database)
        return
    with duckdb.connect() as conn:
        conn.execute(f"attach '{warehouse}' as footprint (read_only)")
        conn.execute(f"attach '{database}' as publish (storage_version '{STORAGE_VERSION}')")
        conn.execute("copy from database footprint to publish")


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


def _link_dataset(source: Path, target: Path) -> dict:
    """Hard-link every Parquet file of `source` under `target` (same relative paths)."""
    files = sorted(p for p in source.rglob("*.parquet") if not p.name.startswith(".")) if source.is_dir() else []
    size = 0
    for path in files:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, destination)
        except OSError:  # another file system: links are impossible, copy
            shutil.copyfile(path, destination)
        size += destination.stat().st_size
    target.mkdir(parents=True, exist_ok=True)
    return {"files": len(files), "bytes": size,
            "read_with": f"read_parquet('<parquet_dir>/{target.name}/*/*/*.parquet', hive_partitioning = true)"}


def _switch_link(link: Path, destination: Path) -> None:
    """Point `link` at `destination` by renaming a new symlink over it (atomic on POSIX)."""
    staged = link.with_name(f".{link.name}.{uuid.uuid4().hex}.link")
    staged.symlink_to(destination, target_is_directory=True)
    os.replace(staged, link)


def _link_entries(published_dir: Path) -> None:
    """Make each fixed path a link through `current` (once; later publishes only switch `current`).
    A real file or folder left by the earlier layout is replaced by rename, never deleted first."""
    for entry in ENTRIES:
        path, destination = published_dir / entry, Path(CURRENT) / entry
        if path.is_symlink() and Path(os.readlink(path)) == destination:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)  # an old Parquet folder: nothing can rename over a folder
        _switch_link(path, destination)


def _prune(builds: Path, keep: set) -> None:
    """Drop every build folder but the new one and the one readers were pointed at until now."""
    for old in builds.iterdir():
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(published_dir: Path) -> None:
    """Staged links and temporary copies of a publish that was killed (one build writes at a time: the
    writer pool); unfinished build folders go with `_prune` after the switch."""
    for leftover in [*published_dir.glob(".*.tmp"), *published_dir.glob(".*.tmp.wal"), *published_dir.glob(".*.link"),
                     *published_dir.glob(".parquet.*")]:
        leftover.unlink(missing_ok=True)
