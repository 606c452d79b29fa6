"""The power samples as Dagster partitions: one per cluster (dynamic: a cluster folder of the logs
becomes one) and UTC day, as the power store keeps them (ingestion/sources/logs/power_store.py).

Logs are parsed per file, not per day: a log spans many days, and which days an appended part touches
is known only once it is read. So the run the sensor launches (ingest_logs) reads what every log
gained, derives exactly the (cluster, day) partitions whose samples changed, and reports each as a
materialization of its partition here; a removed cluster folder's partition is deleted. The asset's own
step derives partitions again from the parsed chunks: a backfill of a date range (a partition file
removed by hand, or a change to how intervals are derived) is one single-run Dagster backfill.
"""

import datetime as dt

import dagster as dg

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from ingestion.sources.logs.power_store import PowerStore

SAMPLES = dg.AssetKey(["raw", "gpu_power_samples"])
LOG_CLUSTERS = dg.DynamicPartitionsDefinition(name="log_clusters")
FIRST_DAY = "2016-01-01"  # older logs are stored and priced, but have no partition to show in the UI
POWER_PARTITIONS = dg.MultiPartitionsDefinition({
    "cluster": LOG_CLUSTERS,
    "day": dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1),  # today, still growing
})


def partition_key(cluster: str, day: str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({"cluster": cluster, "day": day})


def _has_partition(day: str) -> bool:
    return FIRST_DAY <= day <= str(dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1))


def report_partitions(context: dg.OpExecutionContext, store: PowerStore, derived: list[tuple[str, str]],
                      clusters: list[str] | None = None) -> dict:
    """Log a materialization of each derived partition, with its samples and energy (none, for a day
    whose log was removed). With `clusters` (every cluster of the logs folder), the dynamic partitions
    become those: new folders added first, removed ones deleted with their partitions."""
    instance = context.instance
    known = set(instance.get_dynamic_partitions(LOG_CLUSTERS.name))
    added = sorted(set(clusters or ()) - known)
    if added:
        instance.add_dynamic_partitions(LOG_CLUSTERS.name, added)
    removed = sorted(known - set(clusters)) if clusters is not None else []
    undated, emptied = 0, 0
    for cluster, day in derived:
        if cluster in removed:  # its partitions go with it below
            continue
        if not _has_partition(day):
            undated += 1
            continue
        # A day left without samples (its log removed) is reported so, not wiped: SQLite event storage,
        # the default instance's, cannot wipe partitions.
        summary = store.summary(cluster, day) or {"samples": 0, "energy_kwh": 0.0}
        emptied += not summary["samples"]
        folder = store.partition("gpu_power_samples", cluster, day).parent
        context.log_event(dg.AssetMaterialization(asset_key=SAMPLES, partition=partition_key(cluster, day), metadata={
            "dagster/row_count": summary["samples"], "energy_kwh": summary["energy_kwh"],
            "path": dg.MetadataValue.path(str(folder))}))
    for name in removed:
        instance.delete_dynamic_partition(LOG_CLUSTERS.name, name)
    if undated:
        context.log.warning(f"{undated} changed day(s) of samples before {FIRST_DAY} or after tomorrow: stored and "
                            "priced, but without a Dagster partition")
    return {"partitions_reported": len(derived) - undated, "partitions_emptied": emptied,
            "clusters_added": dg.MetadataValue.json(added), "clusters_removed": dg.MetadataValue.json(removed)}


@dg.asset(
    key=SAMPLES, partitions_def=POWER_PARTITIONS, backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[dg.AssetKey(["sources", "log_files"])], group_name="ingestion", kinds={"parquet", "polars"},
    pool=WRITER_POOL,
    description="nvidia-smi power samples in UTC, each with the time it stands for, as Parquet partitions "
                "<warehouse dir>/facts/gpu_power_samples/cluster=<c>/day=<YYYY-MM-DD>/ (too many for the DuckDB "
                "file; published under parquet/gpu_power_samples/). ingest_logs reports the partitions it "
                "changed; materializing partitions here derives them again from the parsed logs.",
)
def gpu_power_samples(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    store = PowerStore(settings.facts_dir())
    wanted = [(key.keys_by_dimension["cluster"], key.keys_by_dimension["day"]) for key in context.partition_keys]
    derived = store.rederive(wanted)
    requested = set(wanted)
    extra = [p for p in derived if p not in requested]  # the day before, when its last interval moved
    report_partitions(context, store, extra)
    filled = [p for p in wanted if store.partition("gpu_power_samples", *p).exists()]
    return dg.MaterializeResult(metadata={"partitions": len(wanted), "with_samples": len(filled),
                                          "also_derived": dg.MetadataValue.json([f"{c}|{d}" for c, d in extra])})
