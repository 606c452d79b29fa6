"""The refresh jobs recompute only what changed, and what they leave equals a whole rebuild."""

import datetime as dt
import json
import shutil

import dagster as dg
import duckdb
import polars as pl
import pytest

from dagster_project import settings
from dagster_project.defs.logs.power_samples import LOG_CLUSTERS, POWER_PARTITIONS, SAMPLES, gpu_power_samples
from dagster_project.lib.warehouse import replace_partition
from ingestion.sources.grid.observations import OBSERVATION_SCHEMA
from tests.conftest import REPO
from tests.integration.conftest import from_bundled_build, tables
from tests.readme_examples import drift

pytestmark = pytest.mark.integration

# The tables the refreshes change; their rows after incremental refreshes must equal a full refresh's.
REFRESHED = ("marts.fct_grid_intensity_hourly", "intermediate.int_grid_intensity_hourly_for_pricing",
             "marts.fct_gpu_power_hourly", "marts.fct_job_footprint", "marts.fct_carbon_aware_savings")
LOG_MARTS = ("marts.fct_gpu_power_hourly", "marts.fct_job_footprint", "marts.fct_carbon_aware_savings",
             "marts.fct_job_footprint_daily")


def priced_after(warehouse, moment: dt.datetime) -> set[str]:
    """The jobs fct_job_footprint (re)priced after `moment`."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {k for (k,) in conn.execute("select job_key from marts.fct_job_footprint where loaded_at > ?",
                                           [moment]).fetchall()}


def run(job_name: str, run_config: dict | None = None, assets=None) -> dg.ExecuteInProcessResult:
    from dagster_project.definitions import defs

    job = defs().resolve_job_def(job_name)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, asset_selection=assets, **(
            {"run_config": run_config} if run_config else {}))
    assert result.success, [e.message for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    return result


def last_dbt_command() -> tuple[str, set[str]]:
    """The log and the kinds of node run of the latest dbt command (each has its own target folder)."""
    folder = max(settings.dbt_command_dir().glob("footprint_dbt_models-*"), key=lambda p: p.stat().st_mtime)
    results = json.loads((folder / "run_results.json").read_text())["results"]
    return (folder / "dbt.log").read_text(), {r["unique_id"].split(".")[0] for r in results}


def refreshed(result: dg.ExecuteInProcessResult) -> dict:
    """What job_logs' refresh of the power store did (the metadata of raw.gpu_power_hourly)."""
    return next(e for e in result.get_asset_materialization_events()
                if e.asset_key == dg.AssetKey(["raw", "gpu_power_hourly"])).materialization.metadata


def partitions_of(result: dg.ExecuteInProcessResult) -> list[str]:
    """The power-sample partitions a run reported materialized."""
    return sorted(str(e.materialization.partition) for e in result.get_asset_materialization_events()
                  if e.asset_key == SAMPLES)


def a_feed_hour(zone: str, hour: dt.datetime, value: float) -> pl.DataFrame:
    """One hour of a zone, as a live feed's write step loads it."""
    return pl.DataFrame([{
        "feed": "electricity_maps", "zone_id": zone, "period_start": hour, "period_end": hour + dt.timedelta(hours=1),
        "resolution_minutes": 60, "gco2e_per_kwh": value, "kind": "actual", "basis": "lifecycle",
        "estimation_method": None, "source": "test", "licence": "test", "retrieved_at": dt.datetime.now(),
        "load_id": "test"}], schema=OBSERVATION_SCHEMA)


def appended_minute(log) -> int:
    """The next minute of both GPUs of a uk-hpc log, as nvidia-smi appends it; the lines written."""
    with open(log, "a") as handle:
        for second in range(0, 60, 10):
            for gpu in (0, 1):
                handle.write(f"2020/01/01 12:00:{second:02d}.000, NVIDIA A100-SXM4-80GB, {gpu}, 350.00 W, 90 %\n")
    return 12


