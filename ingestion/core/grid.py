"""Polars core for hourly grid series."""

from __future__ import annotations

import polars as pl


def find_gaps(hourly: pl.DataFrame, by: tuple[str, ...] = ("zone_id", "feed", "kind")) -> pl.DataFrame:
    """Missing hours inside each series: one row per gap with its start, end and length in hours.

    A series is the hourly rows sharing `by`; a gap is a run of absent hours between two present
    ones (hours before the first or after the last value are not gaps).
    """
    keys = list(by)
    return (
        hourly.select(*keys, "hour_start")
        .unique()
        .sort(*keys, "hour_start")
        .with_columns(previous=pl.col("hour_start").shift(1).over(keys))
        .with_columns(gap_hours=((pl.col("hour_start") - pl.col("previous")).dt.total_hours() - 1))
        .filter(pl.col("gap_hours") > 0)
        .select(*keys, gap_start=pl.col("previous") + pl.duration(hours=1), gap_end=pl.col("hour_start"),
                gap_hours=pl.col("gap_hours").cast(pl.Int64))
    )
