"""build_warehouse with FOOTPRINT_SPARK_MASTER=local[2] gives the log marts the local path gives, on
the bundled logs (the Spark asset runs between the two steps Dagster splits the dbt build into). It
rebuilds what the backend changes, on a copy of the run's one build of the bundled data: the Spark
asset, the dbt models it reads from and everything downstream of it but the publication."""

import dagster as dg
import pytest

from dagster_project.defs.logs.power_samples import SAMPLES
from dagster_project.defs.serving.assets import PUBLISHED
from dagster_project.scale.spark_backend import INPUTS, KEYS
from tests.integration.conftest import build, from_bundled_build, tables

pytestmark = [pytest.mark.spark, pytest.mark.integration]
LOG_MARTS = ("marts.fct_gpu_power_hourly", "marts.fct_job_footprint", "marts.fct_job_footprint_daily",
             "marts.fct_carbon_aware_savings", "intermediate.int_job_days_attributed",
             "intermediate.int_carbon_aware_replays", "intermediate.int_gpu_power_hourly")


def test_the_spark_backend_builds_the_log_marts_the_local_path_builds(warehouse_env, spark, monkeypatch,
                                                                      bundled_build):
    from dagster_project.definitions import defs

    local = tables(bundled_build[0]["warehouse"])  # the run's one build of the bundled data, on polars
    from_bundled_build(warehouse_env, bundled_build)
    monkeypatch.setenv("FOOTPRINT_SPARK_MASTER", "local[2]")  # the session of the test run serves the build
    # the Spark asset, the models it reads (build_warehouse leaves the partitioned samples) and downstream
    rebuilt = (dg.AssetSelection.assets(*KEYS.values()).downstream() - dg.AssetSelection.assets(PUBLISHED)
               | dg.AssetSelection.assets(*INPUTS) - dg.AssetSelection.assets(SAMPLES))
    result = build(list(rebuilt.resolve(defs().resolve_asset_graph())))
    assert result.success, [e.message for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    materialized = {e.asset_key: e.materialization.metadata for e in result.get_asset_materialization_events()}
    assert materialized[KEYS["job_days_attributed"]]["dagster/row_count"].value > 0
    assert materialized[KEYS["gpu_power_hourly"]]["dagster/row_count"].value > 0
    steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
    assert {"footprint_dbt_models", "footprint_dbt_log_models", "spark_log_attribution"} <= steps
    on_spark = tables(warehouse_env["warehouse"])
    for name in LOG_MARTS:
        assert on_spark[name] == local[name], name
        assert local[name], name  # the bundled logs fill each of them


def test_without_java_the_spark_backend_refuses_to_load_and_writes_nothing(warehouse_env, monkeypatch, tmp_path):
    pytest.importorskip("pyspark", reason="the Spark extra is not installed: pip install '.[spark]' (without "
                                          "it the backend refuses for that reason, not for Java)")
    from dagster_project.definitions import defs
    from ingestion.spark.session import SparkUnavailable

    monkeypatch.setenv("FOOTPRINT_SPARK_MASTER", "local[2]")
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it, and no JAVA_HOME
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(SparkUnavailable, match=r"FOOTPRINT_SPARK_MASTER='local\[2\]'.*no Java runtime.*\.\[spark\]"):
        defs()
    assert not warehouse_env["warehouse"].exists()
    with dg.DagsterInstance.get() as instance:
        assert not instance.get_runs()
