"""The Prometheus sources' recorded answers (data/telemetry/<source>/recorded/<day>/), priced by the
same parser and energy core as a live fetch, so the telemetry marts fill offline; and every source's
settings (source.yaml), which the marts price with."""

import datetime as dt
import json

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.telemetry.live_assets import TELEMETRY_SOURCES
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.quarantine import rejections_frame
from ingestion.sources.telemetry.fleet import energy_hourly, requests_hourly
from ingestion.sources.telemetry.prometheus import SAMPLE_SCHEMA, parse_matrix
from ingestion.sources.telemetry.source import read_source

RECORDINGS = dg.AssetSpec(
    ["sources", "telemetry_sources"], group_name="sources", kinds={"yaml", "json"},
    description="data/telemetry/<source>/: each Prometheus source's source.yaml, and for the bundled fleet "
                "the query_range answers recorded from a real Prometheus (scripts/make_sample_telemetry.py).")
SOURCES = dg.AssetKey(["raw", "telemetry_sources"])
ENERGY = dg.AssetKey(["raw", "telemetry_gpu_energy_samples"])
REQUESTS = dg.AssetKey(["raw", "telemetry_requests_samples"])
REJECTED = dg.AssetKey(["raw", "telemetry_samples_rejected"])


def _answers(folder, kind: str) -> pl.DataFrame:
    frames = [parse_matrix(json.loads(path.read_bytes()), query=kind, url=str(path), landed=path)
              for path in sorted(folder.glob(f"{kind}_*.json"))]
    return pl.concat(frames) if frames else pl.DataFrame(schema=SAMPLE_SCHEMA)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(SOURCES, group_name="ingestion", kinds={"duckdb"}, deps=[RECORDINGS],
                     description="Each Prometheus source's settings: exporter, grid zone or cloud region, PUE, WUE, "
                                 "step, requests counter."),
        dg.AssetSpec(ENERGY, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[RECORDINGS],
                     description="Recorded GPU energy per source, host, GPU, namespace, pod, container and UTC hour, "
                                 "with its method (counter or power x step) and how shared GPUs were split."),
        dg.AssetSpec(REQUESTS, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[RECORDINGS],
                     description="Recorded requests served per source, namespace, pod, model and UTC hour."),
        dg.AssetSpec(REJECTED, group_name="ingestion", kinds={"duckdb"}, deps=[RECORDINGS],
                     description="Quarantine: recorded series that could not be attributed, with the reason."),
    ],
    pool=WRITER_POOL,
)
def telemetry_samples(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    root = settings.telemetry_dir()
    folders = sorted(p for p in root.iterdir() if (p / "source.yaml").exists()) if root.exists() else []
    paths = [p for f in folders for p in [f / "source.yaml", *sorted((f / "recorded").glob("*/*.json"))]]
    load_id = land_inputs(paths, "telemetry") if paths else "telemetry:none"
    sources, energy, served, rejections = [], [], [], []
    for folder in folders:
        source = read_source(folder)
        sources.append({"source": source.name, "exporter": source.exporter, "zone_id": source.zone,
                        "cloud_region": source.cloud_region, "pue": source.pue, "wue_l_per_kwh": source.wue_l_per_kwh,
                        "step_s": source.step_s, "requests_counter": source.requests_counter,
                        "source_file": f"{folder.name}/source.yaml", "source_row": 1})
        for day_folder in sorted(p for p in (folder / "recorded").glob("*") if p.is_dir()):
            day = energy_hourly(_answers(day_folder, "energy"), _answers(day_folder, "power"), source,
                                landed=str(day_folder))
            # each hourly row is derived from the day's recorded answers: its lineage is that folder and row
            lineage = {"source_file": pl.lit(f"{folder.name}/recorded/{day_folder.name}"),
                       "source_row": pl.int_range(1, pl.len() + 1, dtype=pl.Int64)}
            energy.append(day.hourly.with_columns(day=pl.lit(dt.date.fromisoformat(day_folder.name)), **lineage))
            rejections += day.rejections
            served.append(requests_hourly(_answers(day_folder, "requests"), source).with_columns(**lineage))
    frames = {
        SOURCES: pl.DataFrame(sources, schema={"source": pl.String, "exporter": pl.String, "zone_id": pl.String,
                                               "cloud_region": pl.String, "pue": pl.Float64,
                                               "wue_l_per_kwh": pl.Float64, "step_s": pl.Int64,
                                               "requests_counter": pl.String, "source_file": pl.String,
                                               "source_row": pl.Int64}),
        ENERGY: pl.concat(energy) if energy else pl.DataFrame(),
        REQUESTS: pl.concat(served) if served else pl.DataFrame(),
        REJECTED: rejections_frame(rejections),
    }
    # every source folder is a partition of the live asset's source dimension (telemetry/live_assets.py)
    known = set(context.instance.get_dynamic_partitions(TELEMETRY_SOURCES.name))
    added = sorted({s["source"] for s in sources} - known)
    if added:
        context.instance.add_dynamic_partitions(TELEMETRY_SOURCES.name, added)
    yield from load_raw(context, duckdb, frames, load_id=load_id, metadata={
        ENERGY: {"sources": [s["source"] for s in sources],
                 "gpu_kwh": round(float(frames[ENERGY]["energy_kwh"].sum()), 3) if energy else 0.0}})
