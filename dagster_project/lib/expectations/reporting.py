"""Expectations on the reporting marts (the formats others define)."""

from __future__ import annotations

AI_ACT_FIELDS = ["hardware", "training_time", "accelerator_hours", "training_compute", "energy_consumption",
                 "energy_method"]


def operator_monthly():
    import great_expectations.expectations as gxe

    shares = ["waste_share_of_energy", "waste_share_of_gpu_hours", "failed_share_of_energy",
              "cancelled_share_of_energy", "timeout_share_of_energy", "out_of_memory_share_of_energy"]
    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=1 + 1e-9) for c in shares] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
        for c in ("gpu_hours", "facility_energy_kwh", "location_kgco2e", "water_l", "waste_energy_kwh")] + [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["cluster", "account", "user_name", "month"])]


def ai_act(expected_rows: int):
    """expected_rows: every field of every training workload, present or marked missing."""
    import great_expectations.expectations as gxe

    return [gxe.ExpectTableRowCountToEqual(value=expected_rows),
            gxe.ExpectColumnValuesToBeInSet(column="field", value_set=AI_ACT_FIELDS),
            gxe.ExpectColumnValuesToBeInSet(column="basis", value_set=["measured", "estimated", "declared", "missing"]),
            gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0),
            gxe.ExpectColumnValuesToNotBeNull(column="mart_columns"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["workload_id", "field"])]


def sci():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column="r_units", min_value=0, strict_min=True),
            gxe.ExpectColumnValuesToBeBetween(column="sci_gco2e_per_unit", min_value=0),
            gxe.ExpectColumnValuesToBeInSet(column="functional_unit", value_set=["training run", "request",
                                                                                 "1,000 tokens"]),
            gxe.ExpectColumnValuesToNotBeNull(column="boundary"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["workload_id", "functional_unit"])]


def boamps():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("task_stage", "measurement_method", "it_energy_kwh",
                                                                   "infra_type", "quality")] + [
        gxe.ExpectColumnValuesToBeInSet(column="quality", value_set=["high", "medium", "low"]),
        gxe.ExpectColumnValuesToBeInSet(column="infra_type", value_set=["publicCloud", "privateCloud", "onPremise",
                                                                        "other"]),
        gxe.ExpectColumnValuesToBeBetween(column="it_energy_kwh", min_value=0)]
