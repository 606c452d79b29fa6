"""Blocking plausibility checks (lib/plausibility.py) on every raw table and every mart: two steps,
one after ingestion (blocking dbt), one after dbt (blocking the publish), so nothing implausible
reaches BI. The tables are the dbt project's sources and seeds (raw) and its marts, read from the
manifest, so a new source or mart is covered without editing this file. The live feeds' partitions
are left to their own checks and to the marts they feed (a partition run validates its day)."""

import json

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.feed_assets import MIX, OBSERVATIONS, REJECTED
from dagster_project.defs.transform.project import dbt_project
from dagster_project.lib import plausibility
from dagster_project.lib.gx import validate_frame

LIVE_FEEDS = {OBSERVATIONS, MIX, REJECTED}
CHECK = "plausible_values"


def _tables(layer: str) -> list[dg.AssetKey]:
    manifest = json.loads(dbt_project.manifest_path.read_text())
    if layer == "raw":
        keys = [dg.AssetKey(s["meta"]["dagster"]["asset_key"]) for s in manifest["sources"].values()
                if s.get("meta", {}).get("dagster", {}).get("asset_key")]
        keys += [dg.AssetKey([n["schema"], n["name"]]) for n in manifest["nodes"].values()
                 if n["resource_type"] == "seed" and n["schema"] == "raw"]
    else:
        keys = [dg.AssetKey([n["schema"], n["name"]]) for n in manifest["nodes"].values()
                if n["resource_type"] == "model" and n["schema"] == "marts"]
    return sorted(set(keys) - LIVE_FEEDS, key=lambda k: k.path)


def validate_table(conn, key: dg.AssetKey) -> dg.AssetCheckResult:
    schema, table = key.path
    rows = plausibility.profile(conn, schema, table)
    if not rows:
        return dg.AssetCheckResult(asset_key=key, check_name=CHECK, passed=True,
                                   metadata={"checked_columns": 0, "note": "no numeric or id column, or not built"})
    result = validate_frame(pd.DataFrame(rows), f"plausible_{schema}_{table}", plausibility.expectations,
                            row_ids=plausibility.PROFILE_IDS)
    return dg.AssetCheckResult(asset_key=key, check_name=CHECK, passed=result.passed,
                               metadata={**result.metadata, "checked_columns": len(rows)})


def plausibility_checks(layer: str):
    keys = _tables(layer)

    @dg.multi_asset_check(
        name=f"plausible_{layer}",
        specs=[dg.AssetCheckSpec(CHECK, asset=key, blocking=True,
                                 description="Every number finite and within the physical bound of its column "
                                             "(dagster_project/lib/plausibility.py), ids of sane length; a "
                                             "failure names the column, the bound and the first offending rows.")
               for key in keys],
        can_subset=True,
    )
    def check(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource):
        selected = {k.asset_key for k in context.selected_asset_check_keys}
        with duckdb.get_connection() as conn:
            for key in keys:
                if key in selected:
                    yield validate_table(conn, key)

    return check


plausible_raw = plausibility_checks("raw")
plausible_marts = plausibility_checks("marts")
