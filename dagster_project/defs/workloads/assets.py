import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.defs.workloads.inference_energy import ENERGY
from dagster_project.lib.quarantine import quarantine_check
from dagster_project.lib.warehouse import land_inputs, load_raw, places_in
from ingestion.sources.hardware.names import AcceleratorResolver
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
    load_id = land_inputs(sorted(folder.glob("*.y*ml")), "workloads")
    with duckdb.get_connection() as conn:
        accelerators = conn.sql("select canonical_name, aliases, peak_bf16_fp16_tflops "
                                "from raw.hardware_accelerators").pl().to_dicts()
        energy, places = conn.sql("select * from raw.inference_energy_per_token").pl(), places_in(conn)
    peaks = {r["canonical_name"]: r["peak_bf16_fp16_tflops"] for r in accelerators}
    result = load_workloads(folder, resolver=AcceleratorResolver.from_rows(accelerators), places=places,
                            load_id=load_id, energy=energy, peak_bf16_tflops=peaks)
    for row in result.rows.filter(pl.col("input_warnings").is_not_null()).iter_rows(named=True):
        context.log.warning(f"workload {row['workload_id']} ({row['source_file']}): {row['input_warnings']}")
    yield from load_raw(context, duckdb, {WORKLOADS: result.rows, REJECTED: result.rejected}, load_id=load_id)


workloads_rejected = quarantine_check(REJECTED, "workloads_rejected", "workloads")
