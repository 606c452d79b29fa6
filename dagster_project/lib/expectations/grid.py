"""Expectations on grid data, raw layer and marts."""

from __future__ import annotations

from ingestion.sources.grid.forecasts import ISSUED_AT_BASES

# No grid emits more than ~1,200 gCO2e/kWh even on pure lignite; 2,000 leaves room, catches unit slips.
INTENSITY_RANGE = (0, 2000)


def raw_annual_intensity():
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(column="zone_id"),
        gxe.ExpectColumnValuesToBeBetween(column="gco2e_per_kwh", min_value=INTENSITY_RANGE[0],
                                          max_value=INTENSITY_RANGE[1]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["zone_id", "year", "basis"]),
        gxe.ExpectColumnValuesToBeInSet(column="basis", value_set=["lifecycle", "direct"]),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
        gxe.ExpectColumnValuesToNotBeNull(column="licence"),
    ]


def raw_annual_mix():
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column="share_pct", min_value=0, max_value=100),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["zone_id", "year", "fuel"]),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
    ]


def mart_annual_intensity(min_zones: int = 200):
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnUniqueValueCountToBeBetween(column="zone_id", min_value=min_zones),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["zone_id", "year", "basis"]),
        gxe.ExpectColumnValuesToBeBetween(column="gco2e_per_kwh", min_value=INTENSITY_RANGE[0],
                                          max_value=INTENSITY_RANGE[1]),
        gxe.ExpectColumnValuesToNotBeNull(column="zone_name"),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
    ]


def hourly_observations():
    """For raw observation tables and the hourly mart (which carry the same core columns)."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column="gco2e_per_kwh", min_value=INTENSITY_RANGE[0],
                                          max_value=INTENSITY_RANGE[1]),
        gxe.ExpectColumnValuesToBeInSet(column="kind",
                                        value_set=["actual", "forecast", "estimated", "computed_from_mix"]),
        gxe.ExpectColumnValuesToNotBeNull(column="zone_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
        # A value measured before its period ended cannot be an actual: it was a forecast.
        gxe.ExpectColumnValuesToBeInSet(column="actual_before_period_end", value_set=[False]),
    ]


def mix_totals():
    """On per-(zone, period) sums of a generation mix: shares add up to 100 % ± 1."""
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column="total_share_pct", min_value=99, max_value=101)]


def intensity_forecasts():
    """Forecasts as issued (marts.fct_grid_intensity_forecasts)."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(column="forecast_gco2e_per_kwh", min_value=INTENSITY_RANGE[0],
                                          max_value=INTENSITY_RANGE[1]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["signal", "feed", "zone_id", "basis", "issued_at",
                                                         "hour_start"]),
        gxe.ExpectColumnValuesToBeInSet(column="signal", value_set=["average", "marginal"]),
        gxe.ExpectColumnValuesToBeInSet(column="issued_at_basis", value_set=list(ISSUED_AT_BASES)),
        # a forecast is issued before its hour ends: a value for a past hour would be hindsight
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="hour_end", column_B="issued_at"),
        gxe.ExpectColumnValuesToBeBetween(column="minutes_covered", min_value=1, max_value=60),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
    ]


def forecast_accuracy():
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["signal", "feed", "zone_id", "basis", "lead_hour"]),
        gxe.ExpectColumnValuesToBeBetween(column="lead_hour", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="forecast_hours", column_B="hours_with_actual",
                                                    or_equal=True),
        gxe.ExpectColumnValuesToBeBetween(column="mean_absolute_error_gco2e_per_kwh", min_value=0),
    ]
