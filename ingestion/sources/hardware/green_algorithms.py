"""Importer for Green Algorithms' TDP_gpu.csv (CC BY 4.0).

The file has two header lines: a units line ("index,in Watt,...") and then the column names.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ingestion.quarantine import ParseResult
from ingestion.sources.hardware.validate import validate_records

SOURCE = "Green Algorithms calculator data, TDP_gpu.csv"
SOURCE_URL = "https://github.com/GreenAlgorithms/green-algorithms-tool/tree/master/data"
LICENCE = "CC BY 4.0"
_PREFIX_VENDORS = {"nvidia": "NVIDIA", "amd": "AMD", "tpu": "Google", "google": "Google", "intel": "Intel"}


def is_green_algorithms_file(first_line: str) -> bool:
    return first_line.startswith("index,in Watt")


def parse_green_algorithms_gpus(path: Path, *, known_vendors: set[str], load_id: str,
                                existing: dict[str, str] | None = None) -> ParseResult:
    records = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        handle.readline()  # units line
        reader = csv.DictReader(handle)
        for row in reader:
            model = (row.get("model") or "").strip()
            vendor = _PREFIX_VENDORS.get(model.split(" ")[0].lower(), "") if model else ""
            if model == "Any":
                vendor = "(generic placeholder)"
            records.append({
                "source_row": reader.line_num + 1,  # +1 for the units line read before the reader
                "canonical_name": model,
                "vendor": vendor,
                "tdp_w": row.get("TDP") or None,
                "memory_gb": row.get("memory") or None,
                "release_date": f"{row['Release_year']}-01-01" if row.get("Release_year") else None,
                "source": SOURCE,
                "source_url": (row.get("source") or "").strip() or SOURCE_URL,
                "licence": LICENCE,
                "tdp_basis": "vendor_tdp",
            })
    return validate_records(records, source_file=Path(path).name, known_vendors=known_vendors,
                            load_id=load_id, existing=existing)
