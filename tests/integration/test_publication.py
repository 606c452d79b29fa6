"""The publication switches all or nothing (DuckDB copy, Parquet, manifest and report together), even
when the publish fails or is killed at any point, and leaves no temporary or `.wal` files behind.
A small warehouse stands in for a full build: the publisher does not depend on what the marts hold."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.publish import ENTRIES, current_build, publish_warehouse

pytestmark = pytest.mark.integration


def report(database: Path) -> str:
    """A stand-in for the HTML report: written from the new build's copy before the switch."""
    with duckdb.connect(str(database), read_only=True) as conn:
        build_id = conn.execute("select build_id from meta.build").fetchone()[0]
    (database.parent / "report.html").write_text(f"<p>{build_id}</p>")
    return build_id


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "warehouse" / "footprint.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts; create schema raw")
        conn.execute("create table marts.fct_numbers as select range as n, range * 0.5 as kwh from range(200000)")
        conn.execute("create table marts.dim_names as select range as id, 'name ' || range as name from range(1000)")
        conn.execute("create table raw.loads as select 1 as load_id")
    return path


def consistent(published: Path) -> str:
    """The build every fixed path shows, checked to be one complete build; returns its id."""
    folders = {Path(os.path.realpath(published / entry)).parent for entry in ENTRIES}
    assert len(folders) == 1, folders
    build_id = current_build(published)
    manifest = json.loads((published / "manifest.json").read_text())
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as conn:
        assert conn.execute("select build_id from meta.build").fetchone()[0] == build_id == manifest["build_id"]
        parquet = conn.execute(f"select distinct build_id from read_parquet('{published}/parquet/*.parquet')"
                               ).fetchall()
    assert parquet == [(build_id,)]
    assert (published / "report.html").read_text() == f"<p>{build_id}</p>"
    return build_id


def leftovers(published: Path) -> list[Path]:
    return [p for p in published.rglob("*") if p.name.endswith((".wal", ".tmp", ".link"))]


def test_a_failure_before_the_switch_publishes_nothing_and_leaves_no_wal(warehouse, tmp_path):
    published = tmp_path / "published"
    first = publish_warehouse(warehouse, published, prepare=report)["build_id"]
    assert consistent(published) == first

    def broken(database):  # the report failing, as it did after the switch before
        raise RuntimeError("report failed")

    with pytest.raises(RuntimeError, match="report failed"):
        publish_warehouse(warehouse, published, prepare=broken)
    assert consistent(published) == first
    assert [p.name for p in (published / "builds").iterdir()] == [first]
    assert leftovers(published) == []


def test_every_reader_visible_path_switches_together(warehouse, tmp_path):
    published = tmp_path / "published"
    publish_warehouse(warehouse, published, prepare=report)
    samples, mixed, stop = [], [], threading.Event()

    def poll():  # a dashboard polling every path it reads
        while not stop.is_set():
            folders = {os.path.realpath(published / entry).rsplit("/", 2)[0] for entry in ENTRIES}
            samples.append(folders)
            if len(folders) != 1:
                mixed.append(folders)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        ids = [publish_warehouse(warehouse, published, prepare=report)["build_id"] for _ in range(8)]
    finally:
        stop.set()
        poller.join()
    assert len(samples) > 100 and mixed == []
    assert consistent(published) == ids[-1]
    assert {p.name for p in (published / "builds").iterdir()} == set(ids[-2:])


KILLED_PUBLISH = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from tests.integration.test_publication import report
from dagster_project.lib.publish import publish_warehouse
while True:
    publish_warehouse(Path({warehouse!r}), Path({published!r}), prepare=report)
