"""Rejected rows: what was wrong, where, and how to fix it. Nothing is dropped silently."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import polars as pl

REJECTED_SCHEMA = {
    "source_file": pl.String,
    "source_row": pl.Int64,
    "record_name": pl.String,
    "field": pl.String,
    "value": pl.String,
    "reason": pl.String,
    "fix": pl.String,
    "raw_record": pl.String,
}


@dataclass(frozen=True)
class Rejection:
    """One rejected input row. `source_row` is the 1-based line number in the file."""

    source_file: str
    source_row: int
    record_name: str | None
    field: str
    value: str | None
    reason: str
    fix: str
    raw_record: dict = field(default_factory=dict)

    def message(self) -> str:
        return (
            f"{self.source_file}:{self.source_row} ({self.record_name or '?'}) "
            f"field {self.field}={self.value!r}: {self.reason}. Fix: {self.fix}"
        )

    def as_row(self) -> dict:
        return {
            "source_file": self.source_file,
            "source_row": self.source_row,
            "record_name": shortened(self.record_name, 200),
            "field": self.field,
            "value": shortened(self.value, 1000),
            "reason": self.reason,
            "fix": self.fix,
            "raw_record": json.dumps(self.raw_record, sort_keys=True, default=str),
        }


def shortened(text: str | None, limit: int) -> str | None:
    """A rejected name or value as shown in the quarantine and logs: a 100,000-character id is
    itself the fault, so it is cut, saying how long it was (the whole record stays in raw_record)."""
    if text is None or len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def unreadable_file(source_file: str, error: BaseException) -> Rejection:
    """A log file that could not be read at all: a format error (ValueError, naming what is wrong) or a
    parser bug, which must not stop the other files."""
    if isinstance(error, ValueError):
        return Rejection(source_file, 0, None, "(file)", None, str(error),
                         "see data/logs/README.md for the expected format")
    return Rejection(source_file, 0, None, "(file)", None,
                     f"could not be parsed ({type(error).__name__}: {str(error)[:300]})",
                     "the file is kept in landing; report it with the file attached")


_FROM_RECORD = object()


class Rejected(Exception):
    """Raised by a per-row check (see partition): the field at fault, why, and how to fix it; `value`
    when the value to show is not the record's own (a parsed year, a canonical fuel name)."""

    def __init__(self, field: str, reason: str, fix: str, value=_FROM_RECORD):
        super().__init__(reason)
        self.field, self.reason, self.fix, self.value = field, reason, fix, value


def partition(records: list[dict], check, *, source_file: str, name_of) -> tuple[list[dict], list[Rejection]]:
    """Each record (with its 1-based `source_row`) through `check`, which returns the row to load, None
    for a record that holds nothing to load (not an error), or raises Rejected: the rows, and one
    Rejection per record that raised, naming the file, the line, the record (`name_of(record)`), the
    field and its value, with the raw record kept."""
    good, rejected = [], []
    for record in records:
        try:
            row = check(record)
        except Rejected as fault:
            name = name_of(record)
            name = None if name is None or not str(name).strip() else str(name).strip()
            value = record.get(fault.field) if fault.value is _FROM_RECORD else fault.value
            rejected.append(Rejection(source_file, int(record.get("source_row") or 0), name, fault.field,
                                      None if value is None else str(value), fault.reason, fault.fix,
                                      {k: v for k, v in record.items() if k != "source_row"}))
            continue
        if row is not None:
            good.append(row)
    return good, rejected


def split_rejected(frame: pl.DataFrame, bad: pl.Expr, *, source_file: str, field: str, value, reason, fix,
                   name, raw: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """partition for a parser that judges whole columns at once (logs of millions of lines): the rows
    of `frame` (with its `source_row`) where `bad` holds, as quarantine rows, and the others. `value`,
    `reason`, `fix` and `name` are each a literal or an expression over the row; `raw` names the columns kept
    as the raw record. A null `bad` counts as good. Names, values and raw records are shown as a
    Rejection shows them (shortened, raw records as JSON): the rejected rows are few."""
    flagged = frame.with_columns(_bad=bad.fill_null(False))
    as_expr = lambda x: x if isinstance(x, pl.Expr) else pl.lit(x, pl.String)  # noqa: E731
    faults = flagged.filter(pl.col("_bad")).select(
        pl.col("source_row").cast(pl.Int64), record_name=as_expr(name).cast(pl.String),
        value=as_expr(value).cast(pl.String), reason=as_expr(reason), fix=as_expr(fix), raw=pl.struct(**raw))
    rejected = pl.DataFrame([
        Rejection(source_file, r["source_row"], r["record_name"], field, r["value"], r["reason"], r["fix"],
                  r["raw"]).as_row() for r in faults.iter_rows(named=True)], schema=REJECTED_SCHEMA)
    return flagged.filter(~pl.col("_bad")).drop("_bad"), rejected


def rejections_frame(rejections: list[Rejection]) -> pl.DataFrame:
    return pl.DataFrame([r.as_row() for r in rejections], schema=REJECTED_SCHEMA)


@dataclass(frozen=True)
class ParseResult:
    """Good rows and quarantined rows from one parse."""

    rows: pl.DataFrame
    rejected: pl.DataFrame

    @property
    def messages(self) -> list[str]:
        return messages(self.rejected)


def messages(rejected: pl.DataFrame) -> list[str]:
    """One line per rejected row: file:line (record) field=value: reason. Fix: fix."""
    return [
        f"{r['source_file']}:{r['source_row']} ({r['record_name'] or '?'}) field "
        f"{r['field']}={r['value']!r}: {r['reason']}. Fix: {r['fix']}"
        for r in rejected.to_dicts()
    ]
