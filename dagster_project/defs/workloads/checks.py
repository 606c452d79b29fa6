"""Blocking GX checks on the footprint and remedy marts (suites in lib/expectations/footprint.py)."""

from dagster_project.lib.expectations import footprint as expectations
from dagster_project.lib.gx import mart_check

WORKLOADS = "select count(*) from raw.workloads"

gx_workload_footprint = mart_check(
    "fct_workload_footprint", expectations.workload_footprint,
    "GX: every valid workload present, measures non-negative, low <= central <= high, lineage columns "
    "(sources, fallbacks, file) never null.", WORKLOADS)
gx_inference = mart_check("fct_inference_footprint", expectations.inference_footprint,
                          "GX: per-request and per-year figures non-negative, market-based <= location-based.")
gx_training_vs_inference = mart_check("fct_training_vs_inference", expectations.training_vs_inference,
                                      "GX: break-evens positive, shares within 0-1, both workloads named.")
gx_model_lifecycle = mart_check(
    "fct_model_lifecycle", expectations.model_lifecycle,
    "GX: overtaking years and requests positive, shares within 0-1, one row per model, deployment and usage level.")
gx_provider_disclosures = mart_check(
    "fct_provider_disclosures", expectations.provider_disclosures,
    "GX: every published disclosure present with its scope gap and source; warehouse figures non-negative.",
    "select count(*) from raw.provider_disclosures")
gx_siting = mart_check("fct_siting_options", expectations.siting_options,
                       "GX: carbon and water non-negative, ranks from 1, every option has a zone.")
gx_claims = mart_check("fct_claims_audit", expectations.claims_audit,
                       "GX: every claim present, a known verdict, a finding and sources for each.",
                       "select count(*) from raw.audit_claims")
gx_green_infrastructure = mart_check(
    "fct_green_infrastructure", expectations.green_infrastructure,
    "GX: every workload present, no lever raises carbon or water, savings within 0-1.", WORKLOADS)
gx_accelerator_efficiency = mart_check("fct_accelerator_efficiency", expectations.accelerator_efficiency,
                                       "GX: throughput and memory per watt positive, ranks from 1, one row per part.")
gx_training_on_newer_hardware = mart_check(
    "fct_training_on_newer_hardware", expectations.training_on_newer_hardware,
    "GX: work, hours and energy positive, facility >= IT energy, savings < 1.")
gx_finetune_vs_pretrain = mart_check(
    "fct_finetune_vs_pretrain", expectations.finetune_vs_pretrain,
    "GX: every fine-tune that loaded is present with its base; ratios positive.",
    "select count(*) from raw.workloads where finetunes is not null")
gx_model_size_tradeoffs = mart_check(
    "fct_model_size_tradeoffs", expectations.model_size_tradeoffs,
    "GX: every deployment priced from measured energy per token present, energy ratios positive, no saving "
    "above the deployment's own footprint, break-evens positive.",
    "select count(*) from raw.workloads where kind = 'inference' and energy_model_id is not null "
    "and requests_per_day_central > 0")
