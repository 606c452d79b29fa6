"""GPU energy from Prometheus range queries: a cumulative energy counter where the exporter has one,
else power integrated over the query's step. Both give samples in the shape the nvidia-smi logs are
priced in (timestamp, power_w, interval_s: the time the sample stands for), so the same hourly
energy and pricing (core/attribution.hourly_energy, price_hours) apply.

- Power (DCGM_FI_DEV_POWER_USAGE in W, kepler_*_gpu_watts): query_range evaluates on a grid of
  `step` seconds, each point the latest scrape within Prometheus's lookback, so each point stands for
  one step. A missing point is a gap in scraping: not billed.
- Counter (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION in mJ, kepler_*_gpu_joules_total in J): the energy
  between consecutive points of a series is their difference. A drop is a reset (exporter or driver
  restarted): the energy since is the value after it, as Prometheus's increase() counts it. Points
  more than GAP_CAP steps apart are not bridged: the span is not billed, as for power.
"""

from __future__ import annotations

import polars as pl

GAP_CAP = 5  # steps a gap may span and still be billed from the counter (nvidia-smi: 5 x the median)
INTERVAL_SCHEMA = {"series": pl.String, "timestamp": pl.Datetime("us"), "power_w": pl.Float64,
                   "interval_s": pl.Float64, "is_reset": pl.Boolean}


def power_intervals(samples: pl.DataFrame, step_s: float, watts_per_unit: float = 1.0) -> pl.DataFrame:
    """samples: series, ts, value (power). Each point stands for one step."""
    return samples.select(
        "series", pl.col("ts").alias("timestamp"), (pl.col("value") * watts_per_unit).alias("power_w"),
        pl.lit(float(step_s)).alias("interval_s"), pl.lit(False).alias("is_reset")).cast(INTERVAL_SCHEMA)


def counter_intervals(samples: pl.DataFrame, step_s: float, joules_per_unit: float) -> pl.DataFrame:
    """samples: series, ts, value (a cumulative energy counter). One interval per pair of consecutive
    points of a series at most GAP_CAP steps apart, at the mean power over it."""
    ordered = samples.sort("series", "ts")
    same = pl.col("series").shift(1) == pl.col("series")
    gap_s = (pl.col("ts") - pl.col("ts").shift(1)).dt.total_microseconds() / 1e6
    rise = pl.col("value") - pl.col("value").shift(1)
    out = ordered.with_columns(
        gap_s=pl.when(same).then(gap_s), is_reset=(same & (rise < 0)).fill_null(False),
        joules=pl.when(same).then(pl.when(rise < 0).then(pl.col("value")).otherwise(rise)) * joules_per_unit,
        timestamp=pl.col("ts").shift(1))
    out = out.filter(pl.col("gap_s").is_not_null() & (pl.col("gap_s") > 0) & (pl.col("gap_s") <= GAP_CAP * step_s))
    return out.select("series", "timestamp", (pl.col("joules") / pl.col("gap_s")).alias("power_w"),
                      pl.col("gap_s").alias("interval_s"), "is_reset").cast(INTERVAL_SCHEMA)


def energy_j(intervals: pl.DataFrame) -> float:
    return float((intervals["power_w"] * intervals["interval_s"]).sum())


MIG_SLICES = r"^(\d+)g\."  # GPU_I_PROFILE "3g.40gb": 3 of the GPU's compute slices


def shared_gpu_shares(intervals: pl.DataFrame) -> pl.DataFrame:
    """intervals: gpu_uuid, timestamp, mig_profile (null outside MIG) and any other columns, one row per
    series. Where several series report the same physical GPU at the same time (MIG instances, or pods
    time-slicing one GPU: the exporter repeats the GPU's reading under each), its energy is split among
    them, by compute slices for MIG instances, else equally; `share` and `attribution` say how."""
    weight = pl.col("mig_profile").str.extract(MIG_SLICES, 1).cast(pl.Float64).fill_null(1.0)
    same = ["gpu_uuid", "timestamp"]
    out = intervals.with_columns(_w=weight).with_columns(
        share=pl.col("_w") / pl.col("_w").sum().over(same), _total=pl.col("_w").sum().over(same),
        _n=pl.len().over(same), _mig=pl.col("mig_profile").is_not_null().any().over(same))
    attribution = (pl.when(pl.col("_n") == 1).then(pl.lit("whole GPU"))
                   .when(pl.col("_mig")).then(pl.format("MIG instance {}: {} of the {} compute slices in use",
                                                        pl.col("mig_profile"), pl.col("_w").cast(pl.Int64),
                                                        pl.col("_total").cast(pl.Int64)))
                   .otherwise(pl.format("GPU shared by {} series: split equally", pl.col("_n"))))
    return (out.with_columns(power_w=pl.col("power_w") * pl.col("share"), attribution=attribution)
            .drop("_w", "_total", "_n", "_mig"))


def counter_per_hour(samples: pl.DataFrame, step_s: float, by: list[str]) -> pl.DataFrame:
    """A cumulative count (requests served) per series, summed per `by` and UTC hour: the increases
    between consecutive points (resets and gaps as for energy), each in the hour its interval starts."""
    rises = counter_intervals(samples, step_s, 1.0).join(samples.select("series", *by).unique("series"),
                                                          on="series", how="left")
    return (rises.group_by(*by, hour_start=pl.col("timestamp").dt.truncate("1h"))
            .agg(count=(pl.col("power_w") * pl.col("interval_s")).sum().round(6))
            .sort(*by, "hour_start"))
