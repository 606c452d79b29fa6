import csv
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest


def build(assets: list[dg.AssetKey] | None = None) -> dg.ExecuteInProcessResult:
    """Materialize every asset and run every check, as `make run` does (or only `assets` and their
    checks), into the test warehouse, on the test's Dagster instance (warehouse_env: configured as in
    production, writer pool of one)."""
    from dagster_project.definitions import defs

    job = defs().resolve_job_def("build_warehouse")
    with dg.DagsterInstance.get() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False, asset_selection=assets)


def materialized(result) -> set[dg.AssetKey]:
    """The assets a run materialized."""
    return {e.asset_key for e in result.get_asset_materialization_events()}


def from_bundled_build(warehouse_env: dict[str, Path], bundled_build, instance: bool = False
                       ) -> dg.ExecuteInProcessResult:
    """Give the test's warehouse (warehouse_env) the shared build's warehouse, facts, landing and
    published copy, as if it had built them itself, and with `instance` its Dagster instance too (the
    run, its materializations and the dynamic partitions it added); returns that build's result."""
    paths, result = bundled_build
    if instance:
        shutil.copytree(paths["dagster_home"], warehouse_env["dagster_home"], dirs_exist_ok=True)
    for name in ("published", "landing"):
        shutil.rmtree(warehouse_env[name], ignore_errors=True)
        shutil.copytree(paths[name], warehouse_env[name], symlinks=True)
    shutil.rmtree(warehouse_env["warehouse"].parent, ignore_errors=True)
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
