"""The reference tables the audit and the catalog checks read (data/audit/*.csv), each compiled by
hand with its source per row, loaded like every other source: landed, typed, with their lineage."""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import land_inputs, load_raw
from ingestion.files import read_csv_frame

AUDIT_FILES = dg.AssetSpec(
    ["sources", "audit_files"], group_name="sources", kinds={"csv"},
    description="data/audit/: the article's claims, the reference values they are compared with, published "
                "accelerator power and server embodied carbon, and the providers' own disclosures.",
)
# table -> (file, description, column types the CSV cannot say)
TABLES = {
    "audit_claims": ("audit_claims.csv", "The article's numeric claims with the claimed range.",
                     {"claimed_low": pl.Float64, "claimed_central": pl.Float64, "claimed_high": pl.Float64}),
    "audit_reference_values": ("audit_reference_values.csv", "Reference values the audit compares with "
                               "(household electricity, flights, cars...), each with range, year and source.",
                               {"low": pl.Float64, "central": pl.Float64, "high": pl.Float64, "year": pl.Int32}),
    "published_accelerator_power": ("published_accelerator_power.csv", "Average power per accelerator measured "
                                    "in published training runs, to check the catalog's TDPs.",
                                    {"measured_avg_w": pl.Float64, "vintage": pl.Int32}),
    "published_server_embodied": ("published_server_embodied.csv", "Published life-cycle assessments of "
                                  "8-accelerator GPU servers (manufacturing carbon without the accelerators).",
                                  {"embodied_kgco2e": pl.Float64, "accelerators_per_server": pl.Int64,
                                   "generation_year": pl.Int32, "vintage": pl.Int32}),
    "provider_disclosures": ("provider_disclosures.csv", "The providers' own published footprints of using "
                             "their models, per prompt, query or response, with what each figure includes.",
                             {"published": pl.Date, "energy_wh": pl.Float64, "gco2e": pl.Float64,
                              "water_ml": pl.Float64, "relative_rounding": pl.Float64}),
}


def read_typed(path, types: dict) -> pl.DataFrame:
    frame = read_csv_frame(path)
    return frame.with_columns(pl.col(c).cast(pl.String).str.to_date("%Y-%m-%d") if t == pl.Date else pl.col(c).cast(t)
                              for c, t in types.items())


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", table], group_name="ingestion", kinds={"duckdb", "csv"}, deps=[AUDIT_FILES],
                        description=description) for table, (_, description, _) in TABLES.items()],
    pool=WRITER_POOL,
)
def audit_reference(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    paths = {table: settings.reference_dir() / "audit" / name for table, (name, _, _) in TABLES.items()}
    load_id = land_inputs(list(paths.values()), "audit")
    yield from load_raw(context, duckdb, {dg.AssetKey(["raw", table]): read_typed(path, TABLES[table][2])
                                          for table, path in paths.items()}, load_id=load_id)
