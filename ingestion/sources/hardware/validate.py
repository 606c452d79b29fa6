"""Row rules every accelerator record must meet before it may load.

Structural rules live here (presence, parseable numbers, signs, known vendor, unique names);
plausibility ranges (TDP 1-2,000 W, release dates) are Great Expectations checks on the raw
table, so an implausible value that parses still stops the build instead of vanishing.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from ingestion.licences import SHIPPABLE, cannot_ship
from ingestion.quarantine import ParseResult, Rejected, partition, rejections_frame
from ingestion.sources.hardware.names import name_key
from ingestion.sources.hardware.schema import (
    CATALOG_SCHEMA,
    NUMERIC_COLUMNS,
    RAW_SCHEMA,
    REQUIRED_COLUMNS,
    TDP_BASES,
)

POSITIVE_COLUMNS = ("tdp_w", "tdp_min_w", "tdp_max_w", "memory_gb")


def _typed(record: dict) -> dict:
    """The record's catalog columns: text stripped, numbers parsed; a missing required value or a
    number that is not one rejects it."""
    missing = [c for c in REQUIRED_COLUMNS if _blank(record.get(c))]
    if missing:
        column = missing[0]
        raise Rejected(column, f"required value {column} is missing",
                       f"fill {column} (every accelerator needs a name, vendor, TDP in W, source and licence)")
    out: dict = {c: None for c in CATALOG_SCHEMA}
    for column in CATALOG_SCHEMA:
        if column not in NUMERIC_COLUMNS and column != "release_date":
            value = record.get(column)
            out[column] = None if _blank(value) else str(value).strip()
    for column in NUMERIC_COLUMNS:
        try:
            out[column] = _number(record.get(column))
        except ValueError:
            raise Rejected(column, f"{column} is not a number", f"write {column} as a plain number in its unit") \
                from None
    return out


def _plausible(out: dict) -> dict:
    """Signs and the TDP range: a part cannot draw or weigh less than nothing."""
    non_positive = [c for c in POSITIVE_COLUMNS if out[c] is not None and out[c] <= 0]
    if non_positive:
        column = non_positive[0]
        raise Rejected(column, f"{column} must be greater than 0", f"correct the sign or unit of {column}")
    if out["embodied_kgco2e"] is not None and out["embodied_kgco2e"] < 0:
        raise Rejected("embodied_kgco2e", "embodied carbon cannot be negative",
                       "give the published kgCO2e per device, or leave it empty")
    low, high, tdp = out["tdp_min_w"], out["tdp_max_w"], out["tdp_w"]
    if (low is not None and low > tdp) or (high is not None and high < tdp):
        raise Rejected("tdp_w", f"tdp_w {tdp} lies outside its range [{low}, {high}]",
                       "make tdp_min_w <= tdp_w <= tdp_max_w")
    return out


def _vocabulary(out: dict, record: dict, vendors: dict[str, str]) -> dict:
    """Known vendor, shippable licence, a TDP basis the catalog knows, an ISO release date."""
    vendor = vendors.get(out["vendor"].lower())
    if vendor is None:
        raise Rejected("vendor", f"unknown vendor {out['vendor']!r}",
                       "use a vendor listed in data/hardware/vendors.csv or add the vendor there")
    if cannot_ship(out.get("licence")):
        raise Rejected("licence", f"licence {out.get('licence')!r} cannot ship with this project", SHIPPABLE)
    basis = out["tdp_basis"] or "vendor_tdp"
    if basis not in TDP_BASES:
        raise Rejected("tdp_basis", f"tdp_basis must be one of {', '.join(TDP_BASES)}",
                       "say whether the power is a vendor TDP, a measured mean or an estimate")
    release = record.get("release_date")
    if not _blank(release):
        try:
            out["release_date"] = dt.date.fromisoformat(str(release).strip()[:10])
        except ValueError:
            raise Rejected("release_date", "release_date is not an ISO date", "write the date as YYYY-MM-DD") \
                from None
    return {**out, "vendor": vendor, "tdp_basis": basis}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in {"", "NaN", "nan", "Nan"})


def _number(value: object) -> float | None:
    if _blank(value):
        return None
    number = float(str(value).strip())
    if math.isnan(number) or math.isinf(number):
        raise ValueError("not a finite number")
    return number


def validate_records(
    records: list[dict],
    *,
    source_file: str,
    known_vendors: set[str],
    load_id: str,
    existing: dict[str, str] | None = None,
) -> ParseResult:
    """Split candidate records into loadable rows and rejections.

    `records` carry the catalog columns as strings (or numbers) plus `source_row`.
    `existing` maps name keys already loaded (from an earlier file) to their canonical name.
    """
    seen: dict[str, tuple[str, int | str]] = {k: (v, "an earlier file") for k, v in (existing or {}).items()}
    vendors = {v.lower(): v for v in known_vendors}

    def check(record: dict) -> dict:
        out = _vocabulary(_plausible(_typed(record)), record, vendors)
        key, row_no = name_key(out["canonical_name"]), int(record.get("source_row") or 0)
        if key in seen:
            first_name, first_row = seen[key]
            where = f"row {first_row}" if isinstance(first_row, int) else first_row
            raise Rejected("canonical_name", f"duplicate accelerator: same name as {first_name!r} ({where})",
                           "remove the duplicate row or give the accelerator a distinct name")
        seen[key] = (out["canonical_name"], row_no)
        return {**out, "source_file": source_file, "source_row": row_no, "load_id": load_id}

    good, rejected = partition(records, check, source_file=source_file,
                               name_of=lambda r: r.get("canonical_name"))
    rows = pl.DataFrame(good, schema=RAW_SCHEMA) if good else pl.DataFrame(schema=RAW_SCHEMA)
    return ParseResult(rows=rows, rejected=rejections_frame(rejected))
