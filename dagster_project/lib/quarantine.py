"""One WARN check per quarantine table: how many rows did not load, from which files."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource


def quarantine_check(rejected: dg.AssetKey, name: str, what: str):
    """A non-blocking check `name` on the quarantine table `rejected` (raw.<table>): passes when it is
    empty, else warns with the count and the count per source file (good rows still built)."""
    table = ".".join(rejected.path)

    @dg.asset_check(asset=rejected, name=name, blocking=False,
                    description=f"Reports how many {what} were quarantined (reason and fix in {table}); "
                                "warns when any were.")
    def check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        with duckdb.get_connection() as conn:
            by_file = dict(conn.execute(f"select source_file, count(*) from {table} group by 1 order by 1")
                           .fetchall())
        count = sum(by_file.values())
        return dg.AssetCheckResult(passed=count == 0, severity=dg.AssetCheckSeverity.WARN,
                                   metadata={"rejected_rows": count, "by_file": dg.MetadataValue.json(by_file)})

    return check
