"""Importer for Epoch AI's chip / Machine Learning Hardware CSV (CC BY 4.0).

Units in the file: FLOP/s and bytes; the catalog uses TFLOP/s and GB (1 GB = 1e9 bytes).
"""

from __future__ import annotations

from pathlib import Path

from ingestion.quarantine import ParseResult, Rejection, rejections_frame
from ingestion.files import read_csv_records
from ingestion.sources.hardware.validate import validate_records

SOURCE = "Epoch AI, Machine Learning Hardware / chip database"
SOURCE_URL = "https://epoch.ai/data/machine-learning-hardware"
LICENCE = "CC BY 4.0"
HEADER_MARKERS = ("Hardware name", "Tensor-FP16/BF16 performance (FLOP/s)")

VENDORS = {"Amazon AWS": "AWS", "Google": "Google", "NVIDIA": "NVIDIA", "AMD": "AMD",
           "Intel": "Intel", "Huawei": "Huawei", "Microsoft": "Microsoft", "Meta": "Meta"}
NON_ACCELERATOR_TYPES = {"CPU", "Hybrid CPU"}


def _scaled(value: str | None, divisor: float) -> float | None:
    if value is None or not value.strip():
        return None
    return round(float(value) / divisor, 4)


def normalize_epoch(path: Path) -> list[dict]:
    """Every row of the file mapped to catalog columns (no validation)."""
    records = []
    for row in read_csv_records(path):
        name = (row.get("Hardware name") or "").strip()
        manufacturer = (row.get("Manufacturer") or "").strip()
        if not manufacturer and name.lower().startswith("groq"):
            manufacturer = "Groq"
        records.append({
            "source_row": row["source_row"],
            "canonical_name": name,
            "vendor": VENDORS.get(manufacturer, manufacturer),
            "family": None,
            "form_factor": None,
            "type": (row.get("Type") or "").strip(),
            "tdp_w": row.get("TDP (W)") or None,
            "memory_gb": _scaled(row.get("Memory size per board (Byte)"), 1e9),
            "die_area_mm2": _scaled(row.get("Die Size (mm^2)"), 1),
            "process_nm": _scaled(row.get("Process size (nm)"), 1),
            "peak_fp32_tflops": _scaled(row.get("FP32 (single precision) performance (FLOP/s)"), 1e12),
            "peak_tf32_tflops": _scaled(row.get("TF32 (TensorFloat-32) performance (FLOP/s)"), 1e12),
            "peak_bf16_fp16_tflops": _scaled(row.get("Tensor-FP16/BF16 performance (FLOP/s)"), 1e12),
            "peak_fp8_tflops": _scaled(row.get("FP8 performance (FLOP/s)"), 1e12),
            "release_date": row.get("Release date") or None,
            "source": SOURCE,
            "source_url": (row.get("Link to datasheet") or "").strip() or SOURCE_URL,
            "licence": LICENCE,
            "vintage": None,
            "tdp_basis": "vendor_tdp",
        })
    return records


def parse_epoch_csv(path: Path, *, known_vendors: set[str], load_id: str,
                    existing: dict[str, str] | None = None) -> ParseResult:
    """Import accelerators; CPUs and rows without a TDP are quarantined with the reason."""
    source_file = Path(path).name
    candidates, cpus = [], []
    for record in normalize_epoch(path):
        if record["type"] in NON_ACCELERATOR_TYPES:
            cpus.append(Rejection(source_file, record["source_row"], record["canonical_name"], "Type",
                                  record["type"], "not an accelerator (the catalog holds accelerators only)",
                                  "none needed; CPUs belong in a CPU table", {}))
        else:
            candidates.append(record)
    result = validate_records(candidates, source_file=source_file, known_vendors=known_vendors,
                              load_id=load_id, existing=existing)
    if not cpus:
        return result
    import polars as pl

    return ParseResult(result.rows, pl.concat([result.rejected, rejections_frame(cpus)]))
