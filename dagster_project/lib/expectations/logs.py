"""Expectations on the job-footprint marts built from logs."""

from __future__ import annotations

from ingestion.core.decisions import DECISIONS

BASES = ["hourly", "annual (no hourly data for every hour)", "hourly and annual (per day)"]


def job_footprint(expected_jobs: int):
    import great_expectations.expectations as gxe

    return [gxe.ExpectTableRowCountToEqual(value=expected_jobs)] + [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
        for c in ("hours", "it_energy_kwh", "facility_energy_kwh", "location_kgco2e", "water_onsite_l",
                  "water_offsite_l")
    ] + [
        gxe.ExpectColumnValuesToBeBetween(column="pue", min_value=1),
        gxe.ExpectColumnValuesToBeInSet(column="intensity_basis", value_set=BASES),
        gxe.ExpectColumnValuesToBeUnique(column="job_key"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="end_utc", column_B="start_utc", or_equal=True),
    ] + [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("zone_id", "power_basis", "source_file")]


def job_footprint_daily():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
            for c in ("job_hours", "it_energy_kwh", "facility_energy_kwh", "location_kgco2e")] + [
        gxe.ExpectColumnValuesToBeBetween(column="job_hours", max_value=24 * 100_000),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="location_kgco2e", column_B="hourly_priced_kgco2e",
                                                    or_equal=True),
    ]


def carbon_aware_savings():

    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column="saving_kgco2e", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="saving_share", min_value=0, max_value=1),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="original_kgco2e", column_B="best_kgco2e",
                                                    or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="flexibility_h", column_B="delay_h", or_equal=True),
        gxe.ExpectColumnValuesToBeBetween(column="delay_h", min_value=0),
        # as decided: never better than hindsight, within the flexibility, on a known signal and decision
        gxe.ExpectColumnValuesToBeBetween(column="regret_kgco2e", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="flexibility_h", column_B="decided_delay_h",
                                                    or_equal=True),
        gxe.ExpectColumnValuesToBeBetween(column="decided_delay_h", min_value=0),
        gxe.ExpectColumnValuesToBeInSet(column="signal", value_set=["average", "marginal"]),
        gxe.ExpectColumnValuesToBeInSet(column="decision", value_set=list(DECISIONS)),
    ]


def gpu_power_hourly():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
            for c in ("gpu_energy_kwh", "facility_energy_kwh", "location_kgco2e", "intensity_g_per_kwh")] + [
        gxe.ExpectColumnValuesToBeInSet(column="intensity_basis",
                                        value_set=["hourly", "annual (no hourly data for this hour)"]),
        gxe.ExpectColumnValuesToBeBetween(column="samples", min_value=1),
    ]
