"""UK NESO client against real recorded responses (and crafted faults) over a local HTTP server."""

import datetime as dt
import json
import time

import pytest
from werkzeug import Response

from ingestion.http import FeedError, FeedHTTP
from ingestion.sources.grid.feeds import uk_neso
from ingestion.sources.grid.observations import FeedBatch

DAY = dt.date(2020, 1, 1)
NATIONAL = "/intensity/2020-01-01T00:30Z/2020-01-02T00:00Z"
REGIONAL = "/regional/intensity/2020-01-01T00:30Z/2020-01-02T00:00Z"


@pytest.fixture
def recorded(shared_reference):
    bodies = shared_reference / "uk-carbon-intensity/extracted-bodies"
    return {
        "national": (bodies / "intensity_2020_01_01T00_00Z_2020_01_02T23_59Z.json").read_bytes(),
        "regional": (bodies / "regional_intensity_2020_01_01T00_00Z_2020_01_02T23_59Z.json").read_bytes(),
        "region13": (bodies / "regional_intensity_2020_01_01T00_00Z_2020_01_02T23_59Z_regionid_13.json").read_bytes(),
    }


def fetch(httpserver, tmp_path, day=DAY, **http):
    client = FeedHTTP("uk_neso", **({"retries": 2, "backoff_s": 0.01, "timeout_s": 5} | http))
    return uk_neso.fetch_day(client, day, landing_dir=tmp_path, load_id="t", base_url=httpserver.url_for(""))


def serve(httpserver, national: bytes, regional: bytes):
    httpserver.expect_request(NATIONAL).respond_with_data(national, content_type="application/json")
    httpserver.expect_request(REGIONAL).respond_with_data(regional, content_type="application/json")


def test_a_recorded_day_gives_48_half_hours_national_and_regional(httpserver, tmp_path, recorded):
    serve(httpserver, recorded["national"], recorded["regional"])
    obs, mix, rejected = fetch(httpserver, tmp_path).frames(DAY)

    national = obs.filter(obs["zone_id"] == "GB")
    assert national.filter(national["kind"] == "actual").height == 48
    assert national.filter(national["kind"] == "forecast").height == 48
    # The API's first record starts 30 minutes early (2019-12-31T23:30): it belongs to the day before.
    assert national["period_start"].min() == dt.datetime(2020, 1, 1, 0, 0)
    assert national["period_end"].max() == dt.datetime(2020, 1, 2, 0, 0)
    assert set(national["resolution_minutes"]) == {30}
    first = national.filter(national["period_start"] == dt.datetime(2020, 1, 1, 0, 0))
    assert dict(zip(first["kind"], first["gco2e_per_kwh"], strict=True)) == {"actual": 182.0, "forecast": 178.0}

    regions = obs.filter(obs["zone_id"].str.starts_with("GB-NESO-"))
    assert regions["zone_id"].n_unique() == 17 and regions.height == 17 * 48
    assert set(regions["kind"]) == {"forecast"}  # regional data has no actuals; never labelled actual
    assert mix.filter((mix["zone_id"] == "GB-NESO-01")).height == 48 * 9
    assert rejected.height == 0
    assert len(list((tmp_path / "uk_neso" / "2020-01-01").glob("*.json"))) == 2  # raw payloads kept


def test_one_region_ranges_answer_with_an_object_not_a_list(recorded, tmp_path):
    batch = FeedBatch("uk_neso")
    uk_neso.parse_regional(json.loads(recorded["region13"]), url="u", landed=tmp_path / "x",
                           retrieved_at=dt.datetime(2021, 1, 1), load_id="t", batch=batch)
    obs, mix, _ = batch.frames(DAY)
    assert set(obs["zone_id"]) == {"GB-NESO-13"} and obs.height == 48
    assert mix.height > 0


def test_429_with_retry_after_is_waited_out_then_succeeds(httpserver, tmp_path, recorded):
    httpserver.expect_ordered_request(NATIONAL).respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "1"}))
    httpserver.expect_ordered_request(NATIONAL).respond_with_data(recorded["national"])
    httpserver.expect_ordered_request(REGIONAL).respond_with_data(recorded["regional"])
    started = time.monotonic()
    obs, _, _ = fetch(httpserver, tmp_path).frames(DAY)
    assert time.monotonic() - started >= 0.9  # it honoured Retry-After rather than hammering
    assert obs.height > 0


def test_a_500_then_success_recovers(httpserver, tmp_path, recorded):
    httpserver.expect_ordered_request(NATIONAL).respond_with_data('{"error":{"code":"500"}}', status=500)
    httpserver.expect_ordered_request(NATIONAL).respond_with_data(recorded["national"])
    httpserver.expect_ordered_request(REGIONAL).respond_with_data(recorded["regional"])
    obs, _, _ = fetch(httpserver, tmp_path).frames(DAY)
    assert obs.filter(obs["zone_id"] == "GB").height == 96


