"""Attribute jobs and power samples to the hourly carbon intensity of their zone, in time linear in jobs.

A job of constant power P over [s, e) emits P x the integral of the intensity over [s, e). With
per-zone cumulative sums C of a dense hourly series I (C[k] = I[0] + ... + I[k-1]),

    F(t) = C[floor(t)] + (t - floor(t)) x I[floor(t)]        (t in hours since the zone's first hour)
    integral over [s, e) = F(e) - F(s)

so each job costs four array reads, whatever its length: partial first and last hours are weighted
exactly, and a job of a million hours costs what a job of one hour costs. C is summed in whole
micrograms per kWh-hour, as integers (the warehouse rounds intensities to 6 decimals): the difference
C[e] - C[s] is exact, so a job's price depends on the hours it ran in only, not on where the series
starts or on values outside its window. An index of a few zones or a few days gives every job in it
the same price, to the last bit, as the whole history does: refreshes price only the changed jobs,
and a distributed backend prices partitions apart, and both equal a whole rebuild. Hours missing from a zone's
series are counted with the same trick; a job touching one falls back to the zone's annual value,
flagged. Times are UTC (naive); logs are converted at ingestion with the cluster's time zone, so a
job crossing a DST change is priced over the hours it really ran.

Carbon-aware replay delays a job by whole hours k = 0..F (keeping its offset within the hour) and
keeps the start with the least carbon: a running minimum over the window of candidate starts, each
candidate read from the same cumulative sums (F + 1 vectorised reads per job, no join, no expansion
of jobs into hours).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

US_PER_HOUR = 3_600_000_000
MICRO = 1_000_000  # intensities are summed in whole micrograms per kWh: int64 holds 500,000 years at 2,000 g/kWh


@dataclass(frozen=True)
class IntensityIndex:
    """Dense per-zone hourly arrays laid end to end; zone z occupies [offset, offset + n_hours]."""

    zones: pl.DataFrame  # zone_id, first_hour (hours since epoch), n_hours, offset
    values: np.ndarray  # g/kWh per hour (on the micro grid), 0 where missing; one sentinel 0 after each zone
    cumulative: np.ndarray  # C: sum of values before the hour, in whole ug/kWh (int64, exact)
    missing: np.ndarray  # 1 where the hour has no value (and at each sentinel)
    missing_before: np.ndarray  # missing hours before the hour
    complete: bool = False  # no zone has a gap (only the sentinels are "missing")


def _layout_grouped(frame: pl.DataFrame):
    """Rows grouped by zone with rising hours (as the dbt model delivers them): one run-length pass.
    None when the rows are not laid out that way."""
    runs, hours = frame["zone_id"].rle(), frame["hour"].to_numpy()
    lengths = runs.struct.field("len").to_numpy().astype(np.int64)
    names = runs.struct.field("value")
    ends = np.cumsum(lengths)
    step = np.diff(hours)
    step[ends[:-1] - 1] = 1  # zone boundaries are not steps
    if names.n_unique() != len(names) or (len(step) and step.min() < 1):
        return None
    return names, lengths, hours[ends - lengths], hours[ends - 1], np.repeat(np.arange(len(names)), lengths)


def _layout_any(frame: pl.DataFrame):
    """Any row order: zones by their categorical codes, no sort."""
    zone = frame["zone_id"].cast(pl.Categorical)
    distinct = zone.unique()
    order = np.full(int(distinct.to_physical().max()) + 1 if len(distinct) else 0, -1, dtype=np.int64)
    order[distinct.to_physical().to_numpy()] = np.arange(len(distinct))
    which = order[zone.to_physical().to_numpy()]
    hours = frame["hour"].to_numpy()
    per_zone = pl.DataFrame({"z": which, "h": hours}).group_by("z").agg(lo=pl.col("h").min(), hi=pl.col("h").max())
    first, last = np.zeros(len(distinct), dtype=np.int64), np.zeros(len(distinct), dtype=np.int64)
    first[per_zone["z"].to_numpy()] = per_zone["lo"].to_numpy()
    last[per_zone["z"].to_numpy()] = per_zone["hi"].to_numpy()
    return distinct.cast(pl.String), None, first, last, which


def build_index(hourly: pl.DataFrame) -> IntensityIndex:
    """hourly: zone_id, hour_start (naive UTC datetime on the hour), gco2e_per_kwh (read to 6 decimals, the
    warehouse's precision). One row per zone-hour.
    Rows grouped by zone in rising hours are laid out with a run-length pass, others by categorical
    codes; either way a few vector passes, no sort and no join."""
    frame = hourly.select(pl.col("zone_id").cast(pl.String),
                          (pl.col("hour_start").dt.epoch("us") // US_PER_HOUR).alias("hour"),
                          pl.col("gco2e_per_kwh").cast(pl.Float64))
    names, _, first_hour, last_hour, which = _layout_grouped(frame) or _layout_any(frame)
    n_hours = last_hour - first_hour + 1
    offsets = np.cumsum(n_hours + 1) - (n_hours + 1)
    total = int((n_hours + 1).sum())
    idx = offsets[which] - first_hour[which] + frame["hour"].to_numpy()
    counts = np.bincount(idx, minlength=total)
    if total and counts.max() > 1:
        row = frame.row(int(np.flatnonzero(counts[idx] > 1)[0]), named=True)
        raise ValueError(f"{int((counts > 1).sum())} zone-hours have several values (first: {row['zone_id']} hour "
                         f"{row['hour']}); give one intensity per zone and hour (one basis, the preferred value)")
    micro = np.zeros(total, dtype=np.int64)
    missing = np.ones(total, dtype=np.int64)
    known = frame["gco2e_per_kwh"].to_numpy()
    ok = ~np.isnan(known)
    micro[idx[ok]] = np.rint(known[ok] * MICRO).astype(np.int64)
    missing[idx[ok]] = 0
    # per-zone running sums from one global pass: each zone's sums restart at its offset (the
    # sentinel after a zone holds 0 and is never summed into the next zone's values); integers, so
    # subtracting the offset's sum is exact
    running = np.concatenate(([0], np.cumsum(micro)[:-1])) if total else micro
    cumulative = running - np.repeat(running[offsets], n_hours + 1)
    values = micro / MICRO
    gaps = np.concatenate(([0], np.cumsum(missing)[:-1])) if total else missing
    missing_before = gaps - np.repeat(gaps[offsets], n_hours + 1)
    zones = pl.DataFrame({"zone_id": names, "first_hour": first_hour, "n_hours": n_hours, "offset": offsets},
                         schema={"zone_id": pl.String, "first_hour": pl.Int64, "n_hours": pl.Int64,
                                 "offset": pl.Int64})
    return IntensityIndex(zones, values, cumulative, missing, missing_before,
                          complete=bool(total) and int(missing.sum()) == zones.height)


def _hours(frame: pl.DataFrame, column: str) -> np.ndarray:
    return frame[column].dt.epoch("us").to_numpy() / US_PER_HOUR


def _locate(jobs: pl.DataFrame, index: IntensityIndex) -> tuple[np.ndarray, ...]:
    """Per job: its zone's first hour, hour count and offset (first hour -1 where the zone has none)."""
    placed = jobs.select(pl.col("zone_id").cast(pl.String)).join(
        index.zones, on="zone_id", how="left", maintain_order="left")
    return (placed["first_hour"].fill_null(-1).to_numpy(), placed["n_hours"].fill_null(0).to_numpy(),
            placed["offset"].fill_null(0).to_numpy(), placed["first_hour"].is_not_null().to_numpy())


def window_integral(index: IntensityIndex, first, n, offset, known, start_h, end_h):
    """Integral of intensity over [start_h, end_h) (g/kWh x h) and whether every hour had a value."""
    if not len(index.values):  # no hours at all (a zone-day of jobs whose zone has none): all annual
        return np.zeros(len(start_h)), np.zeros(len(start_h), dtype=bool)
    rel_s, rel_e = start_h - first, end_h - first
    k_s, k_e = np.floor(rel_s), np.floor(rel_e)
    inside = known & (k_s >= 0) & (k_e <= n) & (rel_e >= rel_s)
    i_s = (offset + np.clip(k_s, 0, n)).astype(np.int64)
    i_e = (offset + np.clip(k_e, 0, n)).astype(np.int64)
    f_s, f_e = rel_s - k_s, rel_e - k_e
    # whole hours from the exact integer sums, then the partial first and last hours
    whole = (index.cumulative[i_e] - index.cumulative[i_s]) / MICRO
    integral = whole + f_e * index.values[i_e] - f_s * index.values[i_s]
    if index.complete:  # no gaps: only running past a zone's last hour (into its sentinel) falls back
        return integral, inside & ((k_e < n) | (f_e == 0))
    gaps = index.missing_before[i_e] + np.where(f_e > 0, index.missing[i_e], 0) - index.missing_before[i_s]
    return integral, inside & (gaps == 0)


def _annual_for(jobs: pl.DataFrame, annual: pl.DataFrame) -> pl.Series:
    """The zone's annual intensity for the job's start year (else the nearest earlier, else later)."""
    keyed = jobs.select(pl.col("zone_id").cast(pl.String), pl.col("start").dt.year().cast(pl.Int64).alias("year"),
                        pl.int_range(pl.len()).alias("_row"))
    table = annual.select(pl.col("zone_id").cast(pl.String), pl.col("year").cast(pl.Int64),
                          pl.col("gco2e_per_kwh").cast(pl.Float64)).sort("year")
    keyed = keyed.sort("year", maintain_order=True)
    found = keyed.join_asof(table, on="year", by="zone_id", strategy="backward", check_sortedness=False)
    later = keyed.join_asof(table, on="year", by="zone_id", strategy="forward", check_sortedness=False)
    values = found.select("_row", pl.col("gco2e_per_kwh").fill_null(later["gco2e_per_kwh"]))
    return values.sort("_row")["gco2e_per_kwh"]


def attribute_jobs(jobs: pl.DataFrame, index: IntensityIndex, annual: pl.DataFrame) -> pl.DataFrame:
    """jobs: zone_id, start, end (naive UTC), power_kw (facility power, constant over the job), plus any
    columns to keep. Adds hours, energy_kwh, intensity_g_per_kwh (the job's mean), kgco2e, intensity_basis."""
    first, n, offset, known = _locate(jobs, index)
    start_h, end_h = _hours(jobs, "start"), _hours(jobs, "end")
    integral, hourly = window_integral(index, first, n, offset, known, start_h, end_h)
    duration = end_h - start_h
    hourly &= duration > 0
    mean = np.divide(integral, duration, out=np.full(len(duration), np.nan), where=hourly)
    if not hourly.all():  # the annual fallback, read only for the jobs that need it
        need = np.flatnonzero(~hourly)
        mean[need] = _annual_for(jobs[need], annual).to_numpy()
    power = jobs["power_kw"].to_numpy()
    return jobs.with_columns(
        hours=pl.Series(duration),
        energy_kwh=pl.Series(power * duration),
        intensity_g_per_kwh=pl.Series(mean).fill_nan(None),
        kgco2e=pl.Series(power * duration * mean / 1000).fill_nan(None),
        intensity_basis=pl.when(pl.Series(hourly)).then(pl.lit("hourly"))
        .otherwise(pl.lit("annual (no hourly data for every hour)")),
    )


def hourly_energy(samples: pl.DataFrame, by: tuple[str, ...]) -> pl.DataFrame:
    """Energy per group and UTC hour. The groups' categorical codes and the hour are packed into one
    integer key (mixed radix), which polars aggregates several times faster than a multi-column key,
    and decoded afterwards; energy is summed as whole millijoules, exactly, so a rebuild gives
    identical totals."""
    frame = samples.lazy().with_columns(pl.col(c).cast(pl.Categorical) for c in by).with_columns(
        _hour=pl.col("timestamp").dt.epoch("us") // US_PER_HOUR,
        **{f"_code_{c}": pl.col(c).to_physical().cast(pl.Int64) for c in by})
    bounds = frame.select([pl.col(f"_code_{c}").max().alias(c) for c in by]
                          + [pl.col("_hour").min().alias("lo"), pl.col("_hour").max().alias("hi")]).collect()
    empty = {**{c: pl.String for c in by}, "hour_start": pl.Datetime("us"), "energy_kwh": pl.Float64,
             "samples": pl.UInt32}
    if bounds["lo"][0] is None:
        return pl.DataFrame(schema=empty)
    lo, span = bounds["lo"][0], bounds["hi"][0] - bounds["lo"][0] + 1
    sizes = [bounds[c][0] + 1 for c in by]
    if span * int(np.prod(sizes, dtype=np.float64)) >= 2 ** 62:
        raise ValueError("too many groups x hours to pack into one key; aggregate fewer columns at once")
    key, radix = pl.col("_hour") - lo, span
    for column, size in zip(reversed(by), reversed(sizes), strict=True):
        key = key + pl.col(f"_code_{column}") * radix
        radix *= size
    energy = (pl.col("power_w") * pl.col("interval_s") * 1000).round().cast(pl.Int64).sum() / 3.6e9
    out = (frame.group_by(key.alias("_key")).agg(energy.alias("energy_kwh"), pl.len().alias("samples"))
           .sort("_key").collect(engine="streaming"))
    rest = pl.col("_key") // span
    decoded = out.with_columns(hour_start=((pl.col("_key") % span + lo) * US_PER_HOUR).cast(pl.Datetime("us")))
    for column, size in zip(reversed(by), reversed(sizes), strict=True):
        decoded = decoded.with_columns((rest % size).alias(f"_code_{column}"))
        rest = rest // size
    for column in by:
        names = frame.select(pl.col(column).unique()).with_columns(
            pl.col(column).to_physical().cast(pl.Int64).alias(f"_code_{column}")).collect()
        decoded = decoded.join(names.with_columns(pl.col(column).cast(pl.String)), on=f"_code_{column}",
                               maintain_order="left")
    return decoded.select(*by, "hour_start", "energy_kwh", "samples")


def attribute_samples(samples: pl.DataFrame, index: IntensityIndex, annual: pl.DataFrame,
                      by: tuple[str, ...] = ("zone_id",)) -> pl.DataFrame:
    """samples: zone_id, timestamp (naive UTC), power_w, interval_s (the time each sample stands for),
    plus the grouping columns. Energy per hour and group, priced at that hour's intensity (else annual)."""
    return price_hours(hourly_energy(samples, by), index, annual)


def price_hours(hourly: pl.DataFrame, index: IntensityIndex, annual: pl.DataFrame) -> pl.DataFrame:
    """hourly: zone_id, hour_start (naive UTC, on the hour), energy_kwh (as hourly_energy gives it, or
    summed per partition beforehand). Each row priced at its hour's intensity, else the annual value."""
    first, n, offset, known = _locate(hourly, index)
    rel = _hours(hourly, "hour_start") - first
    has = known & (rel >= 0) & (rel < n)
    at = np.where(has, offset + rel, 0).astype(np.int64)
    if len(index.values):
        has &= index.missing[at] == 0
    ci = np.where(has, index.values[at] if len(index.values) else 0.0, np.nan)
    if not has.all():  # the annual fallback, read only for the hours that need it
        need = np.flatnonzero(~has)
        ci[need] = _annual_for(hourly[need].rename({"hour_start": "start"}), annual).to_numpy()
    # in numpy: polars' division rounds differently by column length (see best_starts)
    kgco2e = hourly["energy_kwh"].to_numpy() * ci / 1000
    return hourly.with_columns(
        intensity_g_per_kwh=pl.Series(ci).fill_nan(None),
        intensity_basis=pl.when(pl.Series(has)).then(pl.lit("hourly"))
        .otherwise(pl.lit("annual (no hourly data for this hour)")),
        kgco2e=pl.Series(kgco2e).fill_nan(None),
    )


def best_starts(jobs: pl.DataFrame, index: IntensityIndex, flexibilities: list[int]) -> pl.DataFrame:
    """For each job (job_key, zone_id, start, end, power_kw) and each flexibility F in hours: the start
    among start + 0..F hours with the least carbon where the zone has every hour, and the saving.
    Jobs whose own hours are not all covered get no row (their annual price cannot move)."""
    first, n, offset, known = _locate(jobs, index)
    start_h, end_h = _hours(jobs, "start"), _hours(jobs, "end")
    power = jobs["power_kw"].to_numpy()
    base, ok = window_integral(index, first, n, offset, known, start_h, end_h)
    best, best_k = np.where(ok, base, np.inf), np.zeros(len(base), dtype=np.int64)
    frames = []
    wanted = sorted(set(flexibilities))
    for k in range(0, (wanted[-1] if wanted else 0) + 1):
        if k:
            value, covered = window_integral(index, first, n, offset, known, start_h + k, end_h + k)
            better = covered & (value < best)
            best = np.where(better, value, best)
            best_k = np.where(better, k, best_k)
        if k in wanted:
            frames.append(pl.DataFrame({
                "job_key": jobs["job_key"], "flexibility_h": np.full(len(base), k, dtype=np.int64),
                "delay_h": best_k.copy(), "original_kgco2e": power * base / 1000,
                "best_kgco2e": power * best / 1000, "_ok": ok}))
    if not frames:
        return pl.DataFrame()
    out = pl.concat(frames).filter(pl.col("_ok")).drop("_ok")
    starts = jobs.select("job_key", "start")
    out = (out.join(starts, on="job_key", how="left")
           .with_columns(best_start=pl.col("start") + pl.duration(hours=pl.col("delay_h")),
                         saving_kgco2e=pl.col("original_kgco2e") - pl.col("best_kgco2e"))
           .drop("start"))
    # divided in numpy, row by row: polars' column division rounds differently by column length,
    # and a job replayed in a small batch (a refresh, a Spark task) must get the bits it gets among many
    saving, original = out["saving_kgco2e"].to_numpy(), out["original_kgco2e"].to_numpy()
    return out.with_columns(saving_share=pl.Series(
        np.divide(saving, original, out=np.zeros(len(saving)), where=original > 0)))


def split_by_day(jobs: pl.DataFrame) -> pl.DataFrame:
    """One row per job and UTC day it ran in, start and end clipped to the day (adds `day`), so daily
    totals are exact for jobs that cross midnight. A zero-length job keeps one row."""
    last = pl.max_horizontal(pl.col("start"), pl.col("end") - pl.duration(microseconds=1))
    return (jobs.with_columns(day=pl.datetime_ranges(pl.col("start").dt.truncate("1d"), last.dt.truncate("1d"),
                                                     interval="1d"))
            .explode("day")
            .with_columns(start=pl.max_horizontal(pl.col("start"), pl.col("day")),
                          end=pl.min_horizontal(pl.col("end"), pl.col("day") + pl.duration(days=1)))
            .with_columns(pl.col("day").dt.date()))


def annual_by_zone(annual: pl.DataFrame, zones: pl.DataFrame) -> pl.DataFrame:
    """Annual intensity per zone and year: the zone's own, else its country's (zones: zone_id,
    country_zone_id), so a sub-national zone without annual data still has a fallback."""
    own = annual.select("zone_id", "year", "gco2e_per_kwh")
    inherited = (zones.select("zone_id", "country_zone_id")
                 .join(own.rename({"zone_id": "country_zone_id"}), on="country_zone_id")
                 .select("zone_id", "year", "gco2e_per_kwh")
                 .join(own, on=["zone_id", "year"], how="anti"))
    return pl.concat([own, inherited]).sort("zone_id", "year")
