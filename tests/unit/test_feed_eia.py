"""EIA-930 client against real recorded API v2 responses over a local HTTP server."""

import datetime as dt
import json

import pytest
from werkzeug import Response

from ingestion.http import FeedError

from ingestion.sources.grid.feeds import eia
from ingestion.sources.grid.mix_intensity import add_computed_intensity, intensity_from_mix
from ingestion.sources.grid.observations import FeedBatch

KEY = "eia-secret-key-987"
ROUTE = "/v2/electricity/rto/fuel-type-data/data/"


@pytest.fixture
def mocks(shared_reference):
    folder = shared_reference / "eia/electricitymaps-contrib-mocks"
    return lambda name: json.loads((folder / name).read_bytes())


def fetch(httpserver, tmp_path, reference, factors, respondents, page_size=5000, day=dt.date(2022, 10, 31)):
    from ingestion.http import FeedHTTP

    http = FeedHTTP("eia", retries=1, backoff_s=0.01, timeout_s=5)
    return eia.fetch_day(http, day, respondents=respondents, api_key=KEY, landing_dir=tmp_path, load_id="t",
                         reference=reference, factors=factors, base_url=httpserver.url_for("/v2"),
                         page_size=page_size)


def test_hour_ending_periods_become_half_open_utc_hours():
    assert eia.hour_ending("2022-10-31T11") == (dt.datetime(2022, 10, 31, 10), dt.datetime(2022, 10, 31, 11))


def test_intensity_from_mix_is_the_generation_weighted_factor(factors):
    # 300 MWh gas + 100 MWh wind: (300*490 + 100*11) / 400 = 370.25 lifecycle; (300*370) / 400 = 277.5 direct
    mix = {"gas": 300.0, "wind": 100.0, "storage": 50.0}
    assert intensity_from_mix(mix, factors, "lifecycle") == pytest.approx(370.25)
    assert intensity_from_mix(mix, factors, "direct") == pytest.approx(277.5)
    assert intensity_from_mix({"hydro": -5.0}, factors, "lifecycle") is None  # net consumption only


def test_a_recorded_page_with_a_null_value_and_a_short_total(httpserver, tmp_path, reference, factors, mocks):
    # The recording says total=3 but serves 2 rows, one of them null: page until a short page.
    asked = []

    def pages(request):
        asked.append(dict(request.args))
        empty = {"response": {"total": "3", "data": []}}
        page = mocks("US-NW-PGE-with-nulls.json") if request.args["offset"] == "0" else empty
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request(ROUTE).respond_with_handler(pages)
    obs, mix, rejected = fetch(httpserver, tmp_path, reference, factors, ["PGE"], page_size=2).frames(
        dt.date(2022, 10, 31))
    assert set(obs["zone_id"]) == {"US-NW-PGE"} and set(obs["kind"]) == {"computed_from_mix"}
    gas_only = obs.filter(obs["basis"] == "lifecycle")["gco2e_per_kwh"].to_list()
    assert gas_only == [pytest.approx(490)]  # the one known all-gas hour takes the gas factor
    assert mix["generation_mwh"].null_count() == 1  # the null stays unknown, not zero
    assert rejected.height == 0
    assert [a["offset"] for a in asked] == ["0", "2"]
    assert asked[0] | {"api_key": "k"} == {"api_key": "k", "frequency": "hourly", "data[0]": "value",
                                           "facets[respondent][]": "PGE", "start": "2022-10-31T01",
                                           "end": "2022-11-01T00", "sort[0][column]": "period",
                                           "sort[0][direction]": "asc", "length": "2", "offset": "0"}


def test_the_api_key_never_lands_on_disk_or_in_errors(httpserver, tmp_path, reference, factors, mocks):
    page = mocks("US_NW_PACW-gas.json")
    page["request"] = {"params": {"api_key": KEY}}
    httpserver.expect_request(ROUTE).respond_with_json(page)
    fetch(httpserver, tmp_path, reference, factors, ["PACW"])
    for path in tmp_path.rglob("*.json"):
        assert KEY.encode() not in path.read_bytes()
    httpserver.clear()
    httpserver.expect_request(ROUTE).respond_with_json({"error": "invalid api_key"}, status=403)
    with pytest.raises(FeedError) as error:
        fetch(httpserver, tmp_path, reference, factors, ["PACW"])
    assert KEY not in str(error.value) and "api_key=%2A%2A%2A" in str(error.value)


def test_unknown_fuel_codes_and_respondents_are_quarantined(httpserver, tmp_path, reference, factors, mocks):
    httpserver.expect_request(ROUTE).respond_with_json(mocks("US_NW_AVRN-wind.json"))  # fueltype "WIN"
    _, _, rejected = fetch(httpserver, tmp_path, reference, factors, ["AVRN"]).frames(dt.date(2022, 10, 31))
    assert set(rejected["field"]) == {"fueltype"} and set(rejected["value"]) == {"WIN"}
    httpserver.clear()
    battery = mocks("US_CAL_IID-battery_storage.json")  # respondent "EIA": not a balancing authority
    httpserver.expect_request(ROUTE).respond_with_json(battery)
    _, _, rejected = fetch(httpserver, tmp_path, reference, factors, ["IID"], day=dt.date(2024, 2, 27)).frames(
        dt.date(2024, 2, 27))
    assert rejected.row(0, named=True)["value"] == "EIA" and "unknown EIA balancing authority" in rejected["reason"][0]


def test_empty_data_gives_no_rows(httpserver, tmp_path, reference, factors, mocks):
    httpserver.expect_request(ROUTE).respond_with_json(mocks("US_CAR_SC-nuclear.json"))
    obs, mix, _ = fetch(httpserver, tmp_path, reference, factors, ["SC"]).frames(dt.date(2022, 10, 31))
    assert obs.height == mix.height == 0


def test_a_batch_mixes_fuels_into_one_hourly_intensity(reference, factors, tmp_path):
    payload = {"response": {"total": 2, "data": [
        {"period": "2022-10-31T11", "respondent": "BPAT", "fueltype": "WAT", "value": 300},
        {"period": "2022-10-31T11", "respondent": "BPAT", "fueltype": "NG", "value": 100}]}}
    batch = FeedBatch("eia")
    rows = eia.parse_fuel_rows(payload, url="u", landed=tmp_path, reference=reference,
                               retrieved_at=dt.datetime(2022, 11, 1), load_id="t", batch=batch)
    add_computed_intensity(rows, factors, feed="eia", source="s", licence="l", retrieved_at=dt.datetime(2022, 11, 1),
                           load_id="t", batch=batch)
    life = [o for o in batch.observations if o["basis"] == "lifecycle"]
    assert len(life) == 1 and life[0]["gco2e_per_kwh"] == pytest.approx((300 * 24 + 100 * 490) / 400)
    assert sorted(m["share_pct"] for m in batch.mix) == [25.0, 75.0]
