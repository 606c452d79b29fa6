"""Blocking GX checks on the forecasts as issued and their accuracy (suites in lib/expectations/grid.py)."""

from dagster_project.lib.expectations import grid as expectations
from dagster_project.lib.gx import mart_check

gx_intensity_forecasts = mart_check(
    "fct_grid_intensity_forecasts", expectations.intensity_forecasts,
    "GX: forecast intensity 0-2,000 g/kWh, one row per feed, zone, basis, issue time and hour, every forecast "
    "issued before its hour ended, a known issue-time basis.", scoped_to_changes=True)
gx_forecast_accuracy = mart_check(
    "fct_grid_forecast_accuracy", expectations.forecast_accuracy,
    "GX: one row per feed, zone, basis and lead hour, lead hours from 0, no more compared hours than "
    "forecast hours, errors non-negative.")
