import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.defs.workloads.inference_energy import ENERGY
from dagster_project.lib.quarantine import quarantine_check
from dagster_project.lib.warehouse import load_snapshots, quarantine_metadata
from ingestion.files import content_id, land_file
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.places import places_from_frames
from ingestion.sources.workloads.load import load_workloads

WORKLOAD_FILES = dg.AssetSpec(
    ["sources", "workload_files"], group_name="sources", kinds={"yaml"},
    description="data/workloads/*.yaml: training runs and inference deployments users declare "
                "(schema in data/workloads/README.md).",
)
WORKLOADS = dg.AssetKey(["raw", "workloads"])
REJECTED = dg.AssetKey(["raw", "workloads_rejected"])
# Names and places a workload may use come from the warehouse itself.
LOOKUPS = [dg.AssetKey(["raw", t]) for t in
           ("hardware_accelerators", "grid_cloud_regions", "grid_zones", "grid_countries")] + [ENERGY]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(WORKLOADS, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[WORKLOAD_FILES, *LOOKUPS],
                     description="Validated workloads with their accelerator and grid zone resolved; ranges "
                                 "expanded to _low/_central/_high columns."),
        dg.AssetSpec(REJECTED, group_name="ingestion", kinds={"duckdb"}, deps=[WORKLOAD_FILES, *LOOKUPS],
                     description="Workloads that could not load: file, workload id, field, reason and fix."),
    ],
    pool=WRITER_POOL,
)
def workloads(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    folder = settings.reference_dir() / "workloads"
    files = sorted(folder.glob("*.y*ml"))
    for path in files:
        land_file(path, settings.landing_dir() / "workloads")
    with duckdb.get_connection() as conn:
        accelerators = conn.sql("select canonical_name, aliases, peak_bf16_fp16_tflops "
                                "from raw.hardware_accelerators").pl()
        energy = conn.sql("select * from raw.inference_energy_per_token").pl()
        places = places_from_frames(conn.sql("select * from raw.grid_cloud_regions").pl(),
                                    conn.sql("select * from raw.grid_zones").pl(),
                                    conn.sql("select * from raw.grid_countries").pl())
    load_id = "".join(content_id(p) for p in files)[:16] or "none"
    peaks = {r["canonical_name"]: r["peak_bf16_fp16_tflops"] for r in accelerators.to_dicts()}
    result = load_workloads(folder, resolver=AcceleratorResolver.from_rows(accelerators.to_dicts()),
                            places=places, load_id=load_id, energy=energy, peak_bf16_tflops=peaks)
    for message in result.messages:
        context.log.warning(f"workload rejected: {message}")
    for row in result.rows.filter(pl.col("input_warnings").is_not_null()).iter_rows(named=True):
        context.log.warning(f"workload {row['workload_id']} ({row['source_file']}): {row['input_warnings']}")
    rejected = result.rejected.with_columns(load_id=pl.lit(load_id))
    yield from load_snapshots(duckdb, {"workloads": result.rows, "workloads_rejected": rejected},
                              {"workloads_rejected": quarantine_metadata(result.messages)})


workloads_rejected = quarantine_check(REJECTED, "workloads_rejected", "workloads")
