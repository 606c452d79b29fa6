"""Expectations on the telemetry marts (GPU energy from Prometheus)."""

from __future__ import annotations

METHODS = ["counter", "power x step"]


def fleet_hourly():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
            for c in ("gpu_energy_kwh", "facility_energy_kwh", "location_kgco2e")] + [
        gxe.ExpectColumnValuesToBeInSet(column="method", value_set=METHODS),
        gxe.ExpectColumnValuesToBeInSet(column="intensity_basis",
                                        value_set=["hourly", "annual (no hourly data for this hour)"]),
        # a GPU draws at most ~1.2 kW (B200): an hour over 2 kWh on one GPU is a unit slip
        gxe.ExpectColumnValuesToBeBetween(column="gpu_energy_kwh", max_value=2.0),
        gxe.ExpectColumnValuesToNotBeNull(column="attribution"),
    ]


def fleet_daily():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
            for c in ("gpu_energy_kwh", "facility_energy_kwh", "location_kgco2e", "requests", "wh_per_request")] + [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["source", "namespace", "pod", "day"])]


def declared_vs_measured():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToNotBeNull(column="served_model"),
            gxe.ExpectColumnValuesToBeBetween(column="measured_wh_per_request", min_value=0, strict_min=True),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["workload_id", "served_model"])]
