"""GPU energy from Prometheus samples (ingestion/core/telemetry.py) and the range-query client's paging
and errors (ingestion/sources/telemetry/prometheus.py), by hand."""

import datetime as dt
import json

import polars as pl
import pytest
from werkzeug import Response

from ingestion.core.telemetry import GAP_CAP, counter_intervals, energy_j, power_intervals
from ingestion.http import FeedError, FeedHTTP
from ingestion.sources.telemetry.prometheus import PrometheusClient, parse_matrix, windows

T0 = dt.datetime(2025, 3, 1, 12)


def samples(series: str, values: list[float | None], step_s: int = 15) -> pl.DataFrame:
    """A series on a query_range grid; None is a missing point (a gap in scraping)."""
    rows = [{"series": series, "ts": T0 + dt.timedelta(seconds=step_s * i), "value": v}
            for i, v in enumerate(values) if v is not None]
    return pl.DataFrame(rows, schema={"series": pl.String, "ts": pl.Datetime("us"), "value": pl.Float64})


def test_a_counter_reset_counts_the_energy_after_it_by_hand():
    # DCGM's counter in mJ every 15 s: +3,000 J, +3,000 J, then the exporter restarts (reads 1,500 J), +3,000 J
    counter = samples("gpu0", [10_000_000, 13_000_000, 16_000_000, 1_500_000, 4_500_000])
    intervals = counter_intervals(counter, 15, joules_per_unit=0.001)
    assert intervals["is_reset"].to_list() == [False, False, True, False]
    assert energy_j(intervals) == pytest.approx(3000 + 3000 + 1500 + 3000)
    assert intervals["power_w"].to_list()[:2] == [200.0, 200.0]  # 3,000 J over 15 s


def test_power_is_integrated_over_the_step_and_a_gap_in_scraping_is_not_billed():
    power = power_intervals(samples("gpu0", [300, 300, None, None, None, None, None, None, 100]), 15)
    assert energy_j(power) == 300 * 15 * 2 + 100 * 15  # the six missing points cost nothing
    # the counter bridges a short gap (the device kept counting) but not one longer than GAP_CAP steps
    short = counter_intervals(samples("gpu0", [0, 3000, None, 9000], 15), 15, 1.0)
    assert energy_j(short) == 9000
    long = counter_intervals(samples("gpu0", [0, 3000] + [None] * GAP_CAP + [90_000], 15), 15, 1.0)
    assert energy_j(long) == 3000


def test_counter_and_power_give_the_same_energy_on_a_consistent_series():
    watts = [250.0, 260.0, 240.0, 255.0, 245.0, 250.0]
    cumulative_mj = [0.0]
    for w in watts[:-1]:  # each power point stands for the step after it, as query_range evaluates
        cumulative_mj.append(cumulative_mj[-1] + w * 15 * 1000)
    by_counter = energy_j(counter_intervals(samples("g", cumulative_mj), 15, joules_per_unit=0.001))
    by_power = energy_j(power_intervals(samples("g", watts[:-1]), 15))
    assert by_counter == pytest.approx(by_power) == pytest.approx(sum(watts[:-1]) * 15)


def test_series_are_kept_apart():
    both = pl.concat([samples("a", [0, 1000, 2000]), samples("b", [5000, 5000, 6000])])
    intervals = counter_intervals(both, 15, 1.0)
    per_series = intervals.group_by("series").agg(j=(pl.col("power_w") * pl.col("interval_s")).sum()).sort("series")
    assert per_series["series"].to_list() == ["a", "b"] and per_series["j"].to_list() == pytest.approx([2000, 1000])


