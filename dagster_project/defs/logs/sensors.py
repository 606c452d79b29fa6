"""Pick up log files dropped in the logs folder: a run per batch of new or changed files.

The run reads what each changed log gained and derives (and reports) exactly the power-sample
partitions, per cluster and day, that the new lines fall in (defs/logs/power_samples.py). The sensor
cannot name those partitions itself: which days an appended part touches is known only once it is
read, and a run cannot hold both partitioned steps and the unpartitioned marts after them (that is a
backfill: several runs, a daemon tick of 30 s apart).
"""

import hashlib
import json
from pathlib import Path

import dagster as dg

from dagster_project import settings
from dagster_project.lib.check_scope import CHECK_SCOPE_TAG
from ingestion.sources.logs.folder import log_files

JOB_LOGS = dg.AssetSelection.assets(dg.AssetKey(["raw", "slurm_jobs"]))

ingest_logs = dg.define_asset_job(
    "ingest_logs",
    selection=JOB_LOGS.required_multi_asset_neighbors().downstream(),
    tags={CHECK_SCOPE_TAG: "changed"},
    description="Read the logs folder, rebuild the job-footprint marts and their checks, publish.",
)


@dg.sensor(job=ingest_logs, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Watches FOOTPRINT_LOGS_DIR (default data/logs) for new or changed log files and "
                       "cluster.yaml files; one run covers every file changed since the last one.")
def new_log_files(context: dg.SensorEvaluationContext):
    root = settings.logs_dir()
    seen = json.loads(context.cursor) if context.cursor else {}
    current = {}
    for path in log_files(root) if root.is_dir() else []:
        stat = path.stat()
        current[str(path.relative_to(root))] = f"{stat.st_mtime_ns}:{stat.st_size}"
    changed = sorted(name for name, version in current.items() if seen.get(name) != version)
    if not changed:
        return dg.SkipReason(f"no new or changed log files in {root}")
    context.update_cursor(json.dumps(current, sort_keys=True))
    version = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    clusters = sorted({Path(name).parts[0] for name in changed})
    return dg.RunRequest(run_key=f"logs-{version}",
                         tags={"changed_files": str(len(changed)), "changed_clusters": ",".join(clusters)[:200]})
