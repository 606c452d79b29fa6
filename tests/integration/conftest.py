import csv
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest


def build() -> dg.ExecuteInProcessResult:
    """Materialize every asset and run every check, as `make run` does, into the test warehouse, on
    the test's Dagster instance (warehouse_env: configured as in production, writer pool of one)."""
    from dagster_project.definitions import defs

    job = defs().resolve_job_def("build_warehouse")
    with dg.DagsterInstance.get() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


@pytest.fixture(scope="module")
def bundled_build(tmp_path_factory):
    """One build of the bundled data, shared by the tests of a module that start from a built and
    published warehouse: (its paths, the build's result). Take a private copy with from_bundled_build."""
    from tests.conftest import configure_warehouse, copy_reference

    root = tmp_path_factory.mktemp("bundled_build")
    with pytest.MonkeyPatch.context() as monkeypatch:
        paths = configure_warehouse(root, copy_reference(root / "reference"), monkeypatch)
        result = build()
    assert result.success
    return paths, result


def from_bundled_build(warehouse_env: dict[str, Path], bundled_build) -> dg.ExecuteInProcessResult:
    """Give the test's warehouse (warehouse_env) the shared build's warehouse, facts, landing and
    published copy, as if it had built them itself; returns that build's result."""
    paths, result = bundled_build
    for name in ("published", "landing"):
        shutil.copytree(paths[name], warehouse_env[name], symlinks=True)
    shutil.copytree(paths["warehouse"].parent, warehouse_env["warehouse"].parent)
    return result


def tables(path: Path, exclude_columns=("loaded_at",)) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without load timestamps."""
    with duckdb.connect(str(path), read_only=True) as conn:
        names = conn.execute(
            "select table_schema, table_name from information_schema.tables order by 1, 2"
        ).fetchall()
        out = {}
        for schema, table in names:
            columns = [c for (c,) in conn.execute(
                "select column_name from information_schema.columns where table_schema = ? "
                "and table_name = ? order by ordinal_position", [schema, table]).fetchall()
                if c not in exclude_columns]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(f'select {select} from "{schema}"."{table}"').fetchall()
            out[f"{schema}.{table}"] = sorted(rows, key=repr)
        return out


def append_catalog_rows(reference: Path, *changes: dict) -> int:
    """Append rows (a copy of the first row with `changes`) to the catalog; return good-row count."""
    catalog = reference / "hardware" / "accelerators.csv"
    with open(catalog, newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(catalog, "a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        for change in changes:
            writer.writerow({**rows[0], **change})
    return len(rows)


@pytest.fixture
def evaluations():
    def by_name(result):
        return {e.check_name: e for e in result.get_asset_check_evaluations()}
    return by_name
