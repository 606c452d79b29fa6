"""Job and power-sample attribution on hand-computed cases, and against plain reference code."""

import datetime as dt
import math
import random

import polars as pl
import pytest

from ingestion.core.attribution import attribute_jobs, attribute_samples, best_starts, build_index

T0 = dt.datetime(2024, 3, 1)


def series(zone: str, values: list[float | None], first: dt.datetime = T0) -> pl.DataFrame:
    return pl.DataFrame({"zone_id": [zone] * len(values),
                         "hour_start": [first + dt.timedelta(hours=h) for h in range(len(values))],
                         "gco2e_per_kwh": values}, schema_overrides={"gco2e_per_kwh": pl.Float64})


ANNUAL = pl.DataFrame({"zone_id": ["Z", "A", "A"], "year": [2024, 2023, 2025], "gco2e_per_kwh": [222.0, 50.0, 70.0]})


def jobs(*spans, zone="Z", power_kw=2.0) -> pl.DataFrame:
    return pl.DataFrame({"job_key": [f"j{i}" for i in range(len(spans))], "zone_id": [zone] * len(spans),
                         "start": [s for s, _ in spans], "end": [e for _, e in spans],
                         "power_kw": [power_kw] * len(spans)})


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def test_partial_first_and_last_hours_are_weighted_exactly():
    index = build_index(series("Z", [100.0, 200.0, 300.0, 400.0]))
    out = attribute_jobs(jobs((at(0.5), at(3.5))), index, ANNUAL).row(0, named=True)
    # half of 100, all of 200 and 300, half of 400 = 750 g/kWh x h over 3 h at 2 kW
    assert out["intensity_g_per_kwh"] == pytest.approx(250.0)
    assert (out["energy_kwh"], out["kgco2e"]) == pytest.approx((6.0, 2.0 * 750 / 1000))
    assert out["intensity_basis"] == "hourly"


def test_a_job_crossing_midnight_reads_both_days():
    index = build_index(series("Z", [10.0, 20.0, 30.0, 40.0], first=dt.datetime(2024, 3, 1, 22)))
    out = attribute_jobs(jobs((dt.datetime(2024, 3, 1, 22, 45), dt.datetime(2024, 3, 2, 1, 15))), index, ANNUAL)
    assert out["kgco2e"][0] == pytest.approx(2.0 * (0.25 * 10 + 20 + 30 + 0.25 * 40) / 1000)


def test_a_zone_with_only_annual_data_or_a_gap_falls_back_to_annual_flagged():
    index = build_index(series("Z", [100.0, None, 300.0]))
    out = attribute_jobs(pl.concat([jobs((at(0), at(1))), jobs((at(0.5), at(1.5))), jobs((at(2), at(5))),
                                    jobs((at(0), at(2)), zone="A")]), index, ANNUAL)
    assert out["intensity_basis"].to_list() == ["hourly"] + ["annual (no hourly data for every hour)"] * 3
    assert out["intensity_g_per_kwh"].to_list() == [100.0, 222.0, 222.0, 50.0]  # A: 2024 -> latest before, 2023
    assert out["kgco2e"][3] == pytest.approx(2.0 * 2 * 50 / 1000)


def test_a_job_ending_exactly_at_the_last_hour_boundary_is_hourly():
    index = build_index(series("Z", [100.0, 200.0]))
    out = attribute_jobs(jobs((at(1), at(2)), (at(1), at(2.01))), index, ANNUAL)
    assert out["intensity_basis"].to_list() == ["hourly", "annual (no hourly data for every hour)"]


def plain_integral(values: list[float | None], start: float, end: float) -> float | None:
    """Reference: walk the hours one by one."""
    total, hour = 0.0, math.floor(start)
    while hour < end:
        overlap = min(hour + 1, end) - max(hour, start)
        if overlap > 0:
            if hour < 0 or hour >= len(values) or values[hour] is None:
                return None
            total += values[hour] * overlap
        hour += 1
    return total


