"""Read a logs directory: one folder per cluster with its cluster.yaml and the logs it produced.

    <logs>/<cluster>/cluster.yaml
    <logs>/<cluster>/sacct/*          sacct -p / -P exports
    <logs>/<cluster>/codecarbon/*.csv CodeCarbon emissions.csv files
    <logs>/<cluster>/nvidia-smi/<host>.csv   nvidia-smi --query-gpu logs, one file per host

Job logs (sacct, CodeCarbon) are small and read whole here; nvidia-smi logs are large and growing,
so they are handed to the power store (power_store.py), which reads them as they grow. A file that
cannot be read at all (no header, missing columns, bad cluster.yaml) is one rejection naming the
file; the other files still load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingestion.files import read_text
from ingestion.quarantine import ParseResult, Rejection, rejections_frame, unreadable_file
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.sources.logs import codecarbon, slurm
from ingestion.sources.logs.cluster import Cluster, read_cluster
from ingestion.sources.logs.power_store import PowerLog
from ingestion.places import Places

KINDS = ("sacct", "codecarbon", "nvidia-smi")
CLUSTER_SCHEMA = {"name": pl.String, "time_zone": pl.String, "zone": pl.String, "zone_id": pl.String,
                  "default_gpu": pl.String, "partition_gpus": pl.String, "gpu_utilisation": pl.Float64,
                  "pue": pl.Float64, "wue_l_per_kwh": pl.Float64, "sacct_format": pl.String,
                  "nvidia_smi_fields": pl.String, "source_file": pl.String, "source_row": pl.Int64}


@dataclass(frozen=True)
class Logs:
    clusters: pl.DataFrame
    jobs: ParseResult
    runs: ParseResult
    power_logs: list[PowerLog]  # read by the power store
    power_rejected: pl.DataFrame  # nvidia-smi logs of clusters whose cluster.yaml cannot be read
    files: list[Path]


def log_files(root: Path) -> list[Path]:
    """Every file the reader would pick up (the sensor watches these)."""
    return sorted(p for p in root.glob("*/*") if p.is_file() and p.name == "cluster.yaml") + sorted(
        p for kind in KINDS for p in root.glob(f"*/{kind}/*") if p.is_file() and not p.name.startswith("."))


def _combine(results: list[ParseResult], schema: dict, extra: list[Rejection]) -> ParseResult:
    rows = pl.concat([r.rows for r in results]) if results else pl.DataFrame(schema=schema)
    rejected = pl.concat([*(r.rejected for r in results), rejections_frame(extra)])
    return ParseResult(rows, rejected)


def read_logs(root: Path, resolver: AcceleratorResolver, places: Places, landing: Path) -> Logs:
    """`landing`: where each file was landed (land_growing), as <landing>/<path under root>."""
    results, file_errors, clusters, power_logs = {k: [] for k in KINDS}, {k: [] for k in KINDS}, [], []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if not any((folder / kind).is_dir() for kind in KINDS):
            continue
        try:
            cluster: Cluster = read_cluster(folder)
            cluster_zone = places.resolve_zone(cluster.zone)
        except (ValueError, LookupError) as error:
            for kind in KINDS:
                file_errors[kind].append(Rejection(f"{folder.name}/cluster.yaml", 0, folder.name, "(file)", None,
                                                   str(error), "fix cluster.yaml (see data/logs/README.md)"))
            continue
        clusters.append({**cluster.model_dump(exclude={"partition_gpus"}), "zone_id": cluster_zone,
                         "partition_gpus": str(cluster.partition_gpus),
                         "source_file": f"{folder.name}/cluster.yaml", "source_row": 1})
        for kind in KINDS:
            for path in sorted((folder / kind).glob("*")) if (folder / kind).is_dir() else []:
                if not path.is_file() or path.name.startswith("."):
                    continue
                name = f"{folder.name}/{kind}/{path.name}"
                if kind == "nvidia-smi":
                    power_logs.append(PowerLog(name, path.stem, cluster, cluster_zone, landing / name))
                    continue
                try:
                    text = read_text(path)
                    if kind == "sacct":
                        result = slurm.parse_sacct(text, name, cluster, resolver)
                    else:
                        result = codecarbon.parse_codecarbon(text, name, cluster, places)
                except (Exception, pl.exceptions.PanicException) as error:  # a parser bug must not stop the others
                    file_errors[kind].append(unreadable_file(name, error))
                    continue
                if kind != "codecarbon":
                    result = ParseResult(result.rows.with_columns(zone_id=pl.lit(cluster_zone)), result.rejected)
                results[kind].append(result)
    schemas = {"sacct": {**slurm.SCHEMA, "zone_id": pl.String}, "codecarbon": codecarbon.SCHEMA}
    merged = {k: _combine(results[k], schemas[k], file_errors[k]) for k in schemas}
    return Logs(pl.DataFrame(clusters, schema=CLUSTER_SCHEMA), merged["sacct"], merged["codecarbon"], power_logs,
                rejections_frame(file_errors["nvidia-smi"]), log_files(root) if root.is_dir() else [])
