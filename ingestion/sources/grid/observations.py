"""The normalised shape every hourly feed lands in: raw.grid_intensity_observations.

One row per zone, period, kind and basis. Periods are half-open [period_start, period_end) in UTC
at the feed's native resolution (30 min for UK NESO, 60 min for Electricity Maps and EIA, 15-60
min for ENTSO-E).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from ingestion.quarantine import Rejection, rejections_frame
from ingestion.sources.grid.forecasts import forecast_frame

KINDS = ("actual", "forecast", "estimated", "computed_from_mix")
NATURAL_KEY = ["feed", "zone_id", "period_start", "kind", "basis"]

OBSERVATION_SCHEMA = {
    "feed": pl.String,
    "zone_id": pl.String,
    "period_start": pl.Datetime("us"),
    "period_end": pl.Datetime("us"),
    "resolution_minutes": pl.Int32,
    "gco2e_per_kwh": pl.Float64,
    "kind": pl.String,
    "basis": pl.String,
    "estimation_method": pl.String,
    "source": pl.String,
    "licence": pl.String,
    "retrieved_at": pl.Datetime("us"),
    "load_id": pl.String,
}

MIX_SCHEMA = {
    "feed": pl.String,
    "zone_id": pl.String,
    "period_start": pl.Datetime("us"),
    "period_end": pl.Datetime("us"),
    "fuel": pl.String,
    "share_pct": pl.Float64,
    "generation_mwh": pl.Float64,
    "source": pl.String,
    "retrieved_at": pl.Datetime("us"),
    "load_id": pl.String,
}


def utc(text: str) -> dt.datetime:
    """Parse an API timestamp ('2020-01-01T00:00Z', '...00:00.000Z', '+00:00') to naive UTC."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {text!r}")
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def day_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time())
    return start, start + dt.timedelta(days=1)


@dataclass
class FeedBatch:
    """What one partition of one feed produced."""

    feed: str
    observations: list[dict] = field(default_factory=list)
    mix: list[dict] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    landed: list[str] = field(default_factory=list)
    forecasts: list[dict] = field(default_factory=list)  # forward forecasts as issued (forecasts.py)
    forecast_keys: set = field(default_factory=set, repr=False)  # what keep_forecast has let in

    def frames(self, day: dt.date) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        """Rows inside the day only (APIs return neighbouring periods), de-duplicated (last wins)."""
        start, end = day_window(day)
        obs = pl.DataFrame(self.observations, schema=OBSERVATION_SCHEMA)
        obs = (obs.filter((pl.col("period_start") >= start) & (pl.col("period_start") < end))
               .unique(subset=NATURAL_KEY, keep="last", maintain_order=True).sort(NATURAL_KEY))
        mix = pl.DataFrame(self.mix, schema=MIX_SCHEMA)
        mix = (mix.filter((pl.col("period_start") >= start) & (pl.col("period_start") < end))
               .unique(subset=["feed", "zone_id", "period_start", "fuel"], keep="last", maintain_order=True)
               .sort("zone_id", "period_start", "fuel"))
        return obs, mix, rejections_frame(self.rejections)

    def forecast_frame(self) -> pl.DataFrame:
        """The forward forecasts, whatever periods they reach (a forecast is not clipped to the day)."""
        return forecast_frame(self.forecasts)
