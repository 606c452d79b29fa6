import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.expectations import footprint as expectations
from dagster_project.lib.gx import validate_frame
from dagster_project.lib.quarantine import quarantine_check
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.sources.inference.energy_per_token import parse_energy_per_token

ENERGY_FILE = dg.AssetSpec(
    ["sources", "inference_energy_file"], group_name="sources", kinds={"csv"},
    description="data/inference/energy_per_token.csv: measured GPU energy per output token by task, model "
                "and GPU setup, derived from the ML.ENERGY leaderboard (scripts/derive_energy_per_token.py).",
)
ENERGY = dg.AssetKey(["raw", "inference_energy_per_token"])
REJECTED = dg.AssetKey(["raw", "inference_energy_per_token_rejected"])


def energy_file():
    return settings.reference_dir() / "inference" / "energy_per_token.csv"


@dg.multi_asset(
    specs=[
        dg.AssetSpec(ENERGY, group_name="ingestion", kinds={"duckdb", "polars"}, deps=[ENERGY_FILE],
                     description="Measured GPU energy per output token (J, low/central/high over batch "
                                 "configurations) per task, model and GPU setup, with parameters, mean answer "
                                 "length, source, vintage and licence."),
        dg.AssetSpec(REJECTED, group_name="ingestion", kinds={"duckdb"}, deps=[ENERGY_FILE],
                     description="Quarantine: energy-per-token rows that could not load, with line, field and fix."),
    ],
    pool=WRITER_POOL,
)
def inference_energy_per_token(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    load_id = land_inputs([energy_file()], "inference")
    result = parse_energy_per_token(energy_file())
    yield from load_raw(context, duckdb, {ENERGY: result.rows, REJECTED: result.rejected}, load_id=load_id)


@dg.asset_check(asset=ENERGY, blocking=True,
                description="GX: energy per token positive and ordered, one row per task, model and GPU setup.")
def gx_raw_inference_energy_per_token(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        frame = conn.sql("select * from raw.inference_energy_per_token").df()
    return validate_frame(frame, "raw_inference_energy_per_token", expectations.energy_per_token)


inference_energy_rows_quarantined = quarantine_check(REJECTED, "inference_energy_rows_quarantined",
                                                     "energy-per-token rows")
