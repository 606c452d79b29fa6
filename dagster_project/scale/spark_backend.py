"""The Spark backend of the log attribution, on when FOOTPRINT_SPARK_MASTER is set.

`with_spark_backend(defs)` adds the asset `facts/spark_log_attribution` (three Parquet datasets
beside the warehouse, ingestion/spark/attribution.py) and makes the dbt models that otherwise
compute them (int_gpu_power_hourly's energy, int_job_days_attributed, int_carbon_aware_replays)
depend on it; those models read its output when the variable is set (their config
attribution_backend). Dagster runs the dbt build in two steps around it, in the same run. The asset
reads the warehouse and writes files only: Spark never writes the DuckDB file.
"""

import json
import shutil
import time

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.logs.power_samples import SAMPLES
from dagster_project.lib.pools import WRITER_POOL

DATASETS = {
    "gpu_power_hourly": "nvidia-smi energy per cluster, host, zone and UTC hour, summed on Spark per "
                        "power-sample partition (one task per cluster and day).",
    "job_days_attributed": "Each job split by UTC day and priced on Spark (one task per zone and UTC day of "
                           "the jobs' starts, with that zone's hours over their windows).",
    "carbon_aware_replays": "The carbon-aware replay of each job on Spark (tasks as for the job days, windows "
                            "reaching the longest delay).",
}
KEYS = {name: dg.AssetKey(["facts", f"spark_{name}"]) for name in DATASETS}
# The dbt models that read each dataset in place of computing it.
READERS = {dg.AssetKey(["intermediate", "int_gpu_power_hourly"]): KEYS["gpu_power_hourly"],
           dg.AssetKey(["intermediate", "int_job_days_attributed"]): KEYS["job_days_attributed"],
           dg.AssetKey(["intermediate", "int_carbon_aware_replays"]): KEYS["carbon_aware_replays"]}
INPUTS = [SAMPLES] + [dg.AssetKey(k) for k in (["intermediate", "int_jobs_unified"],
                                               ["intermediate", "int_grid_intensity_hourly_for_pricing"],
                                               ["staging", "stg_grid__annual_intensities"],
                                               ["intermediate", "int_grid_zones"])]


def flexibility_hours() -> list[int]:
    """The replay's flexibilities, from the dbt model's config (one place: _logs__models.yml)."""
    manifest = json.loads((settings.DBT_DIR / "target" / "manifest.json").read_text())
    node = manifest["nodes"]["model.footprint.int_carbon_aware_replays"]
    return [int(h) for h in node["config"].get("flexibility_hours") or [0, 6, 24]]


@dg.multi_asset(
    specs=[dg.AssetSpec(key, deps=INPUTS, group_name="facts", kinds={"spark", "parquet", "polars"},
                        description=DATASETS[name]) for name, key in KEYS.items()],
    pool=WRITER_POOL,
    # spark: dagster_pyspark.LazyPySparkResource, imported with the backend on
    required_resource_keys={"spark", "duckdb"},
)
def spark_log_attribution(context: dg.AssetExecutionContext):
    """The heavy log attribution on Spark: the jobs and hourly intensities exported from the
    warehouse (Parquet), the power-sample partitions read where the power store keeps them."""
    from ingestion.spark import attribution

    out = settings.spark_output_dir()
    inputs = out / "inputs"
    duckdb: DuckDBResource = context.resources.duckdb
    with duckdb.get_connection() as conn:
        jobs, hourly, annual = attribution.export_inputs(conn, inputs)
    session = context.resources.spark.spark_session
    samples = settings.facts_dir() / "gpu_power_samples"
    jobs_file, hourly_file = inputs / "jobs.parquet", inputs / "hourly.parquet"
    runs = {
        "gpu_power_hourly": lambda: attribution.power_hours(session, samples, out / "gpu_power_hourly"),
        "job_days_attributed": lambda: attribution.job_days(session, jobs_file, hourly_file, annual,
                                                            out / "job_days_attributed"),
        "carbon_aware_replays": lambda: attribution.replays(session, jobs_file, hourly_file, flexibility_hours(),
                                                            out / "carbon_aware_replays"),
    }
    if not samples.is_dir():  # no nvidia-smi logs: no power hours
        shutil.rmtree(out / "gpu_power_hourly", ignore_errors=True)
        runs["gpu_power_hourly"] = lambda: 0
    counts, seconds = {}, {}
    for name, run in runs.items():
        started = time.perf_counter()
        counts[name] = run()
        seconds[name] = round(time.perf_counter() - started, 2)
    for name, key in KEYS.items():
        yield dg.MaterializeResult(asset_key=key, metadata={
            "dagster/row_count": counts[name], "seconds": seconds[name], "spark_master": settings.spark_master(),
            "path": dg.MetadataValue.path(str(out / name)), "jobs": jobs.height, "hourly_rows": hourly.height})


def with_spark_backend(defs: dg.Definitions) -> dg.Definitions:
    """`defs` with the Spark attribution asset, and the dbt build split in two around it: the models
    that read its datasets (and those after them) in a second step that depends on it. Without
    pyspark or Java, a clear error before anything runs (ingestion/spark/session.py)."""
    from ingestion.spark.session import check_spark_installed, spark_config

    master = settings.spark_master()
    check_spark_installed(master)
    from dagster_pyspark import LazyPySparkResource

    from dagster_project.defs.transform.assets import dbt_build, footprint_dbt_models
    from dagster_project.lib.dbt_translator import LayeredDbtTranslator

    readers = " ".join(f"{key.path[-1]}+" for key in READERS)
    assets = [a for a in defs.assets if a is not footprint_dbt_models] + [
        dbt_build("footprint_dbt_models", exclude=readers),
        dbt_build("footprint_dbt_log_models", select=readers, translator=LayeredDbtTranslator(extra_deps=READERS)),
        spark_log_attribution,
    ]
    return dg.Definitions(
        assets=assets, asset_checks=defs.asset_checks, jobs=defs.jobs, schedules=defs.schedules, sensors=defs.sensors,
        resources={**(defs.resources or {}), "spark": LazyPySparkResource(spark_config=spark_config(master))},
        executor=defs.executor, loggers=defs.loggers, metadata=defs.metadata)
