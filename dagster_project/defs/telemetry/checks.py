"""Blocking GX checks on the telemetry marts (suites in lib/expectations/telemetry.py)."""

from dagster_project.lib.expectations import telemetry as expectations
from dagster_project.lib.gx import mart_check

gx_fleet_hourly = mart_check(
    "fct_inference_fleet_hourly", expectations.fleet_hourly,
    "GX: energy, carbon non-negative, at most 2 kWh per GPU-hour, a known method and intensity basis, every row "
    "says how its GPU was attributed.")
gx_fleet_daily = mart_check(
    "fct_inference_fleet_daily", expectations.fleet_daily,
    "GX: daily energy, carbon, requests and Wh per request non-negative, one row per source, namespace, pod, day.")
gx_declared_vs_measured = mart_check(
    "fct_inference_declared_vs_measured", expectations.declared_vs_measured,
    "GX: every match names the served model, a positive measured Wh per request, one row per workload and model.")
