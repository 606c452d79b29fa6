"""The WattTime asset, one UTC day partition, against a local HTTP server answering in WattTime v3's
documented shapes (payloads written here: no recorded file needed): forecasts survive a later refresh
and the actual, a region outside the plan is skipped and said, a failed refetch keeps the partition whole,
and no credential reaches the warehouse or the landing folder."""

import datetime as dt

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.marginal_assets import WattTimeFeed, grid_marginal_day
from tests.unit.test_feed_watttime import LB

pytestmark = pytest.mark.integration
USER, PASSWORD, TOKEN = "ops@example.org", "never-in-the-warehouse", "token-never-stored"
DAY = "2024-05-28"
META = {"region": "CAISO_NORTH", "signal_type": "co2_moer", "units": "lbs_co2_per_mwh",
        "data_point_period_seconds": 300, "model": {"date": "2023-03-01"}}


def points(start: dt.datetime, values: list[float]) -> list[dict]:
    return [{"point_time": f"{start + dt.timedelta(minutes=5 * i):%Y-%m-%dT%H:%M:%S}+00:00", "value": v}
            for i, v in enumerate(values)]


def issue(at: dt.datetime, values: list[float]) -> dict:
    return {"generated_at": f"{at:%Y-%m-%dT%H:%M:%S}+00:00", "forecast": points(at, values)}


def serve(httpserver, forecasts: list[dict], historical_status: int = 200, actual: bool = True):
    """CAISO_NORTH's day: the actual (1,000 lbs/MWh for an hour, then 800 for half an hour; none yet
    without `actual`) and `forecasts`; PJM_DC outside the plan."""
    httpserver.clear()
    httpserver.expect_request("/login").respond_with_json({"token": TOKEN})
    window = {"start": "2024-05-28T00:00Z", "end": "2024-05-29T00:00Z", "signal_type": "co2_moer"}
    measured = points(dt.datetime(2024, 5, 28), [1000.0] * 12 + [800.0] * 6) if actual else []
    httpserver.expect_request("/v3/historical", query_string={"region": "CAISO_NORTH", **window}).respond_with_json(
        {"data": measured, "meta": META}, status=historical_status)
    httpserver.expect_request("/v3/forecast/historical", query_string={"region": "CAISO_NORTH", **window}
                              ).respond_with_json({"data": forecasts, "meta": META})
    httpserver.expect_request("/v3/historical", query_string={"region": "PJM_DC", **window}).respond_with_json(
        {"error": "Invalid query parameters", "message": "Invalid scope. You do not have sufficient access to this "
                                                         "resource."}, status=403)


def run(httpserver, warehouse_env):
    warehouse_env["warehouse"].parent.mkdir(parents=True, exist_ok=True)
    feed = WattTimeFeed(base_url=httpserver.url_for(""), regions=["PJM_DC", "CAISO_NORTH"], retries=1,
                        backoff_s=0.01, timeout_s=5)
    return dg.materialize([grid_marginal_day], partition_key=DAY, raise_on_error=False, resources={
        "duckdb": DuckDBResource(database=str(warehouse_env["warehouse"])), "watttime_feed": feed})


def stored(warehouse_env) -> list[tuple]:
    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        return conn.execute("select region, kind, issued_at, period_start, points, round(gco2e_per_kwh, 6) "
                            "from raw.grid_marginal_observations order by all").fetchall()


def test_forecasts_are_kept_as_issued_across_refreshes_and_a_failed_refetch_keeps_the_day(
        httpserver, warehouse_env, monkeypatch):
    monkeypatch.setenv("WATTTIME_USERNAME", USER)
    monkeypatch.setenv("WATTTIME_PASSWORD", PASSWORD)
    midnight, one = dt.datetime(2024, 5, 28), dt.datetime(2024, 5, 28, 1)
    serve(httpserver, [issue(midnight, [900.0] * 24)])
    first = run(httpserver, warehouse_env)
    assert first.success
    (event,) = [e for e in first.get_asset_materialization_events()
                if e.asset_key == dg.AssetKey(["raw", "grid_marginal_observations"])]
    assert event.materialization.metadata["skipped_regions"].value == [
        "PJM_DC: Invalid scope. You do not have sufficient access to this resource."]
    actual = [("CAISO_NORTH", "actual", None, midnight, 12, round(1000 * LB, 6)),
              ("CAISO_NORTH", "actual", None, one, 6, round(800 * LB, 6))]  # a partial hour, 6 points
    from_midnight = [("CAISO_NORTH", "forecast", midnight, midnight, 12, round(900 * LB, 6)),
                     ("CAISO_NORTH", "forecast", midnight, one, 12, round(900 * LB, 6))]
    assert stored(warehouse_env) == sorted(actual + from_midnight, key=repr)

    # a later refresh returns a newer forecast only: the one issued at midnight stays, the actual once
    serve(httpserver, [issue(one, [700.0] * 12)])
    assert run(httpserver, warehouse_env).success
    from_one = [("CAISO_NORTH", "forecast", one, one, 12, round(700 * LB, 6))]
    assert stored(warehouse_env) == sorted(actual + from_midnight + from_one, key=repr)

    kept = stored(warehouse_env)
    serve(httpserver, [issue(one, [1.0] * 12)], historical_status=500)
    assert not run(httpserver, warehouse_env).success
    assert stored(warehouse_env) == kept  # nothing removed, nothing half-written

    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        text = str(conn.execute("select * from raw.grid_marginal_observations").fetchall())
    landed = [p.read_bytes() for p in (warehouse_env["landing"] / "watttime").rglob("*.json")]
    assert landed and not any(s in text or any(s.encode() in b for b in landed) for s in (PASSWORD, TOKEN))


def test_without_credentials_the_day_is_skipped_and_nothing_written(httpserver, warehouse_env, monkeypatch):
    monkeypatch.delenv("WATTTIME_USERNAME", raising=False)
    monkeypatch.delenv("WATTTIME_PASSWORD", raising=False)
    assert run(httpserver, warehouse_env).success
    assert not httpserver.log  # not even a login attempted
    with duckdb.connect(str(warehouse_env["warehouse"])) as conn:
        assert not conn.execute("select * from duckdb_tables() where table_name = 'grid_marginal_observations'"
                                ).fetchall()


def test_the_hourly_schedule_asks_for_yesterday_and_today_only_with_both_credentials(monkeypatch):
    from dagster_project.defs.grid.marginal_assets import hourly_marginal_refresh

    at = dt.datetime(2024, 5, 28, 10, 10, tzinfo=dt.UTC)
    monkeypatch.setenv("WATTTIME_USERNAME", USER)
    monkeypatch.delenv("WATTTIME_PASSWORD", raising=False)
    skipped = hourly_marginal_refresh(dg.build_schedule_context(scheduled_execution_time=at))
    assert isinstance(skipped, dg.SkipReason) and "WATTTIME_PASSWORD" in skipped.skip_message
    monkeypatch.setenv("WATTTIME_PASSWORD", PASSWORD)
    requests = hourly_marginal_refresh(dg.build_schedule_context(scheduled_execution_time=at))
    assert [r.partition_key for r in requests] == ["2024-05-27", "2024-05-28"]
