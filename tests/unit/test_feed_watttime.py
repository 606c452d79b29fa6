"""WattTime v3 client against recorded responses served over a local HTTP server (needs ../shared:
the aiowatttime fixtures, MIT, WattTime's documented shapes, and a real 24-hour MOER forecast dump from
WattTime's python client): login, bearer token, a re-login when it expires, per-region skips, units."""

import csv
import datetime as dt
import json

import pytest
from werkzeug import Response

from ingestion.http import FeedError, FeedHTTP
from ingestion.sources.grid.feeds import watttime as wt

USER, PASSWORD, TOKEN = "analyst@example.org", "pass-word-never-logged", "jwt-token-value-abc"
LB = 0.45359237  # g/kWh per lb/MWh, by hand: 453.59237 g / 1,000 kWh
DAY = dt.date(2022, 7, 15)
WINDOW = {"start": "2022-07-15T00:00Z", "end": "2022-07-16T00:00Z", "signal_type": "co2_moer"}


@pytest.fixture
def recorded(shared_reference):
    folder = shared_reference / "watttime"
    fixtures = folder / "aiowatttime-fixtures"
    with open(folder / "watttime-python-client/moer_forecast_2024-05-28_5min.csv", newline="") as handle:
        dump = [(row["point_time"], float(row["value"])) for row in csv.DictReader(handle)]
    return {name: json.loads((fixtures / f"{name}.json").read_bytes()) for name in (
        "historical_emissions_response", "forecasted_emissions_response", "invalid_scope_response",
        "grid_region_response", "coordinates_not_found_response", "realtime_emissions_response")} | {"dump": dump}


def session(httpserver) -> wt.WattTimeSession:
    http = FeedHTTP("watttime", retries=2, backoff_s=0.01, timeout_s=5)
    return wt.WattTimeSession(http, USER, PASSWORD, base_url=httpserver.url_for(""))


def login(httpserver, token=TOKEN):
    basic = "Basic YW5hbHlzdEBleGFtcGxlLm9yZzpwYXNzLXdvcmQtbmV2ZXItbG9nZ2Vk"  # USER:PASSWORD, base64
    httpserver.expect_request("/login", headers={"Authorization": basic}).respond_with_json({"token": token})


def serve(httpserver, path, region, payload, query=WINDOW, token=TOKEN, status=200):
    httpserver.expect_request(path, headers={"Authorization": f"Bearer {token}"},
                              query_string={"region": region, **query}).respond_with_json(payload, status=status)


def test_a_day_gives_hourly_marginal_rates_from_the_actual_and_the_forecasts_as_issued(httpserver, tmp_path,
                                                                                       recorded):
    login(httpserver)
    serve(httpserver, "/v3/historical", "CAISO_NORTH", recorded["historical_emissions_response"])
    serve(httpserver, "/v3/forecast/historical", "CAISO_NORTH", recorded["forecasted_emissions_response"])
    rows, rejected = wt.fetch_day(session(httpserver), DAY, regions=["CAISO_NORTH"], landing_dir=tmp_path,
                                  load_id="t", today=dt.date(2026, 1, 1)).frames()
    assert rejected.is_empty()
    actual = rows.filter(rows["kind"] == "actual").row(0, named=True)
    # the recording's two 5-minute points, 870 and 860 lbs/MWh: one hour of two points, 865 x 0.45359237
    assert (actual["period_start"], actual["points"], actual["issued_at"]) == (dt.datetime(2022, 7, 15), 2, None)
    assert actual["gco2e_per_kwh"] == pytest.approx(865 * LB) and actual["model_date"] == "2023-03-01"
    forecast = rows.filter(rows["kind"] == "forecast").row(0, named=True)
    assert forecast["issued_at"] == dt.datetime(2022, 7, 15) and forecast["points"] == 3
    assert forecast["gco2e_per_kwh"] == pytest.approx(870 * LB) and rows.height == 2
    for path in tmp_path.rglob("*"):  # every payload landed; no credential in a name or a body
        assert not any(s in path.name for s in (TOKEN, PASSWORD))
        assert path.is_dir() or not any(s.encode() in path.read_bytes() for s in (TOKEN, PASSWORD))
    assert len([p for p in tmp_path.rglob("*.json")]) == 2


def test_the_real_forecast_dump_averages_twelve_points_an_hour_and_keeps_partial_hours(tmp_path, recorded):
    dump = recorded["dump"]  # 288 x 5 min from 2024-05-28T14:20Z, as the current /v3/forecast returns it
    payload = {"data": [{"point_time": t, "value": v} for t, v in dump],
               "meta": {"region": "CAISO_NORTH", "signal_type": "co2_moer", "units": "lbs_co2_per_mwh",
                        "generated_at": dump[0][0], "data_point_period_seconds": 300}}
    batch = wt.MarginalBatch()
    wt.parse_moer(payload, url="u", landed=tmp_path / "f.json", retrieved_at=dt.datetime(2024, 5, 28),
                  load_id="t", batch=batch, kind="forecast")
    rows, _ = batch.frames()
    assert rows.height == 25 and rows["points"].to_list() == [8] + [12] * 23 + [4]
    fifteen = [v for t, v in dump if t.startswith("2024-05-28T15:")]
    assert len(fifteen) == 12
    row = rows.filter(rows["period_start"] == dt.datetime(2024, 5, 28, 15)).row(0, named=True)
    assert row["gco2e_per_kwh"] == pytest.approx(sum(fifteen) / 12 * LB)
    assert set(rows["issued_at"]) == {dt.datetime(2024, 5, 28, 14, 20)}


