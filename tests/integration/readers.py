"""BI-like readers: processes that open the published copy read-only, again and again, during a build;
and what every reader must find once a build is published."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import duckdb


def read_loop(path: str, stop, results) -> None:
    reads = errors = mixed = 0
    builds: set[str] = set()
    last_error = ""
    while not stop.is_set():
        try:
            with duckdb.connect(path, read_only=True) as conn:
                marts = [t for (t,) in conn.execute("select table_name from information_schema.tables "
                                                    "where table_schema = 'marts'").fetchall()]
                union = " union all ".join(f'select distinct build_id from marts."{m}"' for m in marts)
                seen = [b for (b,) in conn.execute(f"select distinct build_id from ({union})").fetchall()]
                conn.execute("select sum(location_kgco2e_central) from marts.fct_workload_footprint").fetchone()
            reads += 1
            mixed += len(seen) != 1
            builds.update(seen)
        except Exception as error:  # counted, and the last one kept for the assertion message
            errors += 1
            last_error = repr(error)
        # A dashboard polling every second, not a load test: each read opens the file and reads every mart
        # (about 0.1 s of CPU), and at 50 ms three readers took 1.75 of the two cores from the build they watch.
        time.sleep(1.0)
    results.put({"reads": reads, "errors": errors, "mixed": mixed, "builds": sorted(builds),
                 "last_error": last_error})


class Readers:
    """`with Readers(path, 3) as readers:` ... then `readers.results` (one dict per process)."""

    def __init__(self, path: Path, count: int):
        context = multiprocessing.get_context("spawn")
        self.stop, self.queue = context.Event(), context.Queue()
        self.processes = [context.Process(target=read_loop, args=(str(path), self.stop, self.queue))
                          for _ in range(count)]
        self.results: list[dict] = []

    def __enter__(self):
        for process in self.processes:
            process.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.results = [self.queue.get(timeout=60) for _ in self.processes]
        for process in self.processes:
            process.join(timeout=60)
        return False


def assert_one_build_published(published: Path, build_id: str) -> None:
    """The DuckDB copy, the Parquet files and the manifest all say the same build."""
    manifest = json.loads((published / "manifest.json").read_text())
    assert manifest["build_id"] == build_id and manifest["built_at"]
    assert len(manifest["marts"]) >= 19
    assert manifest["marts"]["fct_workload_footprint"]["columns"]["location_kgco2e_central"] == "DOUBLE"
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as conn:
        for mart, described in manifest["marts"].items():
            ids = conn.execute(f'select distinct build_id from marts."{mart}"').fetchall()
            assert ids in ([(build_id,)], []) and described["columns"]["build_id"] == "VARCHAR", mart
            parquet = published / "parquet" / f"{mart}.parquet"
            rows, stamped = conn.execute(f"select count(*), count(*) filter (where build_id = ?) "
                                         f"from read_parquet('{parquet}')", [build_id]).fetchone()
            assert rows == stamped == described["rows"], mart
        assert conn.execute("select build_id from meta.build").fetchone()[0] == build_id
