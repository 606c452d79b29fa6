"""The partitioned live-feed asset against a local HTTP server replaying recorded UK responses."""

import datetime as dt
import json
import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.feed_assets import grid_feed_day
from dagster_project.defs.grid.feed_resource import GridFeeds
from dagster_project.defs.grid.schedules import hourly_grid_refresh

pytestmark = pytest.mark.integration

PARTITION = dg.MultiPartitionKey({"date": "2020-01-01", "feed": "uk_neso"})
NATIONAL = "/intensity/2020-01-01T00:30Z/2020-01-02T00:00Z"
REGIONAL = "/regional/intensity/2020-01-01T00:30Z/2020-01-02T00:00Z"


@pytest.fixture
def bodies(shared_reference):
    folder = shared_reference / "uk-carbon-intensity/extracted-bodies"
    return (folder / "intensity_2020_01_01T00_00Z_2020_01_02T23_59Z.json").read_bytes(), \
        (folder / "regional_intensity_2020_01_01T00_00Z_2020_01_02T23_59Z.json").read_bytes()


def run(httpserver, warehouse_env, partition=PARTITION, instance=None):
    resources = {
        "duckdb": DuckDBResource(database=str(warehouse_env["warehouse"])),
        "grid_feeds": GridFeeds(uk_neso_base_url=httpserver.url_for(""), retries=1, backoff_s=0.01, timeout_s=5),
    }
    warehouse_env["warehouse"].parent.mkdir(parents=True, exist_ok=True)
    return dg.materialize([grid_feed_day], partition_key=partition, resources=resources, raise_on_error=False,
                          instance=instance)


def rows(warehouse_env) -> list[tuple]:
    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        return conn.execute("select zone_id, period_start, kind, gco2e_per_kwh from raw.grid_intensity_observations "
                            "order by all").fetchall()


def test_a_day_partition_loads_and_a_failed_refetch_keeps_it_whole(httpserver, warehouse_env, bodies):
    httpserver.expect_ordered_request(NATIONAL).respond_with_data(bodies[0])
    httpserver.expect_ordered_request(REGIONAL).respond_with_data(bodies[1])
    assert run(httpserver, warehouse_env).success
    loaded = rows(warehouse_env)
    assert len(loaded) == 96 + 17 * 48
    assert list((warehouse_env["landing"] / "uk_neso" / "2020-01-01").glob("*.json"))

    httpserver.clear()
    httpserver.expect_request(NATIONAL).respond_with_data(bodies[0])
    httpserver.expect_request(REGIONAL).respond_with_data('{"error":{"code":"500 Internal Server Error"}}', status=500)
    failed = run(httpserver, warehouse_env)
    assert not failed.success
    assert rows(warehouse_env) == loaded  # nothing removed, nothing half-written

    httpserver.clear()
    httpserver.expect_request(NATIONAL).respond_with_data('{"data":[]}')
    httpserver.expect_request(REGIONAL).respond_with_data('{"data":[]}')
    assert run(httpserver, warehouse_env).success
    assert rows(warehouse_env) == loaded  # an empty answer does not wipe a day


def test_a_feed_without_credentials_is_skipped_not_failed(httpserver, warehouse_env, monkeypatch):
    monkeypatch.delenv("ELECTRICITY_MAPS_TOKEN", raising=False)
    instance = dg.DagsterInstance.ephemeral()
    result = run(httpserver, warehouse_env, dg.MultiPartitionKey({"date": "2020-01-01", "feed": "electricity_maps"}),
                 instance=instance)
    assert result.success
    assert result.get_asset_materialization_events() == []
    logs = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert any("electricity_maps: skipped" in m and "ELECTRICITY_MAPS_TOKEN is not set" in m for m in logs)