def test_a_region_outside_the_plan_is_skipped_with_wattimes_reason_and_the_others_load(httpserver, tmp_path,
                                                                                        recorded):
    login(httpserver)
    serve(httpserver, "/v3/historical", "PJM_DC", recorded["invalid_scope_response"], status=403)
    serve(httpserver, "/v3/historical", "CAISO_NORTH", recorded["historical_emissions_response"])
    serve(httpserver, "/v3/forecast/historical", "CAISO_NORTH", recorded["forecasted_emissions_response"])
    batch = wt.fetch_day(session(httpserver), DAY, regions=["PJM_DC", "CAISO_NORTH"], landing_dir=tmp_path,
                         load_id="t", today=dt.date(2026, 1, 1))
    (skipped,) = batch.skipped
    assert skipped.startswith("PJM_DC: Invalid scope. You do not have sufficient access")
    assert set(batch.frames()[0]["region"]) == {"CAISO_NORTH"}


def test_an_expired_token_logs_in_again_once_then_fails_naming_the_variables(httpserver, recorded):
    tokens = iter(["first-token", "second-token", "third-token"])
    httpserver.expect_request("/login").respond_with_handler(lambda request: Response(
        json.dumps({"token": next(tokens)}), content_type="application/json"))
    serve(httpserver, "/v3/historical", "CAISO_NORTH", {"error": "expired"}, token="first-token", status=401)
    serve(httpserver, "/v3/historical", "CAISO_NORTH", recorded["historical_emissions_response"],
          token="second-token")
    client = session(httpserver)
    assert client.get("/v3/historical", {"region": "CAISO_NORTH", **WINDOW}).json()["meta"]["region"] == \
        "CAISO_NORTH"
    assert client.token == "second-token"  # one new login, the request made again with it
    httpserver.clear()
    httpserver.expect_request("/login").respond_with_json({"token": "fourth-token"})
    httpserver.expect_request("/v3/historical").respond_with_json({"error": "nope"}, status=401)
    with pytest.raises(FeedError, match=r"401.*WATTTIME_USERNAME and WATTTIME_PASSWORD") as error:
        client.get("/v3/historical", {"region": "CAISO_NORTH", **WINDOW})
    assert PASSWORD not in str(error.value) and "fourth-token" not in str(error.value)


def test_a_rate_limit_is_waited_out_as_retry_after_says(httpserver, recorded):
    login(httpserver)
    httpserver.expect_oneshot_request("/v3/historical").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "0"}))
    httpserver.expect_request("/v3/historical").respond_with_json(recorded["historical_emissions_response"])
    assert session(httpserver).get("/v3/historical", {"region": "CAISO_NORTH", **WINDOW}).status_code == 200


def test_a_payload_in_other_units_and_bad_forecast_points_are_quarantined_with_the_reason(tmp_path, recorded):
    batch = wt.MarginalBatch()
    index = recorded["realtime_emissions_response"]  # signal-index: a percentile, not an emission rate
    wt.parse_moer(index, url="u", landed=tmp_path / "i.json", retrieved_at=dt.datetime(2024, 6, 18), load_id="t",
                  batch=batch, kind="actual")
    forecasts = recorded["forecasted_emissions_response"]
    issue = forecasts["data"][0]
    late = {"generated_at": "2022-07-15T00:10:00+00:00", "forecast": issue["forecast"]}  # issued after two points
    crafted = {**forecasts, "data": [issue, dict(issue), late]}  # the first issue time twice
    wt.parse_moer(crafted, url="u", landed=tmp_path / "f.json", retrieved_at=dt.datetime(2022, 7, 15), load_id="t",
                  batch=batch, kind="forecast")
    rows, rejected = batch.frames()
    reasons = sorted((r["field"], r["reason"].split(":")[0].split(" (")[0]) for r in rejected.rows(named=True))
    assert reasons == [("generated_at", "a second forecast with the same issue time"),
                       ("meta.units", "MOER in 'percentile', not 'lbs_co2_per_mwh'"),
                       ("point_time", "a forecast point before its issue time"),
                       ("point_time", "a forecast point before its issue time")]
    late_rows = rows.filter(rows["issued_at"] == dt.datetime(2022, 7, 15, 0, 10))
    assert late_rows["points"].to_list() == [1]  # only the point at its issue time survives
    assert set(rows["region"]) == {"CAISO_NORTH"}  # nothing of the percentile payload


def test_region_from_loc_names_the_region_or_none_outside_coverage(httpserver, recorded):
    login(httpserver)
    httpserver.expect_request("/v3/region-from-loc", query_string={
        "latitude": "39.7", "longitude": "-105.0", "signal_type": "co2_moer"}).respond_with_json(
        recorded["grid_region_response"])
    httpserver.expect_request("/v3/region-from-loc", query_string={
        "latitude": "0.0", "longitude": "0.0", "signal_type": "co2_moer"}).respond_with_json(
        recorded["coordinates_not_found_response"], status=404)
    client = session(httpserver)
    assert wt.region_from_loc(client, 39.7, -105.0) == "PSCO"
    assert wt.region_from_loc(client, 0.0, 0.0) is None
