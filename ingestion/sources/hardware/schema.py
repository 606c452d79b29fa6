"""Columns of the accelerator catalog, shared by the bundled CSV and every importer."""

from __future__ import annotations

import polars as pl

NUMERIC_COLUMNS = (
    "tdp_w",
    "tdp_min_w",
    "tdp_max_w",
    "memory_gb",
    "die_area_mm2",
    "process_nm",
    "peak_fp32_tflops",
    "peak_tf32_tflops",
    "peak_bf16_fp16_tflops",
    "peak_fp8_tflops",
    "embodied_kgco2e",
)

# Column -> polars type of raw.hardware_accelerators (before load metadata).
CATALOG_SCHEMA: dict[str, pl.DataType] = {
    "canonical_name": pl.String,
    "vendor": pl.String,
    "family": pl.String,
    "form_factor": pl.String,
    "tdp_w": pl.Float64,
    "tdp_min_w": pl.Float64,
    "tdp_max_w": pl.Float64,
    "tdp_basis": pl.String,
    "memory_gb": pl.Float64,
    "die_area_mm2": pl.Float64,  # silicon area of the compute die(s): the embodied model's main input
    "process_nm": pl.Float64,
    "peak_fp32_tflops": pl.Float64,
    "peak_tf32_tflops": pl.Float64,
    "peak_bf16_fp16_tflops": pl.Float64,
    "peak_fp8_tflops": pl.Float64,
    "release_date": pl.Date,
    "embodied_kgco2e": pl.Float64,
    "embodied_source": pl.String,
    "aliases": pl.String,
    "source": pl.String,
    "source_url": pl.String,
    "vintage": pl.String,
    "licence": pl.String,
    "notes": pl.String,
}

LOAD_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String,
    "source_row": pl.Int64,
    "load_id": pl.String,
}

RAW_SCHEMA = {**CATALOG_SCHEMA, **LOAD_SCHEMA}

REQUIRED_COLUMNS = ("canonical_name", "vendor", "tdp_w", "source", "licence")

TDP_BASES = ("vendor_tdp", "measured_mean", "estimate")
