"""Expectations on the footprint marts."""

from __future__ import annotations

MEASURES = ("it_energy_kwh", "facility_energy_kwh", "location_kgco2e", "market_kgco2e", "water_onsite_l",
            "water_offsite_l", "embodied_kgco2e")


def workload_footprint(expected_workloads: int):
    import great_expectations.expectations as gxe

    out = [gxe.ExpectTableRowCountToEqual(value=expected_workloads)]
    for measure in MEASURES:
        out += [gxe.ExpectColumnValuesToBeBetween(column=f"{measure}_{b}", min_value=0)
                for b in ("low", "central", "high")]
        out += [
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=f"{measure}_central", column_B=f"{measure}_low",
                                                        or_equal=True, ignore_row_if="either_value_is_missing"),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=f"{measure}_high", column_B=f"{measure}_central",
                                                        or_equal=True, ignore_row_if="either_value_is_missing"),
        ]
    out += [gxe.ExpectColumnValuesToNotBeNull(column=c)
            for c in ("workload_id", "intensity_source", "pue_source", "wue_source", "ewif_source", "source_file")]
    return out


def inference_footprint():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
            for c in ("energy_wh_per_request", "location_gco2e_per_request", "market_gco2e_per_request",
                      "water_ml_per_request", "energy_kwh_per_year", "location_kgco2e_per_year")] + [
        gxe.ExpectColumnValuesToNotBeNull(column="workload_id"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="location_gco2e_per_request",
                                                    column_B="market_gco2e_per_request", or_equal=True),
    ]


def training_vs_inference():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True)
            for c in ("breakeven_days_energy", "breakeven_days_carbon", "breakeven_days_water")] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=1)
        for c in ("training_share_of_energy", "training_share_of_carbon", "training_share_of_water")
    ] + [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("training_workload_id", "inference_workload_id")]


def model_lifecycle():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True)
            for c in ("years_to_overtake_energy", "years_to_overtake_carbon", "requests_per_day",
                      "use_energy_kwh_per_year", "training_energy_kwh")] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=1)
        for c in ("training_share_of_energy", "training_share_of_carbon", "training_share_of_water")
    ] + [gxe.ExpectColumnValuesToBeBetween(column="training_runs", min_value=1),
         gxe.ExpectCompoundColumnsToBeUnique(column_list=["model", "deployment_workload_id", "usage_level"])]


def provider_disclosures(disclosures: int):
    import great_expectations.expectations as gxe

    return [gxe.ExpectTableRowCountToEqual(value=disclosures),
            gxe.ExpectColumnValuesToNotBeNull(column="scope_gap"),
            gxe.ExpectColumnValuesToNotBeNull(column="source")] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
        for c in ("warehouse_energy_wh", "warehouse_location_gco2e", "warehouse_water_ml")]


def siting_options():
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column="location_kgco2e", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="water_l", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="carbon_rank", min_value=1),
        gxe.ExpectColumnValuesToNotBeNull(column="candidate_zone_id"),
    ]


def claims_audit(claims: int):
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectTableRowCountToEqual(value=claims),
        gxe.ExpectColumnValuesToBeInSet(column="verdict",
                                        value_set=["holds", "roughly holds", "does not hold", "misattributed"]),
        gxe.ExpectColumnValuesToNotBeNull(column="finding"),
        gxe.ExpectColumnValuesToNotBeNull(column="sources"),
    ]


def green_infrastructure(expected_workloads: int):
    """Every workload present; no lever raises a footprint (savings between 0 and 1)."""
    import great_expectations.expectations as gxe

    return [gxe.ExpectTableRowCountToEqual(value=expected_workloads)] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=1)
        for c in ("greenest_region_saving_share", "cfe_saving_share", "best_efficiency_saving_share",
                  "all_levers_saving_share")
    ] + [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="declared_kgco2e", column_B=c, or_equal=True,
                                                    ignore_row_if="either_value_is_missing")
        for c in ("greenest_region_kgco2e", "cfe_kgco2e", "best_efficiency_kgco2e", "all_levers_kgco2e")
    ] + [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="declared_water_l", column_B="best_efficiency_water_l",
                                                    or_equal=True),
        gxe.ExpectColumnValuesToNotBeNull(column="best_pue_source"),
    ]


def accelerator_efficiency():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True)
            for c in ("fp32_gflops_per_w", "bf16_fp16_gflops_per_w", "fp8_gflops_per_w", "memory_gb_per_w")] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=1)
        for c in ("bf16_fp16_rank_in_vendor", "bf16_fp16_rank_in_year")
    ] + [gxe.ExpectColumnValuesToBeUnique(column="canonical_name")]


def training_on_newer_hardware():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True)
            for c in ("training_flop", "accelerator_hours", "it_energy_kwh", "facility_energy_kwh")] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0) for c in ("location_kgco2e", "water_l")
    ] + [
        gxe.ExpectColumnValuesToBeBetween(column="energy_saving_share", max_value=1, strict_max=True),
        gxe.ExpectColumnValuesToBeBetween(column="energy_saving_vs_as_run_share", max_value=1, strict_max=True),
        # a published FLOP count above the part's peak over the declared hours is a wrong figure
        gxe.ExpectColumnValuesToBeBetween(column="as_run_utilisation", min_value=0, max_value=1, strict_min=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="facility_energy_kwh", column_B="it_energy_kwh",
                                                    or_equal=True),
    ]


def finetune_vs_pretrain(expected_finetunes: int):
    """Every declared fine-tune present (its base loaded); ratios positive; counts consistent."""
    import great_expectations.expectations as gxe

    return [gxe.ExpectTableRowCountToEqual(value=expected_finetunes)] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True)
        for c in ("carbon_ratio", "energy_ratio", "finetunes_to_equal_pretraining", "base_kgco2e")
    ] + [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("finetune_workload_id", "base_workload_id")]


def energy_per_token():
    """Measured energy per token: positive, ordered, sourced; one row per task, model and GPU setup."""
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True)
            for c in ("energy_per_token_j_low", "energy_per_token_j_central", "energy_per_token_j_high",
                      "avg_output_tokens", "num_gpus", "activated_params_billions")] + [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="energy_per_token_j_central",
                                                    column_B="energy_per_token_j_low", or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="energy_per_token_j_high",
                                                    column_B="energy_per_token_j_central", or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="total_params_billions",
                                                    column_B="activated_params_billions", or_equal=True),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["task", "model_id", "gpu_model", "num_gpus"]),
    ] + [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("source", "vintage", "licence")]


def model_size_tradeoffs(expected_deployments: int):
    """Every deployment priced from measured energy per token present; ratios positive; no saving
    above the original; a break-even only where there is a distillation and a saving."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnUniqueValueCountToBeBetween(column="workload_id", min_value=expected_deployments,
                                                    max_value=expected_deployments),
        gxe.ExpectColumnValuesToBeBetween(column="energy_ratio", min_value=0, strict_min=True),
        gxe.ExpectColumnValuesToBeBetween(column="saving_share", max_value=1, strict_max=True),
        gxe.ExpectColumnValuesToBeBetween(column="break_even_requests", min_value=0, strict_min=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="deployed_location_kgco2e_per_year",
                                                    column_B="saving_kgco2e_per_year"),
        gxe.ExpectColumnValuesToBeInSet(column="size_relation", value_set=["smaller", "same size", "larger"]),
    ] + [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True)
         for c in ("energy_wh_per_request", "location_kgco2e_per_year", "option_j_per_token")]
