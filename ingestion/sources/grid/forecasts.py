"""Forecasts kept as issued: raw.grid_intensity_forecasts.

One row per feed, zone, basis, issue time and period. A forecast is identified by when it was issued
(`issued_at`): a later forecast, or the actual value of its period, never replaces it, so a replay can
ask what a scheduler knew at any moment. Where a feed does not say when it issued a forecast (UK NESO),
the issue time is when the forecast was fetched, i.e. what was known by then; `issued_at_basis` says
which. A point for a period that had ended by its issue time is not a forecast: it is quarantined.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingestion.quarantine import Rejection

NATURAL_KEY = ["feed", "zone_id", "basis", "issued_at", "period_start"]
ISSUED_AT_BASES = ("published", "retrieved", "request_start")

FORECAST_SCHEMA = {
    "feed": pl.String,
    "zone_id": pl.String,
    "basis": pl.String,
    "issued_at": pl.Datetime("us"),
    "issued_at_basis": pl.String,  # published by the feed | retrieved (when fetched) | request_start (a sample)
    "period_start": pl.Datetime("us"),
    "period_end": pl.Datetime("us"),
    "resolution_minutes": pl.Int32,
    "gco2e_per_kwh": pl.Float64,
    "source": pl.String,
    "licence": pl.String,
    "retrieved_at": pl.Datetime("us"),
    "load_id": pl.String,
}


def keep_forecast(batch, row: dict, *, landed: Path | str, record: dict) -> None:
    """Append `row` to `batch.forecasts` (a FeedBatch), or quarantine it in `batch.rejections`: a period
    that had ended by its issue time is no forecast, and a second value for the same issue and period
    (a feed repeating a record) is not kept over the first."""
    if row["period_end"] <= row["issued_at"]:
        batch.rejections.append(Rejection(
            str(landed), 0, row["zone_id"], "period_end", f"{row['period_end']:%Y-%m-%dT%H:%MZ}",
            f"a forecast issued at {row['issued_at']:%Y-%m-%dT%H:%M:%SZ} for a period that had already ended",
            "none needed: only what was still ahead at issue time is kept as a forecast", record))
        return
    key = tuple(row[c] for c in NATURAL_KEY)
    if key in batch.forecast_keys:
        batch.rejections.append(Rejection(
            str(landed), 0, row["zone_id"], "period_start", f"{row['period_start']:%Y-%m-%dT%H:%MZ}",
            f"a second value for the forecast issued at {row['issued_at']:%Y-%m-%dT%H:%M:%SZ}: the first is kept",
            "none needed; report it to the feed if it recurs", record))
        return
    batch.forecast_keys.add(key)
    batch.forecasts.append(row)


def forecast_frame(rows: list[dict]) -> pl.DataFrame:
    """The rows as raw.grid_intensity_forecasts holds them (keep_forecast let one per natural key in)."""
    return (pl.DataFrame(rows, schema=FORECAST_SCHEMA)
            .unique(subset=NATURAL_KEY, keep="first", maintain_order=True).sort(NATURAL_KEY))

