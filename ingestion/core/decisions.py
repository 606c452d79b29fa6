"""Carbon-aware replays as a scheduler decides them: on the forecast it had, priced on what happened.

The hindsight replay (attribution.best_starts) picks, among the starts start + k hours (k = 0..F), the
one with the least carbon on the intensities measured afterwards: no scheduler can do that. Here the
scheduler knows one forecast per job, the latest one issued in the job's zone at or before its
decision time (its submit time, else its start). It compares the same candidates on that forecast
and picks the least; a candidate counts only where the forecast covers its whole run, and with no
forecast, or one that does not cover the run as planned (k = 0), the job runs as planned. The start
it picked is then priced on the actual series: the saving as decided, which can be negative when the
forecast was wrong and never exceeds the hindsight saving (the hindsight optimum is the least over
the same candidates on the same actual series).

Each forecast is laid out as its own series of the intensity index (keyed by zone and issue time), so
each candidate is four array reads, as in the hindsight replay: F + 1 vectorised reads per job, one
as-of join to find each job's forecast, no per-start join. An outcome whose run the actual series does
not cover is unknown (null), never guessed.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ingestion.core.attribution import IntensityIndex, _hours, _locate, build_index, window_integral

ON_FORECAST = "forecast"
NO_FORECAST = "no forecast issued before the decision reaches the run"
NOT_COVERED = "the forecast ends before the run as planned does"
DECISIONS = (ON_FORECAST, NO_FORECAST, NOT_COVERED)

FORECAST_COLUMNS = {"zone_id": pl.String, "issued_at": pl.Datetime("us"), "hour_start": pl.Datetime("us"),
                    "gco2e_per_kwh": pl.Float64}


def _series_key(zone: pl.Expr, issued_at: pl.Expr) -> pl.Expr:
    return pl.concat_str(zone, pl.lit("@"), issued_at.dt.to_string("%Y-%m-%dT%H:%M:%S%.6f"))


def latest_forecasts(jobs: pl.DataFrame, issues: pl.DataFrame) -> pl.Series:
    """Per job (zone_id, decided_at), the issue time of the latest forecast of its zone (issues:
    zone_id, issued_at) issued at or before decided_at; null where there is none. In the order of `jobs`."""
    issues = issues.select(pl.col("zone_id").cast(pl.String), pl.col("issued_at").cast(pl.Datetime("us"))).unique()
    issues = issues.sort("issued_at")
    placed = (jobs.select(pl.col("zone_id").cast(pl.String), "decided_at").with_row_index("_row")
              .sort("decided_at")
              # both sides sorted on the time just above; polars cannot verify it within groups
              .join_asof(issues, left_on="decided_at", right_on="issued_at", by="zone_id", strategy="backward",
                         check_sortedness=False)
              .sort("_row"))
    return placed["issued_at"]


def decided_starts(jobs: pl.DataFrame, actual: IntensityIndex, forecasts: pl.DataFrame,
                   flexibilities: list[int], issues: pl.DataFrame | None = None) -> pl.DataFrame:
    """jobs: job_key, zone_id, start, end, decided_at, power_kw; forecasts: zone_id, issued_at,
    hour_start, gco2e_per_kwh (one value per zone, issue time and hour), of the jobs' windows at least;
    issues: every forecast of the zones (zone_id, issued_at), those of `forecasts` by default. Per job
    and flexibility: the forecast used, the delay the scheduler picks, and that start priced on
    `actual` (null where `actual` lacks an hour of it). A job's row depends on its own window and
    the forecasts issued before it only, so any batch of jobs gets the rows the whole history does."""
    forecasts = forecasts.select(*(pl.col(c).cast(t) for c, t in FORECAST_COLUMNS.items()))
    issued = latest_forecasts(jobs, forecasts if issues is None else issues)
    keyed = jobs.with_columns(forecast_issued_at=issued)
    used = keyed.select("zone_id", pl.col("forecast_issued_at").alias("issued_at")).drop_nulls().unique()
    series = (forecasts.join(used, on=["zone_id", "issued_at"], how="semi")
              .select(_series_key(pl.col("zone_id"), pl.col("issued_at")).alias("zone_id"), "hour_start",
                      "gco2e_per_kwh"))
    index = build_index(series)
    on_forecast = keyed.select(_series_key(pl.col("zone_id"), pl.col("forecast_issued_at")).alias("zone_id"))
    f_first, f_n, f_offset, f_known = _locate(on_forecast, index)
    a_first, a_n, a_offset, a_known = _locate(jobs, actual)
    start_h, end_h = _hours(jobs, "start"), _hours(jobs, "end")
    power = jobs["power_kw"].to_numpy()

    planned, covered = window_integral(index, f_first, f_n, f_offset, f_known, start_h, end_h)
    best = np.where(covered, planned, np.inf)
    best_k = np.zeros(len(jobs), dtype=np.int64)
    decision = np.where(issued.is_null().to_numpy(), NO_FORECAST, np.where(covered, ON_FORECAST, NOT_COVERED))
    frames, wanted = [], sorted(set(flexibilities))
    for k in range(0, (wanted[-1] if wanted else 0) + 1):
        if k:
            value, ok = window_integral(index, f_first, f_n, f_offset, f_known, start_h + k, end_h + k)
            better = covered & ok & (value < best)  # only where the run as planned is on the forecast too
            best, best_k = np.where(better, value, best), np.where(better, k, best_k)
        if k in wanted:
            outcome, known = window_integral(actual, a_first, a_n, a_offset, a_known, start_h + best_k, end_h + best_k)
            frames.append(pl.DataFrame({
                "job_key": jobs["job_key"], "flexibility_h": np.full(len(jobs), k, dtype=np.int64),
                "forecast_issued_at": issued, "decision": decision, "decided_delay_h": best_k.copy(),
                "decided_kgco2e": np.where(known, power * outcome / 1000, np.nan)}))
    if not frames:
        return pl.DataFrame()
    out = pl.concat(frames).with_columns(pl.col("decided_kgco2e").fill_nan(None))
    return (out.join(jobs.select("job_key", "start"), on="job_key", how="left")
            .with_columns(decided_start=pl.col("start") + pl.duration(hours=pl.col("decided_delay_h")))
            .drop("start"))
