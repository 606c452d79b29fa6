"""Job and power logs users already have (Slurm, CodeCarbon, nvidia-smi) into raw tables.

Every file is landed before parsing, appended parts only (logs grow: ingestion/growing_files.py);
bad rows go to raw.logs_rejected with
file, row, field, reason and fix; the good rows of every file still load.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.resources import WRITER_POOL
from dagster_project.lib.warehouse import load_snapshots, quarantine_metadata
from ingestion.growing_files import land_growing
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.sources.logs.folder import log_files, read_logs
from ingestion.sources.workloads.load import places_from_frames

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
    "gpu_power_samples": "nvidia-smi power samples in UTC, each with the time it stands for.",
    "log_clusters": "The clusters' settings (time zone, grid zone, GPUs, PUE) from their cluster.yaml.",
    "logs_rejected": "Log rows that could not load: file, row, field, value, reason, fix and the raw line.",
}
LOOKUPS = [dg.AssetKey(["raw", t]) for t in
           ("hardware_accelerators", "grid_cloud_regions", "grid_zones", "grid_countries")]


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", name], group_name="ingestion", kinds={"duckdb", "polars"},
                        deps=[LOG_FILES, *LOOKUPS], description=text) for name, text in TABLES.items()],
    pool=WRITER_POOL,
)
def job_logs(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    root = settings.logs_dir()
    landed = [land_growing(path, settings.landing_dir() / "logs" / path.relative_to(root))
              for path in (log_files(root) if root.is_dir() else [])]
    with duckdb.get_connection() as conn:
        resolver = AcceleratorResolver.from_rows(
            conn.sql("select canonical_name, aliases from raw.hardware_accelerators").pl().to_dicts())
        places = places_from_frames(conn.sql("select * from raw.grid_cloud_regions").pl(),
                                    conn.sql("select * from raw.grid_zones").pl(),
                                    conn.sql("select * from raw.grid_countries").pl())
    logs = read_logs(root, resolver, places)
    rejected = pl.concat([logs.jobs.rejected.with_columns(log_kind=pl.lit("sacct")),
                          logs.runs.rejected.with_columns(log_kind=pl.lit("codecarbon")),
                          logs.samples.rejected.with_columns(log_kind=pl.lit("nvidia-smi"))])
    messages = logs.jobs.messages + logs.runs.messages + logs.samples.messages
    for message in messages[:50]:
        context.log.warning(f"log row rejected: {message}")
    yield from load_snapshots(
        duckdb,
        {"slurm_jobs": logs.jobs.rows, "codecarbon_runs": logs.runs.rows, "gpu_power_samples": logs.samples.rows,
         "log_clusters": logs.clusters, "logs_rejected": rejected},
        {"logs_rejected": quarantine_metadata(messages),
         "gpu_power_samples": {"files": len(logs.files), "landed_new_bytes": sum(x.new_bytes for x in landed),
                               "rewritten_files": sum(x.rewritten for x in landed)}},
    )


@dg.asset_check(asset=dg.AssetKey(["raw", "logs_rejected"]),
                description="Warns when log rows were quarantined, with the count per kind of log.")
def logs_rejected(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        counts = dict(conn.execute("select log_kind, count(*) from raw.logs_rejected group by 1").fetchall())
    return dg.AssetCheckResult(passed=not counts, severity=dg.AssetCheckSeverity.WARN,
                               metadata={"rejected_rows": sum(counts.values()), **{f"rejected_{k}": v
                                                                                  for k, v in counts.items()}})