def test_equal_totals_with_a_plain_reference_on_random_inputs():
    rng = random.Random(7)
    # on the warehouse's grid of 6 decimals, which the index sums exactly
    values = [round(rng.uniform(20, 600), 6) if rng.random() > 0.05 else None for _ in range(200)]
    spans = []
    for _ in range(400):
        s = rng.uniform(-5, 190)
        spans.append((s, s + rng.expovariate(1 / 6)))
    out = attribute_jobs(jobs(*[(at(s), at(e)) for s, e in spans]), build_index(series("Z", values)), ANNUAL)
    for (s, e), kg, basis in zip(spans, out["kgco2e"], out["intensity_basis"], strict=True):
        expected = plain_integral(values, s, e)
        if expected is None:
            assert basis.startswith("annual") and kg == pytest.approx(2.0 * (e - s) * 222.0 / 1000)
        else:
            assert basis == "hourly" and kg == pytest.approx(2.0 * expected / 1000, rel=1e-9, abs=1e-9)


def test_a_price_depends_on_the_hours_of_its_window_only_to_the_last_bit():
    """What lets a refresh price only the changed jobs, and a backend price partitions apart: the index
    of a few days, or one whose other hours changed, gives the same bits as the whole history."""
    rng = random.Random(3)
    values = [round(rng.uniform(20, 600), 6) for _ in range(24 * 400)]
    spans = [(s, s + rng.uniform(0.1, 30)) for s in (rng.uniform(24 * 300, 24 * 301) for _ in range(200))]
    frame = jobs(*[(at(s), at(e)) for s, e in spans])
    whole = attribute_jobs(frame, build_index(series("Z", values)), ANNUAL)
    days = series("Z", values).filter(pl.col("hour_start").is_between(at(24 * 299), at(24 * 303)))
    changed = [v * 1.7 if h < 24 * 299 else v for h, v in enumerate(values)]
    for index in (build_index(days), build_index(series("Z", [round(v, 6) for v in changed]))):
        part = attribute_jobs(frame, index, ANNUAL)
        assert part["kgco2e"].to_list() == whole["kgco2e"].to_list()
        assert best_starts(frame, index, [0, 6]).equals(best_starts(frame, build_index(series("Z", values)), [0, 6]))


def test_the_windowed_minimum_equals_brute_force_on_small_random_inputs():
    rng = random.Random(11)
    values = [round(rng.uniform(20, 600), 6) for _ in range(120)]
    spans = []
    for _ in range(150):
        s = rng.uniform(0, 100)
        spans.append((s, s + rng.uniform(0.1, 12)))
    frame = jobs(*[(at(s), at(e)) for s, e in spans])
    out = best_starts(frame, build_index(series("Z", values)), [0, 6, 24])
    assert out.height == 3 * len(spans)
    for row in out.iter_rows(named=True):
        s, e = spans[int(row["job_key"][1:])]
        candidates = [(plain_integral(values, s + k, e + k), k) for k in range(row["flexibility_h"] + 1)]
        best, delay = min((v, k) for v, k in candidates if v is not None)
        assert row["best_kgco2e"] == pytest.approx(2.0 * best / 1000, rel=1e-9)
        assert row["delay_h"] == delay
        assert 0 <= row["saving_kgco2e"] <= row["original_kgco2e"] + 1e-12
    assert (out.filter(pl.col("flexibility_h") == 0)["saving_kgco2e"] == 0).all()


def test_power_samples_go_to_the_hour_and_zone_they_fall_in():
    index = build_index(series("Z", [100.0, 200.0]))
    samples = pl.DataFrame({
        "zone_id": ["Z", "Z", "Z", "A"],
        "timestamp": [at(0.25), at(0.75), at(1.5), at(0.5)],
        "power_w": [300.0, 500.0, 400.0, 1000.0],
        "interval_s": [1800.0, 1800.0, 3600.0, 3600.0],
    })
    out = attribute_samples(samples, index, ANNUAL).sort("zone_id", "hour_start")
    rows = {(r["zone_id"], r["hour_start"]): r for r in out.iter_rows(named=True)}
    assert rows[("Z", at(0))]["energy_kwh"] == pytest.approx(0.4)  # 300 W and 500 W for half an hour each
    assert rows[("Z", at(0))]["kgco2e"] == pytest.approx(0.4 * 100 / 1000)
    assert rows[("Z", at(1))]["kgco2e"] == pytest.approx(0.4 * 200 / 1000)
    assert rows[("A", at(0))]["intensity_basis"].startswith("annual") and rows[("A", at(0))]["kgco2e"] == \
        pytest.approx(1.0 * 50 / 1000)


