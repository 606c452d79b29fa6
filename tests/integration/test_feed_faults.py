"""Live feeds failing on a real network (a refused port, a server that never answers) in a real
Dagster instance: the error names the true cause, no credential reaches DAGSTER_HOME (event log,
compute logs, run storage), landing or the warehouse, and the writer pool is free while a feed waits."""

import socket
import threading
import time

import dagster as dg
import pytest
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.feed_assets import fetch_feed_day, grid_feed_day, write_feed_day
from dagster_project.defs.grid.feed_resource import GridFeeds
from dagster_project.lib.pools import WRITER_POOL

pytestmark = pytest.mark.integration

SECRETS = {"ELECTRICITY_MAPS_TOKEN": "em-fault-5d1e-secret", "EIA_API_KEY": "eia-fault-90c3-secret",
           "ENTSOE_TOKEN": "entsoe-fault-2b7a-secret"}
FEEDS = ("uk_neso", "electricity_maps", "eia", "entsoe")


@pytest.fixture
def tokens(monkeypatch):
    for variable, value in SECRETS.items():
        monkeypatch.setenv(variable, value)


@pytest.fixture
def refused_url():
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_url():
    """A local port that accepts connections (the kernel's backlog) but never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def feeds_at(url: str, **limits) -> GridFeeds:
    return GridFeeds(uk_neso_base_url=url, electricity_maps_base_url=url, eia_base_url=url, entsoe_base_url=url,
                     backoff_s=0.01, **limits)


def materialize_feed(warehouse_env, instance, feed: str, grid_feeds: GridFeeds) -> dg.ExecuteInProcessResult:
    warehouse_env["warehouse"].parent.mkdir(parents=True, exist_ok=True)
    return dg.materialize(
        [grid_feed_day], instance=instance, raise_on_error=False,
        partition_key=dg.MultiPartitionKey({"date": "2024-03-18", "feed": feed}),
        resources={"duckdb": DuckDBResource(database=str(warehouse_env["warehouse"])), "grid_feeds": grid_feeds})


def failure_messages(result) -> str:
    """Every failed step's error with its whole chain of causes, as the event log stores it."""
    texts = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.step_failure_data.error
            while error is not None:
                texts.append(error.to_string())
                error = error.cause or error.context
    return "\n".join(texts)


def test_a_refused_feed_says_refused_and_no_token_reaches_dagster_home_landing_or_warehouse(
        warehouse_env, tokens, refused_url):
    with dg.DagsterInstance.get() as instance:  # the real instance of warehouse_env's DAGSTER_HOME
        for feed in FEEDS:
            result = materialize_feed(warehouse_env, instance, feed, feeds_at(refused_url))
            assert not result.success, feed
            message = failure_messages(result)
            assert f"{feed}: GET http://127.0.0.1" in message and "failed (no connection)" in message, message
            assert "refused" in message and "What to do" in message, message
    written = [p for folder in ("dagster_home", "landing", "warehouse") if warehouse_env[folder].exists()
               for p in (warehouse_env[folder].rglob("*") if warehouse_env[folder].is_dir()
                         else [warehouse_env[folder]]) if p.is_file()]
    assert any("storage" in p.parts or p.suffix == ".db" for p in written)  # the event log is there to grep
    for secret in SECRETS.values():
        leaks = [str(p) for p in written if secret.encode() in p.read_bytes()]
        assert not leaks, f"{secret} written to {leaks}"


def test_a_silent_feed_fails_fast_naming_the_timeout_and_never_holds_the_writer_pool(
        warehouse_env, tokens, silent_url):
    held = []
    with dg.DagsterInstance.get() as instance:
        done = threading.Event()

        def watch():  # while the feed waits for an answer, the writer pool must stay free
            while not done.is_set():
                held.extend(instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots)
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.monotonic()
        try:
            result = materialize_feed(warehouse_env, instance, "uk_neso",
                                      feeds_at(silent_url, timeout_s=0.5, connect_timeout_s=0.5))
        finally:
            done.set()
            watcher.join()
        elapsed = time.monotonic() - started
    assert not result.success
    message = failure_messages(result)
    assert "failed (timeout)" in message and "did not answer within the read timeout, 2 attempts" in message, message
    assert elapsed < 10, elapsed  # two 0.5 s attempts and a backoff, not 5 x 30 s
    assert held == []
    failed_steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"}
    assert failed_steps == {"grid_feed_day.fetch_feed_day"}


def test_only_the_write_of_a_feed_day_takes_the_writer_pool():
    assert fetch_feed_day.pool is None and write_feed_day.pool == WRITER_POOL


def test_run_config_zones_keep_the_environment_tokens(httpserver, warehouse_env, monkeypatch, shared_reference):
    """The README's run config (zones for a feed) must not drop the credentials set in the environment."""
    from dagster_project.definitions import defs

    monkeypatch.setenv("ELECTRICITY_MAPS_TOKEN", SECRETS["ELECTRICITY_MAPS_TOKEN"])
    body = (shared_reference / "electricity-maps/api-v3-fixtures/if-electricitymaps/past-range-response.json"
            ).read_bytes()
    httpserver.expect_request("/v3/carbon-intensity/past-range",
                              headers={"auth-token": SECRETS["ELECTRICITY_MAPS_TOKEN"]}
                              ).respond_with_data(body, content_type="application/json")
    warehouse_env["warehouse"].parent.mkdir(parents=True, exist_ok=True)
    job = defs().resolve_job_def("refresh_grid_feeds")
    config = {"resources": {"grid_feeds": {"config": {"electricity_maps_zones": ["DK-DK2"], "retries": 1,
                                                      "electricity_maps_base_url": httpserver.url_for("/v3")}}}}
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(run_config=config, instance=instance, raise_on_error=False,
                                        partition_key=dg.MultiPartitionKey({"date": "2024-03-18",
                                                                            "feed": "electricity_maps"}))
        logs = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert result.success
    assert not [m for m in logs if "is not set" in m]
    rows = next(e for e in result.get_asset_materialization_events()
                if e.asset_key == dg.AssetKey(["raw", "grid_intensity_observations"])).materialization.metadata
    assert rows["dagster/row_count"].value > 0
