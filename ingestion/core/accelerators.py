"""Polars core for accelerators: power ranges and efficiency per precision.

Called by the dbt Python model int_accelerators_enriched; plain functions on frames, so they are
unit-tested without DuckDB or Dagster.
"""

from __future__ import annotations

import polars as pl

from ingestion.core.embodied import embodied_estimates, server_embodied

PRECISIONS = {
    "fp32": "peak_fp32_tflops",
    "tf32": "peak_tf32_tflops",
    "bf16_fp16": "peak_bf16_fp16_tflops",
    "fp8": "peak_fp8_tflops",
}


def enrich_accelerators(accelerators: pl.DataFrame, measured: pl.DataFrame, servers: pl.DataFrame) -> pl.DataFrame:
    """Add the low/high power used for ranges, peak TFLOP/s per W at every precision, embodied carbon
    for every part and of the server hosting it (ingestion/core/embodied.py; servers: the published
    server LCAs) and the TDP's check against published measurements.

    The range is the published min/max TDP where one exists, else the TDP itself. Efficiency uses
    the central TDP; it is null where the precision is not supported or not published.
    """
    efficiency = [
        (pl.col(column) / pl.col("tdp_w")).round(6).alias(f"{name}_tflops_per_w")
        for name, column in PRECISIONS.items()
    ]
    return (
        accelerators.with_columns(
            *efficiency,
            tdp_low_w=pl.coalesce("tdp_min_w", "tdp_w"),
            tdp_high_w=pl.coalesce("tdp_max_w", "tdp_w"),
            release_year=pl.col("release_date").dt.year().cast(pl.Int32),
        )
        .with_columns(
            # 1 = most efficient at dense BF16/FP16 within its vendor's line
            bf16_fp16_efficiency_rank_in_vendor=pl.col("bf16_fp16_tflops_per_w")
            .rank(method="min", descending=True)
            .over("vendor")
            .cast(pl.Int32),
        )
        .pipe(embodied_estimates)
        .pipe(server_embodied, servers)
        .pipe(tdp_against_measurements, measured)
        .sort("canonical_name")
    )


def tdp_against_measurements(accelerators: pl.DataFrame, measured: pl.DataFrame) -> pl.DataFrame:
    """`measured_avg_w_max`: the highest average power per accelerator a published run measured on the
    part, among the measurements whose gap to the TDP is not explained (`reviewed_note`); and
    `tdp_below_measured`: the TDP is below it, a catalog error to fix (a TDP is the most the part is
    built to draw, so no average of it can exceed it)."""
    worst = (measured.filter(pl.col("reviewed_note").is_null())
             .group_by(pl.col("accelerator").alias("canonical_name"))
             .agg(measured_avg_w_max=pl.col("measured_avg_w").cast(pl.Float64).max()))
    return accelerators.join(worst, on="canonical_name", how="left").with_columns(
        tdp_below_measured=pl.col("measured_avg_w_max").is_not_null()
        & (pl.col("tdp_w") < pl.col("measured_avg_w_max")))
