"""Electricity Maps client against real recorded v3 responses served over a local HTTP server."""

import datetime as dt
import json

import pytest

from ingestion.http import FeedError, FeedHTTP
from ingestion.sources.grid.feeds import electricity_maps as em
from ingestion.sources.grid.observations import FeedBatch

TOKEN = "secret-token-value-123"
KNOWN = {"DE", "DK-DK2", "US-CAR-DUK"}.__contains__


@pytest.fixture
def fixtures(shared_reference):
    folder = shared_reference / "electricity-maps/api-v3-fixtures"
    return {
        "past_range": json.loads((folder / "if-electricitymaps/past-range-response.json").read_bytes()),
        "history": json.loads((folder / "aioelectricitymaps/carbon_intensity_history.json").read_bytes()),
        "latest": json.loads((folder / "aioelectricitymaps/latest_carbon_intensity.json").read_bytes()),
    }


def with_basis(payload: dict, basis: str) -> dict:
    items = payload.get("data") or payload.get("history")
    key = "data" if "data" in payload else "history"
    return {**payload, key: [{**p, "emissionFactorType": basis} for p in items]}


def fetch(httpserver, tmp_path, day, zones, today):
    http = FeedHTTP("electricity_maps", retries=1, backoff_s=0.01, timeout_s=5)
    return em.fetch_day(http, day, zones=zones, token=TOKEN, landing_dir=tmp_path, load_id="t",
                        known_zone=KNOWN, base_url=httpserver.url_for("/v3"), today=today)


def test_past_range_for_both_bases_with_the_token_in_a_header(httpserver, tmp_path, fixtures):
    day = dt.date(2024, 3, 18)
    for basis in ("lifecycle", "direct"):
        httpserver.expect_request(
            "/v3/carbon-intensity/past-range", headers={"auth-token": TOKEN},
            query_string={"zone": "DK-DK2", "start": "2024-03-18T00:00Z", "end": "2024-03-19T00:00Z",
                          "emissionFactorType": basis},
        ).respond_with_json(with_basis(fixtures["past_range"], basis))
    obs, _, _ = fetch(httpserver, tmp_path, day, ["DK-DK2"], today=dt.date(2026, 1, 1)).frames(day)
    assert obs.height == 4 and set(obs["basis"]) == {"lifecycle", "direct"}
    first = obs.filter(obs["basis"] == "lifecycle").row(0, named=True)
    assert (first["period_start"], first["period_end"], first["gco2e_per_kwh"], first["kind"]) == (
        dt.datetime(2024, 3, 18, 2), dt.datetime(2024, 3, 18, 3), 161.0, "actual")
    for path in tmp_path.rglob("*"):
        assert TOKEN not in path.name and (path.is_dir() or TOKEN.encode() not in path.read_bytes())


def test_history_keeps_estimates_labelled_with_their_method_and_only_the_day(httpserver, tmp_path, fixtures):
    history = fixtures["history"]  # the recording's last two hours are estimates
    for basis in ("lifecycle", "direct"):
        httpserver.expect_request("/v3/carbon-intensity/history",
                                  query_string={"zone": "DE", "emissionFactorType": basis}
                                  ).respond_with_json(with_basis(history, basis))
    day = dt.date(2024, 3, 6)
    obs, _, _ = fetch(httpserver, tmp_path, day, ["DE"], today=day).frames(day)
    lifecycle = obs.filter(obs["basis"] == "lifecycle")
    assert lifecycle.height == 20  # 00:00..19:00 of the 6th; the 5th's four hours belong to the day before
    kinds = dict(zip(lifecycle["period_start"].dt.hour(), lifecycle["kind"], strict=True))
    assert [h for h, k in kinds.items() if k == "estimated"] == [18, 19]
    last = lifecycle.sort("period_start").row(-1, named=True)
    assert (last["estimation_method"], last["gco2e_per_kwh"]) == ("TIME_SLICER_AVERAGE", 689.0)
    assert lifecycle.filter(lifecycle["kind"] == "actual")["estimation_method"].null_count() == 18


def test_the_latest_endpoint_shape_parses_as_one_estimated_point(fixtures, tmp_path):
    batch = FeedBatch("electricity_maps")
    em.parse_intensity(fixtures["latest"], zone="US-CAR-DUK", url="u", landed=tmp_path, load_id="t",
                       retrieved_at=dt.datetime(2024, 3, 6, 20), batch=batch, known_zone=KNOWN)
    (row,) = batch.observations
    assert (row["zone_id"], row["kind"], row["estimation_method"]) == ("US-CAR-DUK", "estimated", "TIME_SLICER_AVERAGE")


