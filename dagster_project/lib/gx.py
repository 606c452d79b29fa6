"""Validate a DataFrame with Great Expectations and report it as a Dagster asset check result.

GX's SQL datasource silently fails every expectation on DuckDB, so tables are read into pandas
and validated in process. GX is imported lazily: it costs about 2.5 s and most code paths that
load the definitions never validate anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource


class ValidationEngineError(RuntimeError):
    """GX itself raised: an engine failure, never to be reported as bad data."""


NAMES = ("canonical_name", "model", "workload_id")
LINES = ("source_file", "source_row")


def is_id(column: str) -> bool:
    return column == "id" or column.endswith("_id")


def row_ids_of(columns) -> list[str]:
    """Columns that say which row failed: its ids or name, and its file and line where it has them
    (else its hour)."""
    ids = [c for c in columns if is_id(c) and c not in ("build_id", "load_id")][:3]
    ids += [c for c in NAMES if c in columns and c not in ids][:1]
    ids += [c for c in LINES if c in columns]
    return ids or [c for c in ("hour_start",) if c in columns]


def _named(row: dict, ids: Sequence[str]) -> str:
    """An offending row as a reader finds it: `canonical_name=Implausible 5kW, source_row=95: tdp_w=5000`."""
    def plain(value):
        return value.item() if hasattr(value, "item") else value
    where = ", ".join(f"{c}={plain(row[c])}" for c in ids if c in row)
    values = ", ".join(f"{c}={plain(v)}" for c, v in row.items() if c not in ids)
    return f"{where}: {values}" if values else where


def validate_frame(
    frame: pd.DataFrame,
    suite_name: str,
    expectations: Callable[[], Sequence[object]],
    row_ids: Sequence[str] = (),
) -> dg.AssetCheckResult:
    """Run the suite on `frame`; each failed expectation names its column, bounds, how many rows and
    the first offending rows, each by `row_ids` (columns that identify a row; by default its ids or
    name and its file and line, row_ids_of)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batch = (
        context.data_sources.add_pandas(f"{suite_name}_source")
        .add_dataframe_asset(suite_name)
        .add_batch_definition_whole_dataframe("whole")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=suite_name, expectations=list(expectations())))
    ids = list(row_ids) or row_ids_of(frame.columns)
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": ids} if ids else "SUMMARY"
    result = batch.get_batch(batch_parameters={"dataframe": frame}).validate(suite, result_format=result_format)

    failed = []
    for item in result.results:
        for info in _exceptions(item.exception_info):
            raise ValidationEngineError(f"{suite_name}: GX raised: {info.get('exception_message')}")
        if not item.success:
            config = item.expectation_config
            kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
            failed.append({
                "expectation": config.type,
                "kwargs": str(kwargs),
                "unexpected_count": item.result.get("unexpected_count"),
                "examples": str(item.result.get("partial_unexpected_list", [])[:5]),
                **({"rows": [_named(r, ids) for r in item.result.get("unexpected_index_list") or []][:5]}
                   if ids else {}),
            })
    stats = result.statistics
    return dg.AssetCheckResult(
        passed=bool(result.success),
        metadata={
            "suite": suite_name,
            "rows": len(frame),
            "evaluated_expectations": stats["evaluated_expectations"],
            "successful_expectations": stats["successful_expectations"],
            "failed_expectations": dg.MetadataValue.json(failed),
        },
    )


def _exceptions(info: dict | None) -> list[dict]:
    """GX reports engine errors either flat or keyed by metric id; collect the raised ones."""
    if not info:
        return []
    if "raised_exception" in info:
        return [info] if info["raised_exception"] else []
    return [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]


def combine(results: dict[str, dg.AssetCheckResult]) -> dg.AssetCheckResult:
    """One check result from several validations (e.g. one suite per metric of a long table)."""
    return dg.AssetCheckResult(
        passed=all(r.passed for r in results.values()),
        metadata={f"{name}.{key}": value for name, r in results.items() for key, value in r.metadata.items()},
    )


def mart_check(mart: str, suite: Callable, description: str, expected_rows_sql: str | None = None,
               scoped_to_changes: bool = False):
    """A blocking GX check `gx_marts_<mart>` on marts.<mart>. With `expected_rows_sql`, the suite is
    called with the count that query returns (e.g. how many workloads loaded), else with nothing.
    `scoped_to_changes` (an incremental mart with loaded_at, a suite of per-row expectations): refresh
    runs validate the rows loaded since the last pass (lib/check_scope.py)."""
    from dagster_project.lib.check_scope import scoped, unchanged, validated_through

    @dg.asset_check(asset=dg.AssetKey(["marts", mart]), name=f"gx_marts_{mart}", blocking=True,
                    description=description + (" In refresh runs, the rows loaded since the last pass."
                                               if scoped_to_changes else ""))
    def check(context, duckdb: DuckDBResource) -> dg.AssetCheckResult:  # context: AssetCheckExecutionContext
        since = validated_through(context) if scoped_to_changes else None
        scope = "" if since is None else "where loaded_at > cast(? as timestamp)"
        with duckdb.get_connection() as conn:
            frame = conn.execute(f'select * from marts."{mart}" {scope}', [] if since is None else [since]).df()
            expected = conn.execute(expected_rows_sql).fetchone()[0] if expected_rows_sql else None
        if since is not None and frame.empty:
            return unchanged(since, "rows")
        result = validate_frame(frame, f"marts_{mart}", lambda: suite() if expected is None else suite(expected))
        return scoped(result, frame, since, "rows") if scoped_to_changes else result

    return check
