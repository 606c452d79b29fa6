"""Plausibility of every number BI can read: finite, and within a physical bound stated per column.

Columns are named by their unit (README, "Units"), so one table of rules, matched on the column
name, states the bound of each kind of figure, and the same rules apply to every raw table and
mart: a new mart is covered by naming its columns as the others are. The bounds are generous
(ten to a hundred times the largest real value: the biggest clusters, a year of a whole national
grid) because they catch typos and overflow (`days: 1e300`, a trillion GPUs, `.inf`), not outliers.
Ids must be of sane length.

The check runs in the publish, on the new build's copy, before the switch: every table BI could
read is checked at once, and a failure publishes nothing. (Checks per table would add a step per
table, a process each in the UI; a check spanning raw tables and marts made Dagster split the dbt
build into three invocations.) DuckDB computes each table's profile (min, max, values outside the
bound, the first offending rows) in one pass, and Great Expectations validates the profiles in one
suite: memory and time grow with the number of columns, not rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dagster_project.lib.gx import is_id, row_ids_of

NUMERIC = ("DOUBLE", "FLOAT", "REAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
           "USMALLINT", "UTINYINT")
ANY_NUMBER = 1e30  # what every finite figure of the warehouse stays under (FLOPs of a frontier run: ~1e26)
MAX_ID_LENGTH = 200


@dataclass(frozen=True)
class Bound:
    pattern: str  # regular expression on the column name
    low: float
    high: float
    what: str  # the unit or figure, said in the failure

    def matches(self, column: str) -> bool:
        return re.search(self.pattern, column) is not None


# First match wins: the specific patterns come before the general ones.
BOUNDS = (
    Bound(r"(^|_)pue(_|$)", 1.0, 5.0, "PUE (ratio, 1 or more)"),
    Bound(r"error_g(co2e)?_per_kwh", -5_000.0, 5_000.0, "a forecast's error, gCO2e/kWh (either sign)"),
    Bound(r"g(co2e)?_per_kwh", 0.0, 5_000.0, "grid intensity, gCO2e/kWh (lignite: about 1,200)"),
    Bound(r"kg_per_kwh", 0.0, 5.0, "emission factor, kgCO2e/kWh"),
    Bound(r"l_per_kwh", 0.0, 10_000.0, "water intensity, L/kWh"),
    Bound(r"gco2e_per_request", 0.0, 1e6, "gCO2e per request"),
    Bound(r"wh_per_request", 0.0, 1e6, "Wh per request"),
    Bound(r"ml_per_request", 0.0, 1e7, "mL of water per request"),
    Bound(r"j_per_token", 0.0, 1e4, "J per token"),
    Bound(r"kgco2e", -1e11, 1e11, "kgCO2e (100 Mt: the yearly emissions of a mid-sized country)"),
    Bound(r"(^|_)kwh(_|$)|_kwh", -1e11, 1e11, "kWh (100 TWh: a year of every US datacenter)"),
    Bound(r"_mwh$", 0.0, 1e11, "MWh (the world's yearly generation: 3e10 MWh)"),
    Bound(r"_twh$", 0.0, 1e5, "TWh"),
    Bound(r"(^|_)energy_j$", 0.0, 1e17, "J"),
    Bound(r"(^|_)water.*_l(_|$)|_water_l$|(^|_)water_l", -1e13, 1e13, "litres"),
    Bound(r"(^|_)(tdp|power|measured|host_overhead)(_[a-z]+)*_w(_|$)|_w$", 0.0, 1e5, "W per accelerator"),
    Bound(r"accelerator_count|num_gpus|(^|_)gpus$|accelerators_per_server|(^|_)count$", 0.0, 1e7,
          "accelerators (the largest clusters: about 200,000)"),
    Bound(r"(^|_)rank(_|$)", 1.0, 1e7, "rank (1 = best)"),
    Bound(r"(share|covered|utilization)_pct$", 0.0, 101.0, "percent (a source's rounding may pass 100 a little)"),
    Bound(r"utilisation", 0.0, 1.0, "share of peak (0 to 1)"),
    Bound(r"(^|_)share(_|$)|share_of|_share$|_share_", -1e4, 1.0,
          "share (1 = all; a saving below 0 is a cost, down to ten thousand times)"),
    Bound(r"hours_per_day", 0.0, 24.0, "hours per day"),
    Bound(r"^days_(low|central|high)$|serving_days|service_life_days", 0.0, 36_500.0, "days (a hundred years)"),
    Bound(r"accelerator_hours|job_hours|^hours$", 0.0, 1e12, "accelerator-hours"),
    Bound(r"(delay|flexibility)_h$", 0.0, 8_784.0, "hours (a year)"),
    Bound(r"_s$", 0.0, 3.2e9, "seconds (a hundred years)"),
    Bound(r"lifetime_years", 0.0, 50.0, "years of service"),
    Bound(r"(^|_)year$", 1950.0, 2100.0, "calendar year"),
    Bound(r"tflops_per_w|gflops_per_w", 0.0, 1e5, "FLOP/s per W"),
    Bound(r"tflops", 0.0, 1e6, "TFLOP/s"),
    Bound(r"memory_gb", 0.0, 1e5, "GB"),
    Bound(r"params_billions", 0.0, 1e5, "billions of parameters"),
    Bound(r"requests_per_day", 0.0, 1e13, "requests per day"),
)


def bound_for(column: str) -> Bound | None:
    return next((b for b in BOUNDS if b.matches(column)), None)


def _rules(columns: dict[str, str]) -> list[tuple[str, str, float, float, str]]:
    """(column, SQL of a value, low, high, what) for every checked column."""
    rules = []
    for column, dtype in columns.items():
        if dtype.split("(")[0] in NUMERIC or dtype.startswith("DECIMAL"):
            bound = bound_for(column)
            low, high = (bound.low, bound.high) if bound else (-ANY_NUMBER, ANY_NUMBER)
            rules.append((column, f'"{column}"', low, high, bound.what if bound else "any finite number"))
        elif dtype == "VARCHAR" and is_id(column):
            rules.append((column, f'length("{column}")', 1, MAX_ID_LENGTH, "id length in characters"))
    return rules


def profile(conn, schema: str, table: str, shown: int = 5) -> list[dict]:
    """One row per checked column of `schema.table`: its bound, min, max, how many values break the
    bound (infinity and NaN included: both fall outside any `between`) and the first offending rows.
    One DuckDB pass over the table, so memory does not grow with its size."""
    columns = dict(conn.execute("select column_name, data_type from duckdb_columns() where schema_name = ? and "
                                "table_name = ? order by column_index", [schema, table]).fetchall())
    rules = _rules(columns)
    if not rules:
        return []
    name = f'"{schema}"."{table}"'
    outside = [f"not ({value} between {low!r} and {high!r})" for _, value, low, high, _ in rules]
    stats = conn.execute("select " + ", ".join(
        f"count(*) filter (where {test}), min({value})::varchar, max({value})::varchar"
        for (_, value, *_), test in zip(rules, outside, strict=True)) + f" from {name}").fetchone()
    ids = ", ".join(f'"{c}"' for c in row_ids_of(columns)) or "'(no id column)'"
    out = []
    for i, ((column, value, low, high, what), test) in enumerate(zip(rules, outside, strict=True)):
        violations = stats[3 * i]
        rows = conn.execute(f"select {ids}, {value} from {name} where {test} limit {shown}").fetchall() \
            if violations else []
        out.append({"table": f"{schema}.{table}", "column": column, "bound": f"{low:g} to {high:g} ({what})",
                    "min": stats[3 * i + 1], "max": stats[3 * i + 2], "violations": violations,
                    "offending_rows": "; ".join(" ".join(map(str, r)) for r in rows)})
    return out


def expectations():
    """GX on the profile: no column of any table breaks its bound. A failure lists each table, column,
    bound and offending rows (the profile's index columns)."""
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column="violations", min_value=0, max_value=0)]


