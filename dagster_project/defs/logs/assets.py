"""Job and power logs users already have (Slurm, CodeCarbon, nvidia-smi) into raw tables.

Every file is landed before parsing, appended parts only (logs grow: ingestion/growing_files.py).
Job logs are read whole; nvidia-smi logs are read from where the last run stopped, into the power
store's Parquet partitions (one per cluster and UTC day, ingestion/sources/logs/power_store.py), and
only the partitions that changed are derived again, then reported as materializations of those
partitions of raw/gpu_power_samples (defs/logs/power_samples.py). Bad rows go to raw.logs_rejected
with file, row, field, reason and fix; the good rows of every file still load.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.logs.power_samples import SAMPLES, report_partitions
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import load_raw, places_in
from ingestion.growing_files import land_growing, landed_id
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.quarantine import rejections_frame
from ingestion.sources.logs.folder import log_files, read_logs
from ingestion.sources.logs.power_store import PowerStore

LOG_FILES = dg.AssetSpec(
    ["sources", "log_files"], group_name="sources", kinds={"csv"},
    description="Job and power logs, one folder per cluster with its cluster.yaml (data/logs/README.md); "
                "watched by the sensor new_log_files.",
)
TABLES = {
    "slurm_jobs": "One row per Slurm allocation (steps left out): account, partition, UTC start and end, GPUs "
                  "and their catalog model, energy when Slurm measured it.",
    "codecarbon_runs": "CodeCarbon runs (both header generations) with the energy and the kgCO2e CodeCarbon "
                       "computed, located in a grid zone.",
    "gpu_power_hourly": "nvidia-smi energy per cluster, host, grid zone and UTC hour (summed per partition of the "
                        "power store), with the number of samples.",
    "log_clusters": "The clusters' settings (time zone, grid zone, GPUs, PUE) from their cluster.yaml.",
    "logs_rejected": "Log rows that could not load: file, row, field, value, reason, fix and the raw line.",
}
LOOKUPS = [dg.AssetKey(["raw", t]) for t in
           ("hardware_accelerators", "grid_cloud_regions", "grid_zones", "grid_countries")]


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", name], group_name="ingestion", kinds={"duckdb", "polars"},
                        deps=[LOG_FILES, *LOOKUPS, *([SAMPLES] if name == "gpu_power_hourly" else [])],
                        description=text) for name, text in TABLES.items()],
    pool=WRITER_POOL,
)
def job_logs(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    root = settings.logs_dir()
    landed = {str(path.relative_to(root)): land_growing(path, settings.landing_dir() / "logs" / path.relative_to(root))
              for path in (log_files(root) if root.is_dir() else [])}
    with duckdb.get_connection() as conn:
        accelerators = conn.sql("select canonical_name, aliases from raw.hardware_accelerators").pl().to_dicts()
        places = places_in(conn)
    resolver = AcceleratorResolver.from_rows(accelerators)
    logs = read_logs(root, resolver, places, settings.landing_dir() / "logs")
    store = PowerStore(settings.facts_dir())
    refresh = store.refresh(logs.power_logs, resolver)
    power_rejected = pl.concat([logs.power_rejected, rejections_frame(refresh.file_errors), store.rejected()])
    rejected = pl.concat([logs.jobs.rejected.with_columns(log_kind=pl.lit("sacct")),
                          logs.runs.rejected.with_columns(log_kind=pl.lit("codecarbon")),
                          power_rejected.with_columns(log_kind=pl.lit("nvidia-smi"))])
    hourly = store.hourly()
    refreshed = {**refresh_metadata(len(logs.power_logs), landed, refresh, store, hourly),
                 **report_partitions(context, store, refresh.partitions, logs.clusters["name"].to_list())}
    tables = {"slurm_jobs": logs.jobs.rows, "codecarbon_runs": logs.runs.rows, "gpu_power_hourly": hourly,
              "log_clusters": logs.clusters, "logs_rejected": rejected}
    yield from load_raw(context, duckdb, {dg.AssetKey(["raw", t]): frame for t, frame in tables.items()},
                        load_id=landed_id(landed), metadata={dg.AssetKey(["raw", "gpu_power_hourly"]): refreshed})


def refresh_metadata(power_logs: int, landed: dict, refresh, store: PowerStore, hourly: pl.DataFrame) -> dict:
    """What one run landed and read of the growing logs and derived again, for raw/gpu_power_hourly."""
    return {
        "logs": power_logs, "partitions": len(store.files("gpu_power_samples")),
        "landed_new_bytes": sum(x.new_bytes for x in landed.values()),
        "rewritten_files": sum(x.rewritten for x in landed.values()),
        "read_bytes": refresh.read_bytes, "read_lines": refresh.read_lines,
        "partitions_derived": len(refresh.partitions),
        "derived": dg.MetadataValue.json([f"{c}|{d}" for c, d in refresh.partitions[:100]]),
        "reread_logs": dg.MetadataValue.json(refresh.reread_logs), "waiting_bytes": refresh.waiting_bytes,
        "samples": int(hourly["samples"].sum() or 0),
        "samples_path": dg.MetadataValue.path(str(settings.facts_dir() / "gpu_power_samples"))}


@dg.asset_check(asset=dg.AssetKey(["raw", "logs_rejected"]),
                description="Warns when log rows were quarantined, with the count per kind of log.")
def logs_rejected(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        counts = dict(conn.execute("select log_kind, count(*) from raw.logs_rejected group by 1").fetchall())
    return dg.AssetCheckResult(passed=not counts, severity=dg.AssetCheckSeverity.WARN,
                               metadata={"rejected_rows": sum(counts.values()), **{f"rejected_{k}": v
                                                                                  for k, v in counts.items()}})
