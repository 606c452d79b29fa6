"""Blocking GX checks on the reporting marts (suites in lib/expectations/reporting.py)."""

from dagster_project.lib.expectations import reporting as expectations
from dagster_project.lib.gx import mart_check

gx_operator_monthly = mart_check(
    "fct_operator_monthly", expectations.operator_monthly,
    "GX: waste shares within 0-1, GPU-hours, energy, carbon and water non-negative, one row per cluster, account, "
    "user and month.")
gx_report_ai_act = mart_check(
    "fct_report_ai_act", expectations.ai_act,
    "GX: every field of the form for every training workload (present or marked missing), a known basis "
    "(measured, estimated, declared, missing), every figure traced to its mart columns.",
    expected_rows_sql=f"select {len(expectations.AI_ACT_FIELDS)} * count(*) from marts.fct_workload_footprint "
                      "where kind = 'training'")
gx_report_sci = mart_check(
    "fct_report_sci", expectations.sci,
    "GX: R positive, scores non-negative, a known functional unit and a stated boundary, one row per workload "
    "and unit.")
gx_report_boamps = mart_check(
    "fct_report_boamps", expectations.boamps,
    "GX: every report has the fields BoAmps requires (stage, method, energy, infrastructure type, quality) "
    "within the format's vocabulary.")