def test_a_server_that_keeps_failing_gives_a_message_with_feed_url_status_and_advice(httpserver, tmp_path):
    httpserver.expect_request(NATIONAL).respond_with_data('{"error":{"code":"500"}}', status=500)
    with pytest.raises(FeedError) as error:
        fetch(httpserver, tmp_path)
    message = str(error.value)
    assert message.startswith("uk_neso: GET http://") and NATIONAL in message
    assert "(500)" in message and "What to do:" in message


def test_a_timeout_is_retried_then_reported(httpserver, tmp_path):
    def slow(request):
        time.sleep(1.0)
        return Response("{}", status=200)

    httpserver.expect_request(NATIONAL).respond_with_handler(slow)
    with pytest.raises(FeedError, match=r"uk_neso: GET .* failed \(timeout\).*What to do"):
        fetch(httpserver, tmp_path, timeout_s=0.3, retries=1)


def test_a_truncated_body_fails_clearly_and_the_payload_is_kept(httpserver, tmp_path, recorded):
    serve(httpserver, recorded["national"][:5000], recorded["regional"])
    with pytest.raises(uk_neso.FeedParseError, match="not valid JSON .*truncated") as error:
        fetch(httpserver, tmp_path)
    kept = list((tmp_path / "uk_neso" / "2020-01-01").glob("intensity__*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == recorded["national"][:5000]
    assert str(kept[0]) in str(error.value)


def test_a_renamed_field_names_the_field(httpserver, tmp_path, recorded):
    renamed = recorded["national"].replace(b'"intensity"', b'"carbonIntensity"')
    serve(httpserver, renamed, recorded["regional"])
    with pytest.raises(uk_neso.FeedParseError, match="has no field 'intensity'"):
        fetch(httpserver, tmp_path)


def test_empty_data_gives_no_rows_rather_than_an_error(httpserver, tmp_path):
    serve(httpserver, b'{"data":[]}', b'{"data":[]}')
    obs, mix, rejected = fetch(httpserver, tmp_path).frames(DAY)
    assert obs.height == mix.height == rejected.height == 0


def half_hours(day: dt.date, count: int = 48, region: int | None = None) -> list[dict]:
    start = dt.datetime.combine(day, dt.time())
    out = []
    for i in range(count):
        a, b = start + dt.timedelta(minutes=30 * i), start + dt.timedelta(minutes=30 * (i + 1))
        rec = {"from": a.strftime("%Y-%m-%dT%H:%MZ"), "to": b.strftime("%Y-%m-%dT%H:%MZ")}
        if region is None:
            rec["intensity"] = {"forecast": 200 + i, "actual": 190 + i, "index": "moderate"}
        else:
            rec["regions"] = [{"regionid": region, "shortname": "X", "intensity": {"forecast": 100, "index": "low"},
                               "generationmix": [{"fuel": "wind", "perc": 100}]}]
        out.append(rec)
    return out


def test_duplicate_periods_are_kept_once(httpserver, tmp_path):
    records = half_hours(DAY)
    serve(httpserver, json.dumps({"data": records + records[:5]}).encode(), b'{"data":[]}')
    obs, _, _ = fetch(httpserver, tmp_path).frames(DAY)
    assert obs.filter(obs["kind"] == "actual").height == 48


def test_a_dst_change_day_still_has_48_utc_half_hours(httpserver, tmp_path):
    # Britain moved clocks forward on 2021-03-28; the API speaks UTC, so the day has 48 periods.
    day = dt.date(2021, 3, 28)
    national = "/intensity/2021-03-28T00:30Z/2021-03-29T00:00Z"
    httpserver.expect_request(national).respond_with_data(json.dumps({"data": half_hours(day)}))
    httpserver.expect_request("/regional/intensity/2021-03-28T00:30Z/2021-03-29T00:00Z").respond_with_data(
        json.dumps({"data": half_hours(day, region=13)}))
    obs, _, _ = fetch(httpserver, tmp_path, day=day).frames(day)
    actual = obs.filter((obs["kind"] == "actual"))
    assert actual.height == 48 and actual["period_start"].is_sorted()
    assert (actual["period_end"] - actual["period_start"]).dt.total_minutes().unique().to_list() == [30]


def test_an_unknown_region_is_quarantined_with_its_id(httpserver, tmp_path):
    serve(httpserver, b'{"data":[]}', json.dumps({"data": half_hours(DAY, count=2, region=99)}).encode())
    obs, _, rejected = fetch(httpserver, tmp_path).frames(DAY)
    assert obs.height == 0
    assert rejected.row(0, named=True)["value"] == "99" and "unknown NESO region" in rejected["reason"][0]


FORWARD_DAY = dt.date(2020, 5, 19)


def fetch_today(httpserver, tmp_path, now: dt.datetime):
    client = FeedHTTP("uk_neso", retries=1, backoff_s=0.01, timeout_s=5)
    return uk_neso.fetch_day(client, now.date(), landing_dir=tmp_path, load_id="t", base_url=httpserver.url_for(""),
                             clock=lambda: now)


def serve_forward(httpserver, national: bytes, regional: bytes, ahead: str = "2020-05-19T20:00Z"):
    day = "/2020-05-19T00:30Z/2020-05-20T00:00Z"
    for path in (f"/intensity{day}", f"/regional/intensity{day}"):
        httpserver.expect_request(path).respond_with_data(b'{"data":[]}', content_type="application/json")
    httpserver.expect_request(f"/intensity/{ahead}/fw48h").respond_with_data(national)
    httpserver.expect_request(f"/regional/intensity/{ahead}/fw48h").respond_with_data(regional)


def test_today_keeps_the_forward_forecasts_as_issued(httpserver, tmp_path, shared_reference):
    # needs ../shared: NESO's recorded 48-hour regional forecast for South England (postcode BH1)
    regional = (shared_reference / "uk-carbon-intensity/jscruz-carbonintensity/"
                "regional_intensity_fw48h_postcode_BH1_2020-05-19.json").read_bytes()
    national = [{**r, "intensity": {"forecast": 250 + i, "actual": None, "index": "moderate"}}
                for i, r in enumerate(half_hours(FORWARD_DAY, count=96)) if r["from"] >= "2020-05-19T20:00Z"]
    serve_forward(httpserver, json.dumps({"data": national}).encode(), regional)
    batch = fetch_today(httpserver, tmp_path, dt.datetime(2020, 5, 19, 19, 47))  # asks from the next half-hour
    forecasts = batch.forecast_frame()

    south = forecasts.filter(forecasts["zone_id"] == "GB-NESO-11")
    assert south.height == 48 and south["period_start"].min() == dt.datetime(2020, 5, 19, 20, 0)
    assert south.filter(south["period_start"] == dt.datetime(2020, 5, 19, 20, 0))["gco2e_per_kwh"].to_list() == [307.0]
    gb = forecasts.filter(forecasts["zone_id"] == "GB")
    assert gb.height == 56 and gb["period_end"].max() == dt.datetime(2020, 5, 21, 0, 0)  # not clipped to the day
    # NESO states no issue time: the forecast is known as of when it was fetched
    assert set(forecasts["issued_at_basis"]) == {"retrieved"}
    assert (forecasts["issued_at"] == forecasts["retrieved_at"]).all()
    assert batch.frames(FORWARD_DAY)[2].height == 0
    assert len(list((tmp_path / "uk_neso" / "2020-05-19").glob("forecast_*.json"))) == 2  # raw payloads kept


def test_a_forward_period_that_ended_before_the_fetch_is_quarantined_not_kept_as_a_forecast(httpserver, tmp_path):
    stale = half_hours(FORWARD_DAY, count=48)  # the whole day, answered at 19:47
    serve_forward(httpserver, json.dumps({"data": stale}).encode(), b'{"data":[]}')
    batch = fetch_today(httpserver, tmp_path, dt.datetime(2020, 5, 19, 19, 47))
    forecasts, rejected = batch.forecast_frame(), batch.frames(FORWARD_DAY)[2]
    assert forecasts["period_start"].min() == dt.datetime(2020, 5, 19, 19, 30)  # the half-hour under way
    assert forecasts.height == 9 and rejected.height == 39
    assert "period that had already ended" in rejected["reason"][0] and rejected["field"][0] == "period_end"


def test_a_day_other_than_today_fetches_no_forward_window(httpserver, tmp_path, recorded):
    serve(httpserver, recorded["national"], recorded["regional"])
    assert fetch(httpserver, tmp_path).forecast_frame().height == 0  # 2020-01-01: only the day's ranges


def test_a_repeated_forward_period_is_quarantined_and_the_first_value_kept(httpserver, tmp_path):
    ahead = [r for r in half_hours(FORWARD_DAY, count=48) if r["from"] >= "2020-05-19T20:00Z"]
    repeated = {**ahead[1], "intensity": {"forecast": 999, "actual": None}}
    serve_forward(httpserver, json.dumps({"data": [*ahead, repeated]}).encode(), b'{"data":[]}')
    batch = fetch_today(httpserver, tmp_path, dt.datetime(2020, 5, 19, 19, 47))
    forecasts, rejected = batch.forecast_frame(), batch.frames(FORWARD_DAY)[2]
    assert forecasts.height == len(ahead) and 999.0 not in forecasts["gco2e_per_kwh"].to_list()
    assert rejected.height == 1 and "a second value for the forecast" in rejected["reason"][0]