"""


def test_a_publish_killed_at_any_point_leaves_one_complete_build(warehouse, tmp_path):
    published = tmp_path / "published"
    publish_warehouse(warehouse, published, prepare=report)
    script = KILLED_PUBLISH.format(tests=str(Path(__file__).parents[2]), warehouse=str(warehouse),
                                   published=str(published))
    rng = random.Random(13)
    for _ in range(8):
        process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
        time.sleep(1.5 + rng.random() * 2.0)  # start-up, then somewhere inside a publish
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        consistent(published)
    last = publish_warehouse(warehouse, published, prepare=report)["build_id"]
    assert consistent(published) == last
    assert leftovers(published) == [] and len(list((published / "builds").iterdir())) == 2


def built(conn) -> str:
    return conn.execute("select build_id from meta.build").fetchone()[0]


def test_bi_connections_opened_after_a_publish_see_it_while_older_ones_are_open(warehouse, tmp_path):
    """The README's BI recipes, in one process: a new DuckDB connection, and SQLAlchemy (duckdb-engine)
    with NullPool or with pool_recycle, see the new build even while a connection to the old one is
    open; the open connection keeps its snapshot until it reconnects (it compares meta.build)."""
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    published = tmp_path / "published"
    first = publish_warehouse(warehouse, published, prepare=report)["build_id"]
    path = published / "footprint.duckdb"

    held = duckdb.connect(str(path), read_only=True)  # plain DuckDB (Python, a notebook)
    second = publish_warehouse(warehouse, published, prepare=report)["build_id"]
    with duckdb.connect(str(path), read_only=True) as new:
        assert built(new) == second
    assert built(held) == first  # a connection kept open reads the build it opened...
    if built(held) != json.loads((published / "manifest.json").read_text())["build_id"]:
        held.close()  # ...until it sees the manifest moved on and reconnects
        held = duckdb.connect(str(path), read_only=True)
    assert built(held) == second
    held.close()

    # SQLAlchemy (Superset and other duckdb-engine tools); duckdb-engine sets its own connection config,
    # so in one process every connection to the file goes through it.
    engines = [sqlalchemy.create_engine(f"duckdb:///{path}", connect_args={"read_only": True}, **pool)
               for pool in ({}, {"poolclass": NullPool}, {"pool_recycle": 1})]
    query = sqlalchemy.text("select build_id from meta.build")
    try:
        kept = engines[0].connect()  # a default pool's connection, checked out and kept
        assert kept.execute(query).scalar() == second
        with engines[1].connect() as fresh, engines[2].connect() as recycled:
            assert fresh.execute(query).scalar() == recycled.execute(query).scalar() == second
        third = publish_warehouse(warehouse, published, prepare=report)["build_id"]
        time.sleep(1.1)  # pool_recycle: a pooled connection older than this is replaced at checkout
        with engines[1].connect() as fresh, engines[2].connect() as recycled:
            assert fresh.execute(query).scalar() == recycled.execute(query).scalar() == third
        assert kept.execute(query).scalar() == second  # the default pool keeps what it opened
        kept.close()
    finally:
        for engine in engines:
            engine.dispose()


def _storage_version(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("select tags['storage_version'] from duckdb_databases() "
                            "where database_name = current_database()").fetchone()[0]


@pytest.mark.parametrize("created_with", [None, "v1.2.0"])
def test_the_copy_is_in_the_format_every_duckdb_1x_reads_and_holds_what_the_warehouse_held(tmp_path, created_with):
    """The default format is copied as bytes (checkpointed first, so rows still in the .wal are in the
    copy); a warehouse in a newer format is copied table by table into the pinned one."""
    path = tmp_path / "footprint.duckdb"
    with duckdb.connect() as conn:
        conn.execute(f"attach '{path}' as w" + (f" (storage_version '{created_with}')" if created_with else ""))
        conn.execute("create schema w.marts; create table w.marts.fct_numbers as select range as n from range(1000)")
    with duckdb.connect(str(path)) as conn:  # left in the write-ahead log, as a killed writer leaves rows
        conn.execute("set checkpoint_threshold = '1GB'")
        conn.execute("insert into marts.fct_numbers select 1000")
        conn.execute("pragma disable_checkpoint_on_shutdown")
    published = tmp_path / "published"
    publish_warehouse(path, published)
    assert _storage_version(published / "footprint.duckdb") == "v1.0.0+"
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(*), max(n) from marts.fct_numbers").fetchone() == (1001, 1000)
    assert leftovers(published) == []