def test_split_by_day_gives_exact_daily_shares():
    from ingestion.core.attribution import split_by_day

    pieces = split_by_day(jobs((dt.datetime(2024, 3, 1, 22), dt.datetime(2024, 3, 3, 1)),
                               (dt.datetime(2024, 3, 1, 5), dt.datetime(2024, 3, 1, 5))))
    hours = pieces.with_columns(h=(pl.col("end") - pl.col("start")).dt.total_minutes() / 60)
    assert hours.select("job_key", "day", "h").rows() == [
        ("j0", dt.date(2024, 3, 1), 2.0), ("j0", dt.date(2024, 3, 2), 24.0), ("j0", dt.date(2024, 3, 3), 1.0),
        ("j1", dt.date(2024, 3, 1), 0.0)]


def test_jobs_without_any_hourly_series_fall_back_to_annual():
    out = attribute_jobs(jobs((at(1), at(2))), build_index(series("Z", [])), ANNUAL)
    assert out["intensity_basis"].to_list() == ["annual (no hourly data for every hour)"]
    assert best_starts(jobs((at(1), at(2))), build_index(series("Z", [])), [0, 6]).height == 0


def test_two_values_for_one_zone_hour_are_refused():
    with pytest.raises(ValueError, match="several values"):
        build_index(pl.concat([series("Z", [100.0]), series("Z", [120.0])]))


def test_packed_key_grouping_equals_a_plain_group_by():
    from ingestion.core.attribution import hourly_energy

    rng = random.Random(3)
    n = 5000
    samples = pl.DataFrame({
        "host": [rng.choice(["a", "b", "c"]) for _ in range(n)],
        "zone_id": pl.Series([rng.choice(["Z", "Y"]) for _ in range(n)]).cast(pl.Categorical),
        "timestamp": [T0 + dt.timedelta(seconds=rng.uniform(0, 86400 * 3)) for _ in range(n)],
        "power_w": [rng.uniform(50, 700) for _ in range(n)],
        "interval_s": [1.0] * n,
    })
    packed = hourly_energy(samples, ("host", "zone_id")).sort("host", "zone_id", "hour_start")
    plain = (samples.group_by(pl.col("host"), pl.col("zone_id").cast(pl.String),
                              pl.col("timestamp").dt.truncate("1h").alias("hour_start"))
             .agg(energy_kwh=(pl.col("power_w") * pl.col("interval_s")).sum() / 3.6e6, samples=pl.len())
             .sort("host", "zone_id", "hour_start"))
    assert packed.select("host", "zone_id", "hour_start", "samples").rows() == \
        plain.select("host", "zone_id", "hour_start", pl.col("samples").cast(pl.UInt32)).rows()
    assert packed["energy_kwh"].to_list() == pytest.approx(plain["energy_kwh"].to_list(), rel=1e-6)


def test_no_jobs_and_no_samples_give_empty_results_not_errors():
    index = build_index(series("Z", [100.0]))
    none = jobs().with_columns(pl.col("start").cast(pl.Datetime("us")), pl.col("end").cast(pl.Datetime("us")),
                               pl.col("power_kw").cast(pl.Float64), pl.col("zone_id").cast(pl.String),
                               pl.col("job_key").cast(pl.String))
    assert attribute_jobs(none, index, ANNUAL).height == 0
    assert best_starts(none, index, [0, 6]).height == 0
    samples = pl.DataFrame(schema={"zone_id": pl.String, "timestamp": pl.Datetime("us"), "power_w": pl.Float64,
                                   "interval_s": pl.Float64})
    assert attribute_samples(samples, index, ANNUAL).height == 0


def test_any_row_order_of_the_hourly_series_gives_the_same_prices():
    both = pl.concat([series("Z", [100.0, None, 300.0, 50.0]), series("A", [10.0, 20.0, 30.0])])
    spans = jobs((at(0.5), at(1)), (at(2.25), at(3.5)), (at(0), at(2.5)))
    grouped = attribute_jobs(spans, build_index(both), ANNUAL)
    shuffled = attribute_jobs(spans, build_index(both.sample(fraction=1.0, shuffle=True, seed=5)), ANNUAL)
    assert grouped.equals(shuffled)
    assert grouped["kgco2e"][1] == pytest.approx(2.0 * (0.75 * 300 + 0.5 * 50) / 1000)
