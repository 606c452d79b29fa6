"""Checks that validate, in refresh runs, only the rows loaded since their last passing evaluation.

Whole builds (`make run`, which also runs after a change of code) validate every row. The refresh
jobs carry CHECK_SCOPE_TAG = "changed"; there a scoped check validates the rows whose `loaded_at`
(the time of their write, which grows with every write: lib/warehouse.replace_partition, or the
build that priced them) is newer than the watermark its last passing evaluation recorded in its
metadata (VALIDATED_THROUGH), read back from the check's history in the Dagster instance. A failed
evaluation does not move it, so its rows are validated again until they pass. Sound only for suites
whose every expectation is about one row, or about rows that are loaded together.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

CHECK_SCOPE_TAG = "footprint/check_scope"  # "changed" on the refresh jobs' runs
VALIDATED_THROUGH = "validated_through"


def validated_through(context: dg.AssetCheckExecutionContext) -> str | None:
    """In a refresh run, the newest loaded_at the last passing evaluation of this check validated."""
    if context.run.tags.get(CHECK_SCOPE_TAG) != "changed":
        return None
    history = context.instance.event_log_storage.get_asset_check_execution_history(
        context.check_specs[0].key, limit=1, status={AssetCheckExecutionRecordStatus.SUCCEEDED})
    if not history or history[0].event is None or history[0].event.dagster_event is None:
        return None
    entry = history[0].event.dagster_event.event_specific_data.metadata.get(VALIDATED_THROUGH)
    return entry.value if entry is not None else None


def unchanged(since: str, what: str) -> dg.AssetCheckResult:
    """Nothing was loaded after `since`: nothing to validate, the watermark stays."""
    return dg.AssetCheckResult(passed=True, metadata={"rows": 0, "scope": f"{what} loaded after {since}",
                                                      VALIDATED_THROUGH: since})


def scoped(result: dg.AssetCheckResult, frame: pd.DataFrame, since: str | None, what: str) -> dg.AssetCheckResult:
    """`result` (of validating `frame`, which has loaded_at) with its scope and, when it passed, the
    newest loaded_at it validated as the next watermark."""
    newest = frame["loaded_at"].max() if len(frame) else None
    through = str(newest) if result.passed and newest is not None and not pd.isna(newest) else since
    return dg.AssetCheckResult(passed=result.passed, severity=result.severity, metadata={
        **result.metadata, "scope": "every row" if since is None else f"{what} loaded after {since}",
        **({VALIDATED_THROUGH: through} if through else {})})
