"""Import upstream hardware tables in their own formats and reconcile them with the catalog.

An imported accelerator that the catalog already knows is quarantined (the curated row wins),
with every figure where the two sources disagree named in the reason; new accelerators load.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingestion.files import read_text
from ingestion.quarantine import ParseResult, Rejection, rejections_frame
from ingestion.sources.hardware.catalog import parse_catalog
from ingestion.sources.hardware.epoch import HEADER_MARKERS, parse_epoch_csv
from ingestion.sources.hardware.green_algorithms import (
    is_green_algorithms_file,
    parse_green_algorithms_gpus,
)
from ingestion.sources.hardware.mlco2 import is_mlco2_file, parse_mlco2_gpus
from ingestion.sources.hardware.names import (
    AcceleratorResolver,
    AmbiguousAcceleratorError,
    UnknownAcceleratorError,
)

FORMATS = ("catalog", "epoch", "green_algorithms", "mlco2")
COMPARED = {"tdp_w": "TDP (W)", "memory_gb": "memory (GB)", "peak_bf16_fp16_tflops": "BF16/FP16 TFLOP/s"}
TOLERANCE = 0.10


def detect_format(path: Path) -> str:
    first = read_text(path).split("\n", 1)[0]
    if first.startswith("canonical_name,"):
        return "catalog"
    if all(marker in first for marker in HEADER_MARKERS):
        return "epoch"
    if is_green_algorithms_file(first):
        return "green_algorithms"
    if is_mlco2_file(first):
        return "mlco2"
    raise ValueError(
        f"{path}: line 1: unrecognised hardware table header {first.strip()[:80]!r}. Fix: supply the "
        "catalog format (header starting 'canonical_name,'), Epoch AI's chip CSV, Green Algorithms' "
        "TDP_gpu.csv or ML CO2 Impact's gpus.csv"
    )


def parse_upstream(path: Path, *, known_vendors: set[str], load_id: str,
                   fmt: str | None = None) -> ParseResult:
    fmt = fmt or detect_format(path)
    parser = {
        "catalog": parse_catalog,
        "epoch": parse_epoch_csv,
        "green_algorithms": parse_green_algorithms_gpus,
        "mlco2": parse_mlco2_gpus,
    }[fmt]
    return parser(path, known_vendors=known_vendors, load_id=load_id)


def disagreements(imported: dict, curated: dict) -> list[str]:
    """Human-readable differences above 10 % between an imported row and the catalog row."""
    notes = []
    for column, label in COMPARED.items():
        a, b = imported.get(column), curated.get(column)
        if a is None or b is None or b == 0:
            continue
        ratio = a / b
        if abs(ratio - 1) > TOLERANCE:
            hint = ""
            if column == "peak_bf16_fp16_tflops" and abs(ratio - 2) < 0.05:
                hint = " (looks like the 2:4 sparse figure, the catalog keeps dense)"
            if column == "tdp_w" and imported.get("tdp_basis") == "measured_mean":
                hint = " (this source gives an average draw, not a TDP)"
            notes.append(f"{label} {a:g} here vs {b:g} in the catalog ({ratio - 1:+.0%}){hint}")
    return notes


def reconcile(imported: ParseResult, catalog: pl.DataFrame) -> ParseResult:
    """Keep imported rows the catalog lacks; quarantine the rest with the differences."""
    resolver = AcceleratorResolver.from_rows(catalog.to_dicts())
    curated = {r["canonical_name"]: r for r in catalog.to_dicts()}
    keep, rejected = [], []
    for row in imported.rows.to_dicts():
        try:
            match = resolver.resolve(row["canonical_name"])
        except UnknownAcceleratorError:
            keep.append(row)
            continue
        except AmbiguousAcceleratorError as error:
            rejected.append(Rejection(row["source_file"], row["source_row"], row["canonical_name"],
                                      "canonical_name", row["canonical_name"], str(error),
                                      "import it under a name that identifies one accelerator", row))
            continue
        diffs = disagreements(row, curated[match])
        reason = f"already in the catalog as {match!r}; the curated row is kept"
        if diffs:
            reason += "; sources disagree: " + "; ".join(diffs)
        rejected.append(Rejection(row["source_file"], row["source_row"], row["canonical_name"],
                                  "canonical_name", row["canonical_name"], reason,
                                  "edit data/hardware/accelerators.csv if the imported figure is right",
                                  row))
    rows = pl.DataFrame(keep, schema=imported.rows.schema) if keep else imported.rows.clear()
    return ParseResult(rows, pl.concat([imported.rejected, rejections_frame(rejected)]))
