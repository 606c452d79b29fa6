"""Importer for ML CO2 Impact's gpus.csv (MIT).

Known defects of the real file, each quarantined or flagged rather than loaded silently:
a row with one field too few (A10G: its source URL lands in `memory`), implausible figures
(GTX 750 at 1,111 FP32 TFLOP/s), TPU rows that give an average draw rather than a TDP, CPU rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from ingestion.quarantine import ParseResult, Rejection, rejections_frame
from ingestion.sources.hardware.validate import validate_records

SOURCE = "ML CO2 Impact, data/gpus.csv"
SOURCE_URL = "https://github.com/mlco2/impact/blob/master/data/gpus.csv"
LICENCE = "MIT"
# No accelerator reaches 1 TFLOP/s of FP32 per watt (an H100 SXM gives about 0.1).
MAX_FP32_TFLOPS_PER_W = 1.0
_PREFIX_VENDORS = {"tpu": "Google", "amd": "AMD", "intel": "Intel"}


def is_mlco2_file(first_line: str) -> bool:
    return first_line.replace(" ", "").startswith("name,type,tdp_watts,TFLOPS32,TFLOPS16")


def _vendor(name: str) -> str:
    first = name.split(" ")[0].lower()
    return _PREFIX_VENDORS.get(first) or _PREFIX_VENDORS.get(first[:3], "NVIDIA")


def _num(value: str | None) -> float | None:
    if value is None or value.strip().lower() in {"", "nan", "unk"}:
        return None
    return float(value)


def parse_mlco2_gpus(path: Path, *, known_vendors: set[str], load_id: str,
                     existing: dict[str, str] | None = None) -> ParseResult:
    source_file = Path(path).name
    rejected: list[Rejection] = []
    records: list[dict] = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader)]
        for values in reader:
            line = reader.line_num
            raw = dict(zip(header, values, strict=False))  # a short row is reported below
            name = values[0].strip() if values else ""

            def reject(field: str, value: str | None, reason: str, fix: str,
                       line=line, name=name, raw=raw) -> None:
                rejected.append(Rejection(source_file, line, name, field, value, reason, fix, raw))

            if len(values) != len(header):
                reject("memory", raw.get("memory"),
                       f"row has {len(values)} fields but the header has {len(header)}; "
                       "the values are shifted (memory holds the source URL)",
                       "restore the missing field in the upstream row")
                continue
            if raw["type"].strip() == "cpu":
                reject("type", "cpu", "not an accelerator (the catalog holds accelerators only)",
                       "none needed; CPUs belong in a CPU table")
                continue
            try:
                tdp, fp32, fp16 = _num(raw["tdp_watts"]), _num(raw["TFLOPS32"]), _num(raw["TFLOPS16"])
                memory = _num(raw["memory"])
            except ValueError as error:
                reject("memory", raw.get("memory"), f"not a number ({error})", "fix the upstream value")
                continue
            if tdp and fp32 and fp32 / tdp > MAX_FP32_TFLOPS_PER_W:
                reject("TFLOPS32", raw["TFLOPS32"],
                       f"implausible: {fp32:g} FP32 TFLOP/s at {tdp:g} W is {fp32 / tdp:.1f} TFLOP/s per W "
                       f"(no accelerator exceeds {MAX_FP32_TFLOPS_PER_W:g}; a tensor-core or 2:4 sparse figure "
                       "in the FP32 column?)",
                       "check the upstream figure against the vendor datasheet")
                continue
            note = raw["source"].strip()
            basis = "measured_mean" if "not tdp" in note.lower() else "vendor_tdp"
            records.append({
                "source_row": line,
                "canonical_name": name,
                "vendor": _vendor(name),
                "tdp_w": tdp,
                "tdp_basis": basis,
                "memory_gb": memory,
                "peak_fp32_tflops": fp32,
                "peak_bf16_fp16_tflops": fp16,
                "source": SOURCE,
                "source_url": note if note.startswith("http") else SOURCE_URL,
                "licence": LICENCE,
                "notes": None if note.startswith("http") else note,
            })
    result = validate_records(records, source_file=source_file, known_vendors=known_vendors,
                              load_id=load_id, existing=existing)
    return ParseResult(result.rows, pl.concat([result.rejected, rejections_frame(rejected)]))