def test_a_rejected_token_names_the_fix_and_never_the_token(httpserver, tmp_path):
    httpserver.expect_request("/v3/carbon-intensity/past-range").respond_with_json(
        {"error": "Invalid auth-token"}, status=401)
    with pytest.raises(FeedError) as error:
        fetch(httpserver, tmp_path, dt.date(2024, 3, 18), ["DE"], today=dt.date(2026, 1, 1))
    assert "(401)" in str(error.value) and "API token" in str(error.value)
    assert TOKEN not in str(error.value)


def test_an_unknown_zone_in_the_answer_is_quarantined(fixtures, tmp_path):
    batch = FeedBatch("electricity_maps")
    payload = {"zone": "XX-YY", "data": [{**fixtures["past_range"]["data"][0], "zone": "XX-YY"}]}
    em.parse_intensity(payload, zone="XX-YY", url="u", landed=tmp_path, load_id="t",
                       retrieved_at=dt.datetime(2024, 3, 18), batch=batch, known_zone=KNOWN)
    assert batch.observations == [] and batch.rejections[0].reason == "unknown zone"


def test_a_renamed_field_names_the_field(fixtures, tmp_path):
    payload = {"zone": "DK-DK2", "data": [{k if k != "carbonIntensity" else "intensity": v
                                           for k, v in fixtures["past_range"]["data"][0].items()}]}
    with pytest.raises(em.FeedParseError, match="has no field 'carbonIntensity'"):
        em.parse_intensity(payload, zone="DK-DK2", url="u", landed=tmp_path, load_id="t",
                           retrieved_at=dt.datetime(2024, 3, 18), batch=FeedBatch("x"), known_zone=KNOWN)


def em_forecast(updated: str, first: dt.datetime, values: list[float]) -> dict:
    """The documented shape of GET /v3/carbon-intensity/forecast (no recorded response is available:
    the endpoint needs a paid plan)."""
    return {"zone": "DE", "updatedAt": updated, "forecast": [
        {"carbonIntensity": v, "datetime": f"{first + dt.timedelta(hours=i):%Y-%m-%dT%H:%M:%S}.000Z"}
        for i, v in enumerate(values)]}


def test_with_forecasts_today_keeps_each_basis_forecast_as_issued_at_updated_at(httpserver, tmp_path):
    today = dt.date(2024, 3, 20)
    for basis in ("lifecycle", "direct"):
        httpserver.expect_request("/v3/carbon-intensity/history", query_string={
            "zone": "DE", "emissionFactorType": basis}).respond_with_json({"zone": "DE", "history": []})
        # the hour that had ended by 10:37 is not a forecast: quarantined
        body = em_forecast("2024-03-20T10:37:31.418Z", dt.datetime(2024, 3, 20, 9),
                           [300.0, 310.0, 320.0] if basis == "lifecycle" else [200.0, 210.0, 220.0])
        httpserver.expect_request("/v3/carbon-intensity/forecast", query_string={
            "zone": "DE", "emissionFactorType": basis}, headers={"auth-token": TOKEN}).respond_with_json(body)
    http = FeedHTTP("electricity_maps", retries=1, backoff_s=0.01, timeout_s=5)
    batch = em.fetch_day(http, today, zones=["DE"], token=TOKEN, landing_dir=tmp_path, load_id="t", known_zone=KNOWN,
                         base_url=httpserver.url_for("/v3"), today=today, forecasts=True)
    forecasts = batch.forecast_frame()
    assert forecasts.height == 4 and set(forecasts["issued_at_basis"]) == {"published"}
    assert set(forecasts["issued_at"]) == {dt.datetime(2024, 3, 20, 10, 37, 31, 418000)}
    lifecycle = forecasts.filter(forecasts["basis"] == "lifecycle").sort("period_start")
    assert lifecycle["period_start"].to_list() == [dt.datetime(2024, 3, 20, 10), dt.datetime(2024, 3, 20, 11)]
    assert lifecycle["gco2e_per_kwh"].to_list() == [310.0, 320.0]  # 10:00 was under way: still ahead in part
    rejected = batch.frames(today)[2]
    assert rejected.height == 2 and set(rejected["field"]) == {"period_end"}


def test_without_forecasts_no_forecast_is_asked_for(httpserver, tmp_path):
    today = dt.date(2024, 3, 20)
    httpserver.expect_request("/v3/carbon-intensity/history").respond_with_json({"zone": "DE", "history": []})
    http = FeedHTTP("electricity_maps", retries=1, backoff_s=0.01, timeout_s=5)
    batch = em.fetch_day(http, today, zones=["DE"], token=TOKEN, landing_dir=tmp_path, load_id="t", known_zone=KNOWN,
                         base_url=httpserver.url_for("/v3"), today=today)
    assert batch.forecast_frame().height == 0
    assert all("forecast" not in request.path for request, _ in httpserver.log)