def test_a_range_is_asked_in_windows_that_share_no_timestamp():
    start = dt.datetime(2025, 3, 1)
    parts = list(windows(start, start + dt.timedelta(hours=1), step_s=60, max_points=25))
    assert parts[0] == (start, start + dt.timedelta(minutes=24))
    assert parts[1][0] == start + dt.timedelta(minutes=25)  # the next window starts one step later
    assert parts[-1][1] == start + dt.timedelta(minutes=59)  # the last point before the end
    assert sum(int((b - a).total_seconds() // 60) + 1 for a, b in parts) == 60  # every step once


def test_an_answer_with_status_error_names_prometheus_reason(tmp_path):
    payload = {"status": "error", "errorType": "timeout", "error": "query timed out in expression evaluation"}
    with pytest.raises(FeedError, match="timeout: query timed out") as raised:
        parse_matrix(payload, query="up", url="http://p/api/v1/query_range", landed=tmp_path / "x.json")
    assert "smaller window" in str(raised.value)


def test_the_client_pages_lands_and_parses_over_http(httpserver, tmp_path):
    def answer(request):
        start, end = float(request.args["start"]), float(request.args["end"])
        values = [[start + 60 * i, str(100.0 + i)] for i in range(int((end - start) // 60) + 1)]
        body = {"status": "success", "data": {"resultType": "matrix", "result": [
            {"metric": {"__name__": "DCGM_FI_DEV_POWER_USAGE", "gpu": "0", "pod": "vllm-0"}, "values": values}]}}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/api/v1/query_range").respond_with_handler(answer)
    client = PrometheusClient(FeedHTTP("prometheus", retries=1, backoff_s=0.01, timeout_s=5), httpserver.url_for(""),
                              max_points=30)
    start = dt.datetime(2025, 3, 1)
    answer_ = client.query_range("DCGM_FI_DEV_POWER_USAGE", start, start + dt.timedelta(hours=1), 60,
                                 landing_dir=tmp_path, day=start.date(), label="power")
    assert len(httpserver.log) == 2 and len(answer_.landed) == 2  # two windows, each answer landed
    assert answer_.samples.height == 60 and answer_.samples["ts"].is_unique().all()
    assert json.loads(answer_.samples["labels"][0]) == {"__name__": "DCGM_FI_DEV_POWER_USAGE", "gpu": "0",
                                                        "pod": "vllm-0"}


def on_gpus(rows: list[tuple]) -> pl.DataFrame:
    """(gpu_uuid, mig_profile, pod, power_w) at one timestamp, 15 s each."""
    return pl.DataFrame([{"gpu_uuid": u, "mig_profile": m, "pod": p, "timestamp": T0, "power_w": w,
                          "interval_s": 15.0} for u, m, p, w in rows])


def test_mig_instances_split_their_gpu_by_compute_slices_and_time_sliced_pods_equally():
    from ingestion.core.telemetry import shared_gpu_shares

    shared = shared_gpu_shares(on_gpus([
        ("GPU-a", None, "alone", 300.0),
        ("GPU-b", "3g.40gb", "big", 400.0), ("GPU-b", "1g.10gb", "small", 400.0),  # the GPU's reading, repeated
        ("GPU-c", None, "p1", 200.0), ("GPU-c", None, "p2", 200.0)]))
    by_pod = {r["pod"]: r for r in shared.to_dicts()}
    assert (by_pod["alone"]["power_w"], by_pod["alone"]["attribution"]) == (300.0, "whole GPU")
    assert by_pod["big"]["power_w"] == pytest.approx(300.0) and by_pod["small"]["power_w"] == pytest.approx(100.0)
    assert by_pod["big"]["attribution"] == "MIG instance 3g.40gb: 3 of the 4 compute slices in use"
    assert by_pod["p1"]["power_w"] == by_pod["p2"]["power_w"] == 100.0
    assert by_pod["p1"]["attribution"] == "GPU shared by 2 series: split equally"
    assert shared["power_w"].sum() == pytest.approx(300 + 400 + 200)  # each GPU's energy counted once


def test_a_source_yaml_is_validated_with_the_file_and_field_named(tmp_path):
    from ingestion.sources.telemetry.source import read_source

    fleet = tmp_path / "serving-eu"
    fleet.mkdir()
    (fleet / "source.yaml").write_text("url: http://prometheus:9090\nzone: DE\nstart_date: 2025-03-01\n"
                                       "selector: 'namespace=\"serving\"'\n")
    source = read_source(fleet)
    assert source.query("energy") == 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{namespace="serving"}'
    assert source.label_names.pod == "pod" and source.label_names.mig_profile == "GPU_I_PROFILE"
    (fleet / "source.yaml").write_text("url: http://p\nzone: DE\ncloud_region: aws/eu-central-1\n"
                                       "start_date: 2025-03-01\n")
    with pytest.raises(ValueError, match="(?s)source.yaml.*exactly one of zone"):
        read_source(fleet)
    (fleet / "source.yaml").write_text("url: http://p\nzone: DE\nstart_date: 2025-03-01\nstep: 30\n")
    with pytest.raises(ValueError, match="(?s)source.yaml.*step"):
        read_source(fleet)  # a misspelt field (step_s) is named, not ignored


def matrix_samples(metric: str, series: list[tuple[dict, list[float]]], step_s: int = 60) -> pl.DataFrame:
    """query_range samples as parse_matrix gives them: labels as JSON."""
    rows = []
    for labels, values in series:
        full = dict(sorted({"__name__": metric, **labels}.items()))
        for i, v in enumerate(values):
            rows.append({"query": metric, "series": ",".join(f"{k}={v}" for k, v in full.items()),
                         "labels": json.dumps(full, sort_keys=True), "ts": T0 + dt.timedelta(seconds=step_s * i),
                         "value": v})
    return pl.DataFrame(rows, schema={"query": pl.String, "series": pl.String, "labels": pl.String,
                                      "ts": pl.Datetime("us"), "value": pl.Float64})


def test_a_fleet_day_uses_the_counter_where_it_exists_power_elsewhere_and_flags_what_it_cannot_attribute():
    from ingestion.sources.telemetry.fleet import energy_hourly
    from ingestion.sources.telemetry.source import PrometheusSource

    source = PrometheusSource(name="fleet", url="http://p", zone="DE", start_date=dt.date(2025, 3, 1))
    a = {"UUID": "GPU-a", "Hostname": "n1", "modelName": "NVIDIA H100 80GB HBM3", "namespace": "serving",
         "pod": "vllm-0", "container": "vllm", "instance": "n1:9400"}
    b = {**a, "UUID": "GPU-b", "pod": "vllm-1"}
    orphan = {k: v for k, v in a.items() if k not in ("namespace", "pod")} | {"UUID": "GPU-c"}
    counter = matrix_samples("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", [
        (a, [0.0, 12e6, 24e6, 36e6]),  # 12 kJ a minute: 200 W
        ({**a, "instance": "n1-again:9400"}, [0.0, 12e6, 24e6, 36e6])])  # the same GPU scraped twice
    power = matrix_samples("DCGM_FI_DEV_POWER_USAGE", [(a, [200.0] * 3), (b, [100.0] * 3), (orphan, [50.0] * 3)])
    day = energy_hourly(counter, power, source, landed="x.json")
    rows = {r["pod"]: r for r in day.hourly.to_dicts()}
    assert rows["vllm-0"]["method"] == "counter" and rows["vllm-0"]["energy_kwh"] == pytest.approx(36_000 / 3.6e6)
    assert rows["vllm-1"]["method"] == "power x step" and rows["vllm-1"]["energy_kwh"] == pytest.approx(18_000 / 3.6e6)
    assert rows["(none)"]["attribution"] == "whole GPU; no pod or namespace label: kept under its host"
    assert rows["vllm-0"]["model"] == "NVIDIA H100 80GB HBM3" and rows["vllm-0"]["namespace"] == "serving"
    (duplicate,) = day.rejections
    assert "two scrape targets" in duplicate.reason and "n1-again" in duplicate.record_name


def test_a_fleet_day_gives_the_same_rows_in_the_same_order_whatever_order_the_samples_came_in():
    from ingestion.sources.telemetry.fleet import energy_hourly
    from ingestion.sources.telemetry.source import PrometheusSource

    source = PrometheusSource(name="fleet", url="http://p", zone="DE", start_date=dt.date(2025, 3, 1))
    series = [({"UUID": f"GPU-{g}", "Hostname": "n1", "namespace": "s", "pod": f"p{g % 3}"},
               [float(v * 1e6) for v in range(0, 120 * (g + 1), g + 1)]) for g in range(6)]
    counter = matrix_samples("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", series)
    power = matrix_samples("DCGM_FI_DEV_POWER_USAGE", [])
    runs = {tuple(energy_hourly(counter.sample(fraction=1.0, shuffle=True, seed=seed), power, source).hourly.rows())
            for seed in range(6)}
    assert len(runs) == 1  # a rebuild numbers the rows (source_row) as the first build did


def test_days_read_one_by_one_count_every_step_of_a_counter_once():
    """Each day's counter range takes the next day's first point (fleet.day_ranges): two days read as
    their partitions are read hold all the energy between the first and last points, none twice."""
    from ingestion.sources.telemetry.fleet import day_ranges, energy_hourly
    from ingestion.sources.telemetry.source import PrometheusSource

    source = PrometheusSource(name="fleet", url="http://p", zone="DE", start_date=dt.date(2025, 3, 1), step_s=60)
    minutes = 2 * 24 * 60 + 1  # 2025-03-01 12:00 to 2025-03-03 12:00: across two midnights
    counter = matrix_samples("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
                             [({"UUID": "GPU-a", "Hostname": "n1", "namespace": "s", "pod": "p"},
                               [i * 12e6 for i in range(minutes)])])  # 200 W
    power = matrix_samples("DCGM_FI_DEV_POWER_USAGE", [])
    total_kwh = 0.0
    for day in (dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 3)):
        start, end = day_ranges(source, day)["energy"]
        read = counter.filter(pl.col("ts").is_between(start, end, closed="left"))
        hourly = energy_hourly(read, power, source).hourly
        assert hourly.filter(pl.col("hour_start").dt.date() != day).is_empty()  # each day's hours are its own
        total_kwh += hourly["energy_kwh"].sum()
    assert total_kwh == pytest.approx(200 * 60 * (minutes - 1) / 3.6e6)
    assert day_ranges(source, dt.date(2025, 3, 1))["power"][1] == dt.datetime(2025, 3, 2)  # power: the day's points


def test_a_matrix_keeps_series_order_labels_and_finite_values_only(tmp_path):
    """Prometheus writes values as text, NaN and +Inf included (a stale gauge, a division by zero): those
    are not readings; the rest keep their series, labels and timestamps to the microsecond."""
    payload = {"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": {"pod": "b", "__name__": "m"}, "values": [[1740830400.123456, "1.5"], [1740830415, "NaN"],
                                                              [1740830430, "+Inf"], [1740830445, "-2e3"]]},
        {"metric": {"pod": "a"}, "values": []},
        {"metric": {"pod": "c"}, "values": [[1740830400, "7"]]}]}}
    frame = parse_matrix(payload, query="q", url="u", landed=tmp_path / "x.json")
    assert frame.rows() == [
        ("q", "__name__=m,pod=b", '{"__name__": "m", "pod": "b"}', dt.datetime(2025, 3, 1, 12, 0, 0, 123456), 1.5),
        ("q", "__name__=m,pod=b", '{"__name__": "m", "pod": "b"}', dt.datetime(2025, 3, 1, 12, 0, 45), -2000.0),
        ("q", "pod=c", '{"pod": "c"}', dt.datetime(2025, 3, 1, 12), 7.0)]
    empty = parse_matrix({"status": "success", "data": {"resultType": "matrix", "result": []}}, query="q", url="u",
                         landed=tmp_path / "x.json")
    assert empty.is_empty() and empty.schema == frame.schema
