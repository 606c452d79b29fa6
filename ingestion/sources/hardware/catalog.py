"""The bundled accelerator catalog (data/hardware/accelerators.csv) and its vendor list."""

from __future__ import annotations

import csv
from pathlib import Path

from ingestion.files import read_csv_records
from ingestion.quarantine import ParseResult
from ingestion.sources.hardware.validate import validate_records


def read_vendors(path: Path) -> set[str]:
    """Known vendor names from data/hardware/vendors.csv (column `vendor`)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["vendor"].strip() for row in csv.DictReader(handle) if row.get("vendor")}


def parse_catalog(path: Path, *, known_vendors: set[str], load_id: str,
                  existing: dict[str, str] | None = None, source_file: str | None = None) -> ParseResult:
    """Parse a file in the catalog's own format (the bundled CSV, or a user's extension)."""
    return validate_records(
        read_csv_records(path),
        source_file=source_file or Path(path).name,
        known_vendors=known_vendors,
        load_id=load_id,
        existing=existing,
    )
