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
