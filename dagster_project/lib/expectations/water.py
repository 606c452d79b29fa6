"""Expectations on efficiency and water data."""

from __future__ import annotations

PUE_RANGE = (1.0, 3.0)  # 1.0 is the physical floor; the 2007 industry average was 2.5
WUE_RANGE = (0.0, 10.0)  # L per IT kWh; the thirstiest reported region is ~2.8
EWIF_RANGE = (0.0, 20.0)  # L per kWh generated; an all-hydro grid is ~17 with reservoir evaporation


def pue():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=PUE_RANGE[0], max_value=PUE_RANGE[1])
            for c in ("low", "central", "high")] + [gxe.ExpectColumnValuesToNotBeNull(column="source")]


def wue():
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=WUE_RANGE[0], max_value=WUE_RANGE[1])
            for c in ("low", "central", "high")] + [gxe.ExpectColumnValuesToNotBeNull(column="source")]


def water_factors():
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column="central_l_per_kwh", min_value=0, max_value=EWIF_RANGE[1]),
        gxe.ExpectColumnValuesToBeInSet(column="metric", value_set=["consumption", "withdrawal"]),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
    ]


def zone_water_intensity():
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=EWIF_RANGE[0], max_value=EWIF_RANGE[1])
        for c in ("ewif_low_l_per_kwh", "ewif_l_per_kwh", "ewif_high_l_per_kwh")
    ] + [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="ewif_l_per_kwh", column_B="ewif_low_l_per_kwh",
                                                    or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="ewif_high_l_per_kwh", column_B="ewif_l_per_kwh",
                                                    or_equal=True),
    ]


def datacenter_efficiency_mart(min_providers: int = 3):
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column="pue_central", min_value=PUE_RANGE[0], max_value=PUE_RANGE[1]),
        gxe.ExpectColumnValuesToBeBetween(column="wue_central_l_per_kwh", min_value=WUE_RANGE[0],
                                          max_value=WUE_RANGE[1]),
        gxe.ExpectColumnDistinctValuesToContainSet(column="provider", value_set=["aws", "azure", "gcp"]),
    ]