def test_the_hourly_schedule_asks_for_today_and_yesterday_of_every_enabled_feed(monkeypatch):
    for variable in ("ELECTRICITY_MAPS_TOKEN", "EIA_API_KEY", "ENTSOE_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("EIA_API_KEY", "dummy-not-used")
    context = dg.build_schedule_context(scheduled_execution_time=dt.datetime(2026, 11, 29, 10, 5, tzinfo=dt.UTC))
    requests = hourly_grid_refresh(context)
    keys = sorted(str(r.partition_key) for r in requests)
    assert keys == ["2026-11-28|eia", "2026-11-28|uk_neso", "2026-11-29|eia", "2026-11-29|uk_neso"]


def test_a_token_from_the_environment_reaches_the_api_and_nothing_else(httpserver, warehouse_env, monkeypatch,
                                                                        shared_reference):
    token = "tok-3f9a-never-store-me"
    monkeypatch.setenv("ELECTRICITY_MAPS_TOKEN", token)
    body = (shared_reference / "electricity-maps/api-v3-fixtures/if-electricitymaps/past-range-response.json"
            ).read_bytes()
    httpserver.expect_request("/v3/carbon-intensity/past-range", headers={"auth-token": token}
                              ).respond_with_data(body, content_type="application/json")
    resources = {
        "duckdb": DuckDBResource(database=str(warehouse_env["warehouse"])),
        "grid_feeds": GridFeeds(retries=1, electricity_maps_base_url=httpserver.url_for("/v3"),
                                electricity_maps_zones=["DK-DK2"]),
    }
    warehouse_env["warehouse"].parent.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([grid_feed_day], instance=instance, resources=resources,
                            partition_key=dg.MultiPartitionKey({"date": "2024-03-18", "feed": "electricity_maps"}))
    assert result.success
    assert rows(warehouse_env)  # the recorded points loaded
    everything = [str(entry) for entry in instance.all_logs(result.run_id)]
    assert not [line for line in everything if token in line]
    assert token.encode() not in warehouse_env["warehouse"].read_bytes()
    assert not [p for p in warehouse_env["landing"].rglob("*") if p.is_file() and token.encode() in p.read_bytes()]


def test_every_feed_with_a_credential_setting_has_one_client_and_an_unknown_feed_is_skipped_not_failed():
    from dagster_project import settings
    from dagster_project.defs.grid.feed_resource import CLIENTS, FeedNotConfigured, GridFeeds

    assert set(CLIENTS) == set(settings.FEED_CREDENTIALS)
    with pytest.raises(FeedNotConfigured, match="no client"):
        GridFeeds().fetch_day("wattless", dt.date(2025, 1, 1), landing_dir=Path("."), load_id="t", grid_dir=Path("."))


def forward(start: dt.datetime, base: float, actual: bool = False) -> bytes:
    """A NESO forward window from `start`: 96 half-hours, forecast base + i (and the actual, if asked)."""
    records = []
    for i in range(96):
        a, b = start + dt.timedelta(minutes=30 * i), start + dt.timedelta(minutes=30 * (i + 1))
        records.append({"from": f"{a:%Y-%m-%dT%H:%MZ}", "to": f"{b:%Y-%m-%dT%H:%MZ}",
                        "intensity": {"forecast": base + i, "actual": base - 50 + i if actual else None}})
    return json.dumps({"data": records}).encode()


def test_forecasts_as_issued_survive_a_later_refresh_and_the_actual(httpserver, warehouse_env):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = dg.MultiPartitionKey({"date": now.date().isoformat(), "feed": "uk_neso"})
    current = now.replace(minute=now.minute - now.minute % 30, second=0, microsecond=0)  # the half-hour under way
    day = re.compile(r"^/(regional/)?intensity/\d{4}-\d\d-\d\dT00:30Z/\d{4}-\d\d-\d\dT00:00Z$")
    regional = re.compile(r"^/regional/intensity/.*/fw48h$")
    for base in (200.0, 260.0):  # two refreshes, each with its own forecast
        httpserver.clear()
        httpserver.expect_request(day).respond_with_data('{"data":[]}')
        httpserver.expect_request(regional).respond_with_data('{"data":[]}')
        httpserver.expect_request(re.compile(r"^/intensity/.*/fw48h$")).respond_with_data(forward(current, base))
        assert run(httpserver, warehouse_env, partition=today).success
    # then the actual of today's first hours arrives in the day's range; a later refresh with forecasts only
    httpserver.clear()
    httpserver.expect_request(re.compile(r"^/intensity/\d{4}-\d\d-\d\dT00:30Z/.*Z$")).respond_with_data(
        forward(dt.datetime.combine(now.date(), dt.time()) - dt.timedelta(minutes=30), 400.0, actual=True))
    httpserver.expect_request(regional).respond_with_data('{"data":[]}')
    httpserver.expect_request(day).respond_with_data('{"data":[]}')
    httpserver.expect_request(re.compile(r"^/intensity/.*/fw48h$")).respond_with_data('{"data":[]}')
    assert run(httpserver, warehouse_env, partition=today).success
    before = rows(warehouse_env)
    httpserver.clear()
    httpserver.expect_request(day).respond_with_data('{"data":[]}')
    httpserver.expect_request(regional).respond_with_data('{"data":[]}')
    httpserver.expect_request(re.compile(r"^/intensity/.*/fw48h$")).respond_with_data(forward(current, 300.0))
    assert run(httpserver, warehouse_env, partition=today).success

    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        issues = conn.execute("select issued_at, count(*), min(gco2e_per_kwh), any_value(issued_at_basis) "
                              "from raw.grid_intensity_forecasts where zone_id = 'GB' group by 1 order by 1").fetchall()
    assert [(n, low, basis) for _, n, low, basis in issues] == [(96, 200.0, "retrieved"), (96, 260.0, "retrieved"),
                                                                (96, 300.0, "retrieved")]
    assert issues[0][0] < issues[1][0] < issues[2][0]  # every vintage kept as issued
    assert any(kind == "actual" for _, _, kind, _ in before) and rows(warehouse_env) == before  # actuals untouched
