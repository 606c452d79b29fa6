"""ENTSO-E A75 client against real recorded XML documents over a local HTTP server."""

import datetime as dt

import pytest

from ingestion.http import FeedHTTP
from ingestion.sources.grid.feeds import entsoe

TOKEN = "entsoe-secret-token"
SE4 = "10Y1001A1001A47J"


@pytest.fixture
def xml(shared_reference):
    return lambda name: (shared_reference / "entsoe/electricitymaps-contrib-mocks" / name).read_bytes()


def fetch(httpserver, tmp_path, reference, factors, areas, day):
    http = FeedHTTP("entsoe", retries=1, backoff_s=0.01, timeout_s=5)
    return entsoe.fetch_day(http, day, areas=areas, token=TOKEN, landing_dir=tmp_path, load_id="t",
                            reference=reference, factors=factors, base_url=httpserver.url_for("/api"))


def test_a75_compressed_curve_is_forward_filled_hour_by_hour(httpserver, tmp_path, reference, factors, xml):
    day = dt.date(2025, 10, 21)
    httpserver.expect_request("/api", query_string={
        "securityToken": TOKEN, "documentType": "A75", "processType": "A16", "in_Domain": SE4,
        "periodStart": "202510210000", "periodEnd": "202510220000"}).respond_with_data(xml("SE-SE4_production.xml"))
    obs, mix, rejected = fetch(httpserver, tmp_path, reference, factors, [SE4], day).frames(day)
    life = obs.filter(obs["basis"] == "lifecycle")
    assert set(life["zone_id"]) == {"SE-SE4"} and life.height == 24  # every hour, gaps filled
    assert set(life["kind"]) == {"computed_from_mix"} and set(life["resolution_minutes"]) == {60}
    gas = mix.filter(mix["fuel"] == "B04").sort("period_start")
    assert gas.height == 24  # A03 positions left out upstream are present after forward-fill
    assert rejected.height == 0
    assert list((tmp_path / "entsoe" / "2025-10-21").glob("A75_*.xml"))


def test_fifteen_minute_data_keeps_its_native_resolution(httpserver, tmp_path, reference, factors, xml):
    body = xml("FI_production.xml")
    import re
    start = re.search(rb"<start>(\d{4}-\d\d-\d\d)T", body).group(1).decode()
    day = dt.date.fromisoformat(start) + dt.timedelta(days=1)
    httpserver.expect_request("/api").respond_with_data(body)
    obs, _, _ = fetch(httpserver, tmp_path, reference, factors, ["10YFI-1--------U"], day).frames(day)
    assert set(obs["resolution_minutes"]) == {15} and set(obs["zone_id"]) == {"FI"}
    assert obs.filter(obs["basis"] == "lifecycle").height <= 96


def test_no_data_acknowledgement_is_an_empty_answer(httpserver, tmp_path, reference, factors):
    ack = (b'<?xml version="1.0" encoding="utf-8"?><Acknowledgement_MarketDocument '
           b'xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0"><mRID>x</mRID>'
           b'<Reason><code>999</code><text>No matching data found</text></Reason></Acknowledgement_MarketDocument>')
    httpserver.expect_request("/api").respond_with_data(ack, status=400)
    obs, mix, _ = fetch(httpserver, tmp_path, reference, factors, [SE4], dt.date(2025, 10, 21)).frames(
        dt.date(2025, 10, 21))
    assert obs.height == mix.height == 0


def test_truncated_xml_fails_naming_the_kept_payload_and_hides_the_token(httpserver, tmp_path, reference, factors, xml):
    httpserver.expect_request("/api").respond_with_data(xml("SE-SE4_production.xml")[:3000])
    with pytest.raises(entsoe.FeedParseError, match="does not parse") as error:
        fetch(httpserver, tmp_path, reference, factors, [SE4], dt.date(2025, 10, 21))
    assert TOKEN not in str(error.value) and "securityToken=%2A%2A%2A" in str(error.value)
    assert "kept at" in str(error.value)


def test_an_unknown_area_is_quarantined(httpserver, tmp_path, reference, factors, xml):
    body = xml("SE-SE4_production.xml").replace(SE4.encode(), b"10YXX-UNKNOWN--0")
    httpserver.expect_request("/api").respond_with_data(body)
    _, _, rejected = fetch(httpserver, tmp_path, reference, factors, [SE4], dt.date(2025, 10, 21)).frames(
        dt.date(2025, 10, 21))
    assert set(rejected["value"]) == {"10YXX-UNKNOWN--0"} and "unknown ENTSO-E area" in rejected["reason"][0]