def test_incremental_refreshes_of_logs_and_feeds_equal_a_full_refresh(warehouse_env, bundled_build):
    """A new cluster folder becomes a Dagster partition of the power samples, and a removed one goes with its
    partitions; after the refreshes, the incremental marts equal a full refresh. Four job runs, each doing
    as much as it can at once: the run's one build of the bundled data is shared, and building is most of
    the time."""
    assert from_bundled_build(warehouse_env, bundled_build, instance=True).success
    with dg.DagsterInstance.get() as instance:
        assert sorted(instance.get_dynamic_partitions(LOG_CLUSTERS.name)) == ["nordic-ai", "uk-hpc"]
        built = set(instance.get_materialized_partitions(SAMPLES))
    assert "uk-hpc|2020-01-01" in built and any(p.startswith("nordic-ai|") for p in built)
    warehouse = warehouse_env["warehouse"]
    before = tables(warehouse)

    # 1. Logs: lines appended to a known log, and a new cluster folder (a copy of nordic-ai, headerless).
    appended = appended_minute(warehouse_env["reference"] / "logs" / "uk-hpc" / "nvidia-smi" / "gpu01.csv")
    logs = warehouse_env["reference"] / "logs"
    shutil.copytree(logs / "nordic-ai", logs / "nordic-ai-2")
    new_lines = sum(len(f.read_bytes().splitlines()) for f in (logs / "nordic-ai-2" / "nvidia-smi").glob("*.csv"))
    added = run("ingest_logs")
    assert refreshed(added)["read_lines"].value == appended + new_lines  # the new lines, once
    assert refreshed(added)["clusters_added"].value == ["nordic-ai-2"]
    days = [p.split("|")[1] for p in built if p.startswith("nordic-ai|")]
    # The partitions the new lines changed, and no other: nordic-ai's untouched.
    assert partitions_of(added) == sorted(["uk-hpc|2020-01-01", *(f"nordic-ai-2|{day}" for day in days)])
    dbt_log, kinds = last_dbt_command()
    assert "Unable to do partial parsing" not in dbt_log  # the build before left its parse state for this path
    assert "model" in kinds and "unit_test" not in kinds  # a refresh tests data, not SQL
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (copied_jobs,) = conn.execute("select count(*) from marts.fct_job_footprint where cluster = 'nordic-ai-2'"
                                      ).fetchone()
        (original_jobs,) = conn.execute("select count(*) from marts.fct_job_footprint where cluster = 'nordic-ai'"
                                        ).fetchone()
    assert copied_jobs == original_jobs > 0  # priced like the cluster it copies

    # 2. Feeds: an hour the bundled GB series already has (from another feed) for GB and FR, and one fetched
    # before it but written after (feeds are fetched in parallel), written together: one rebuild picks up both.
    hour, late = dt.datetime(2020, 1, 1, 11), dt.datetime(2020, 1, 1, 13)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (priced_before,) = conn.execute("select max(loaded_at) from marts.fct_job_footprint").fetchone()
        (newest_retrieval,) = conn.execute("select max(retrieved_at) from marts.fct_grid_intensity_hourly"
                                           ).fetchone()
        running = {k for (k,) in conn.execute(  # the jobs that ran in those zone-hours
            "select job_key from marts.fct_job_footprint where (zone_id in ('GB', 'FR') and start_utc < ? and "
            "end_utc > ?) or (zone_id = 'GB' and start_utc < ? and end_utc > ?)",
            [hour + dt.timedelta(hours=1), hour, late + dt.timedelta(hours=1), late]).fetchall()}
    assert running
    fetched_earlier = dt.datetime(2020, 1, 2)
    assert fetched_earlier < newest_retrieval  # older than what the mart holds: a retrieved_at watermark would miss it
    with duckdb.connect(str(warehouse)) as conn:
        replace_partition(conn, "raw", "grid_intensity_observations",
                          pl.concat([a_feed_hour("GB", hour, 180.0), a_feed_hour("FR", hour, 40.0)]),
                          "feed = ? and period_start >= ? and period_start < ?",
                          ["electricity_maps", hour.replace(hour=0), hour.replace(hour=0) + dt.timedelta(days=1)])
        replace_partition(conn, "raw", "grid_intensity_observations",
                          a_feed_hour("GB", late, 150.0).with_columns(retrieved_at=pl.lit(fetched_earlier)),
                          "feed = ? and period_start = ?", ["electricity_maps", late])
    rebuilt = run("rebuild_after_refresh")
    assert priced_after(warehouse, priced_before) == running  # those jobs priced again, no other
    checked = {e.check_name: e.metadata for e in rebuilt.get_asset_check_evaluations()}
    assert checked["gx_marts_fct_grid_intensity_hourly"]["scope"].value.startswith("zone-hours loaded after")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (zone_hour_rows,) = conn.execute(
            "select count(*) from marts.fct_grid_intensity_hourly where (zone_id in ('GB', 'FR') and hour_start = ?) "
            "or (zone_id = 'GB' and hour_start = ?)", [hour, late]).fetchone()
        (replayed,) = conn.execute("select count(*) from marts.fct_carbon_aware_savings where loaded_at > ?",
                                   [priced_before]).fetchone()
        gb = conn.execute("select feed, gco2e_per_kwh, is_preferred from marts.fct_grid_intensity_hourly "
                          "where zone_id = 'GB' and hour_start = ? and basis = 'lifecycle' order by feed",
                          [hour]).fetchall()
        late_value = conn.execute("select gco2e_per_kwh from marts.fct_grid_intensity_hourly where zone_id = "
                                  "'GB' and hour_start = ? and feed = 'electricity_maps'", [late]).fetchall()
    assert checked["gx_marts_fct_grid_intensity_hourly"]["rows"].value == zone_hour_rows  # those three zone-hours
    savings = checked["gx_marts_fct_carbon_aware_savings"]
    assert savings["scope"].value.startswith("rows loaded after") and savings["rows"].value == replayed > 0
    assert ("electricity_maps", 180.0, True) in gb  # an actual value is preferred in its zone-hour
    assert late_value == [(150.0,)]

    # 3. The new cluster removed: its partitions go, and its jobs and hours leave the incremental marts.
    shutil.rmtree(logs / "nordic-ai-2")
    removed = run("ingest_logs")
    assert refreshed(removed)["clusters_removed"].value == ["nordic-ai-2"] and partitions_of(removed) == []
    incremental = tables(warehouse)
    changed = {name for name in REFRESHED if incremental[name] != before[name]}
    assert {"marts.fct_grid_intensity_hourly", "marts.fct_gpu_power_hourly"} <= changed
    with dg.DagsterInstance.get() as instance:
        assert sorted(instance.get_dynamic_partitions(LOG_CLUSTERS.name)) == ["nordic-ai", "uk-hpc"]
        keys = set(POWER_PARTITIONS.get_partition_keys(dynamic_partitions_store=instance))
    assert not any(k.startswith("nordic-ai-2|") for k in keys) and built <= keys

    # 4. A full refresh gives what the incremental refreshes left.
    run("rebuild_after_refresh", {"ops": {"footprint_dbt_models": {"config": {"full_refresh": True}}}})
    full = tables(warehouse)
    for name in sorted({*REFRESHED, *LOG_MARTS}):
        assert incremental[name] == full[name], name

    partition = settings.facts_dir() / "gpu_power_samples" / "cluster=uk-hpc" / "day=2020-01-01" / "data.parquet"
    derived = partition.read_bytes()
    partition.unlink()  # removed by hand: a backfill of its partition derives it again from the parsed logs
    with dg.DagsterInstance.get() as instance:
        assert dg.materialize([gpu_power_samples], partition_key="uk-hpc|2020-01-01", instance=instance).success
    assert partition.read_bytes() == derived


