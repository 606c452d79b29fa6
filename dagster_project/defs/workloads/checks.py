import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.lib.expectations import footprint as expectations
from dagster_project.lib.gx import validate_frame


def _check(mart: str, suite, description: str):
    @dg.asset_check(asset=dg.AssetKey(["marts", mart]), name=f"gx_marts_{mart}", blocking=True,
                    description=description)
    def check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        with duckdb.get_connection() as conn:
            frame = conn.sql(f"select * from marts.{mart}").df()
            claims = conn.execute("select count(*) from raw.audit_claims").fetchone()[0]
        return validate_frame(frame, f"marts_{mart}", lambda: suite(claims) if mart == "fct_claims_audit" else suite())

    return check


gx_inference = _check("fct_inference_footprint", expectations.inference_footprint,
                      "GX: per-request and per-year figures non-negative, market-based <= location-based.")
gx_training_vs_inference = _check("fct_training_vs_inference", expectations.training_vs_inference,
                                  "GX: break-evens positive, shares within 0-1, both workloads named.")
gx_siting = _check("fct_siting_options", expectations.siting_options,
                   "GX: carbon and water non-negative, ranks from 1, every option has a zone.")
gx_claims = _check("fct_claims_audit", expectations.claims_audit,
                   "GX: every claim present, a known verdict, a finding and sources for each.")


@dg.asset_check(asset=dg.AssetKey(["marts", "fct_green_infrastructure"]), blocking=True,
                description="GX: every workload present, no lever raises carbon or water, savings within 0-1.")
def gx_marts_fct_green_infrastructure(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        expected = conn.execute("select count(*) from raw.workloads").fetchone()[0]
        frame = conn.sql("select * from marts.fct_green_infrastructure").df()
    return validate_frame(frame, "marts_fct_green_infrastructure", lambda: expectations.green_infrastructure(expected))
gx_accelerator_efficiency = _check("fct_accelerator_efficiency", expectations.accelerator_efficiency,
                                   "GX: throughput and memory per watt positive, ranks from 1, one row per part.")
gx_training_on_newer_hardware = _check("fct_training_on_newer_hardware", expectations.training_on_newer_hardware,
                                       "GX: work, hours and energy positive, facility >= IT energy, savings < 1.")


@dg.asset_check(asset=dg.AssetKey(["marts", "fct_finetune_vs_pretrain"]), blocking=True,
                description="GX: every fine-tune that loaded is present with its base; ratios positive.")
def gx_marts_fct_finetune_vs_pretrain(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        expected = conn.execute("select count(*) from raw.workloads where finetunes is not null").fetchone()[0]
        frame = conn.sql("select * from marts.fct_finetune_vs_pretrain").df()
    return validate_frame(frame, "marts_fct_finetune_vs_pretrain", lambda: expectations.finetune_vs_pretrain(expected))
