"""The README's example queries and the outputs printed under them, so a test can run each one against
the built warehouse and compare: the README cannot drift from the marts.

An example is a ```sql block followed (after at most a blank line) by a markdown table: a header row
naming the query's columns, a rule, one row per result row. A block fenced ```sql <tag> shows a
warehouse other than the bundled build (a test's, which checks it with `tag`). A number printed with d decimals matches
a result that rounds to it at d decimals (thousands separators allowed); an empty cell is NULL; any
other cell is compared as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SQL_BLOCK = re.compile(r"```sql(?: (?P<tag>[\w-]+))?\n(?P<sql>.*?)```\n", re.S)
NUMBER = re.compile(r"^-?[\d,]*\d(\.\d+)?$")


@dataclass(frozen=True)
class Example:
    line: int  # of the ```sql fence in the README
    sql: str
    header: list[str]
    rows: list[list[str]]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def examples(readme: Path, tag: str | None = None) -> list[Example]:
    """Every ```sql block of the README (of `tag`: ```sql <tag>) with the table printed under it (a block
    without one is not an example and is not returned)."""
    text = readme.read_text()
    found = []
    for match in SQL_BLOCK.finditer(text):
        if match.group("tag") != tag:
            continue
        lines = text[match.end():].split("\n")
        if lines and not lines[0].strip():
            lines = lines[1:]
        table = []
        for line in lines:
            if not line.startswith("|"):
                break
            table.append(line)
        if len(table) < 2:
            continue
        found.append(Example(line=text[:match.start()].count("\n") + 1, sql=match.group("sql"),
                             header=_cells(table[0]), rows=[_cells(row) for row in table[2:]]))
    return found


def cell_matches(printed: str, value) -> bool:
    if printed == "":
        return value is None
    if value is None:
        return False
    if NUMBER.match(printed) and isinstance(value, int | float | Decimal):
        decimals = len(printed.split(".")[1]) if "." in printed else 0
        return abs(float(printed.replace(",", "")) - float(value)) <= 0.5 * 10 ** -decimals * (1 + 1e-9)
    return printed == str(value)


def mismatches(example: Example, columns: list[str], rows: list[tuple]) -> list[str]:
    """What differs between the printed table and the query's result, one line each (empty: none)."""
    where = f"README.md line {example.line}"
    if example.header != columns:
        return [f"{where}: printed columns {example.header}, the query returns {columns}"]
    if len(example.rows) != len(rows):
        return [f"{where}: {len(example.rows)} rows printed, the query returns {len(rows)}"]
    return [f"{where}, row {i + 1}, {column}: printed {printed!r}, the warehouse gives {value!r}"
            for i, (printed_row, row) in enumerate(zip(example.rows, rows, strict=True))
            for column, printed, value in zip(columns, printed_row, row, strict=True)
            if not cell_matches(printed, value)]


def drift(readme: Path, conn, tag: str | None = None) -> list[str]:
    """Run every example of `readme` (of `tag`) on the DuckDB connection `conn`; every mismatch."""
    out = []
    for example in examples(readme, tag):
        result = conn.execute(example.sql)
        columns = [d[0] for d in result.description]
        out += mismatches(example, columns, result.fetchall())
    return out