def marginal_downstream() -> list[dg.AssetKey]:
    """The models that read WattTime's table (not the publish): a test's narrower rebuild."""
    from dagster_project.defs.grid.marginal_assets import MARGINAL_FEED
    from dagster_project.definitions import defs

    graph = defs().resolve_asset_graph()
    return sorted((MARGINAL_FEED.downstream() - MARGINAL_FEED).resolve(graph) - {dg.AssetKey(["serving",
                                                                                              "published_warehouse"])})


def test_a_watttime_refresh_reaches_the_forecast_and_siting_marts(warehouse_env, bundled_build, httpserver,
                                                                   monkeypatch):
    """WattTime end to end: a day of CAISO_NORTH (actual and a forecast as issued) through the feed asset,
    then the models the refresh's rebuild runs on it: the marginal signal in the forecast marts and in
    siting, incremental equal to a full refresh."""
    from tests.integration import test_marginal_feed as watttime
    from tests.unit.test_feed_watttime import LB

    assert from_bundled_build(warehouse_env, bundled_build, instance=True).success
    monkeypatch.setenv("WATTTIME_USERNAME", watttime.USER)
    monkeypatch.setenv("WATTTIME_PASSWORD", watttime.PASSWORD)
    midnight = dt.datetime(2024, 5, 28)
    forecast = [watttime.issue(midnight, [900.0] * 24)]  # 2 hours ahead, issued at midnight
    watttime.serve(httpserver, forecast, actual=False)  # first the forecast alone: the actual is not in yet
    assert watttime.run(httpserver, warehouse_env).success
    run("rebuild_after_refresh", assets=marginal_downstream())
    watttime.serve(httpserver, forecast)  # then the actual arrives: the forecast's error is written
    assert watttime.run(httpserver, warehouse_env).success
    run("rebuild_after_refresh", assets=marginal_downstream())
    incremental = tables(warehouse_env["warehouse"])
    run("rebuild_after_refresh", {"ops": {"footprint_dbt_models": {"config": {"full_refresh": True}}}},
        assets=marginal_downstream())
    full = tables(warehouse_env["warehouse"])
    for name in ("marts.fct_grid_intensity_forecasts", "intermediate.int_grid_marginal_forecasts_hourly",
                 "marts.fct_grid_forecast_accuracy", "marts.fct_siting_options"):
        assert incremental[name] == full[name], name

    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        forecasts = conn.execute(
            "select zone_id, issued_at, hour_start, lead_hours, error_gco2e_per_kwh "
            "from marts.fct_grid_intensity_forecasts where signal = 'marginal' order by hour_start").fetchall()
        accuracy = conn.execute("select lead_hour, forecast_hours, hours_with_actual, mean_error_gco2e_per_kwh "
                                "from marts.fct_grid_forecast_accuracy where signal = 'marginal'").fetchall()
        siting = conn.execute("select distinct marginal_g_per_kwh, marginal_basis from marts.fct_siting_options "
                              "where candidate_zone_id = 'US-CAL-CISO'").fetchall()
        elsewhere = conn.execute("select count(*) from marts.fct_siting_options where candidate_zone_id <> "
                                 "'US-CAL-CISO' and marginal_kgco2e is not null").fetchone()[0]
    # CAISO_NORTH is read for California's zone; 00:00 forecast 900 against 1,000 lbs/MWh measured; 01:00 has
    # 6 of its 12 measured points, so no error is given for it
    assert forecasts == [("US-CAL-CISO", midnight, midnight, 0.0, pytest.approx(round(-100 * LB, 6))),
                         ("US-CAL-CISO", midnight, midnight + dt.timedelta(hours=1), 1.0, None)]
    assert accuracy[0][:3] == (0, 1, 1) and accuracy[0][3] == pytest.approx(-100 * LB, abs=1e-3)
    assert siting == [(pytest.approx(900 * LB), "marginal (US-CAL-CISO): mean of the 2 hours held, 2024-05-28 to "
                                                "2024-05-28")]
    assert elsewhere == 0  # no other zone has a marginal rate
    with duckdb.connect(str(warehouse_env["warehouse"]), read_only=True) as conn:
        assert drift(REPO / "README.md", conn, tag="watttime-test-day") == []  # the README's example of this day