PROFILE_IDS = ("table", "column", "bound", "min", "max", "offending_rows")


def check_database(conn, schemas=("raw", "staging", "intermediate", "marts")) -> tuple[bool, dict, list[dict]]:
    """Profile every table of `schemas` and validate the profiles with GX in one suite; return
    (passed, check metadata, the failing profile rows: table, column, bound, min, max, offending rows)."""
    import pandas as pd

    from dagster_project.lib.gx import validate_frame

    tables = conn.execute("select schema_name, table_name from duckdb_tables() where schema_name in "
                          f"({', '.join('?' for _ in schemas)}) order by 1, 2", list(schemas)).fetchall()
    rows = [row for schema, table in tables for row in profile(conn, schema, table)]
    result = validate_frame(pd.DataFrame(rows), "plausible_values", expectations, row_ids=PROFILE_IDS)
    failing = [r for r in rows if r["violations"]]
    metadata = {"tables": len(tables), "checked_columns": len(rows),
                "failed_columns": len(failing), **result.metadata}
    return result.passed and not failing, metadata, failing


def describe(failing: list[dict]) -> str:
    """The failure as a reader needs it: each table and column, its bound, and the offending rows."""
    return "; ".join(f"{r['table']}.{r['column']}: {r['violations']} value(s) outside {r['bound']}, "
                     f"e.g. {r['offending_rows']}" for r in failing)
