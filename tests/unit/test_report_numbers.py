"""The report's number formats, by hand: significant figures with separators and never an exponent,
durations in the unit that reads best, ranges left out where they are one value."""

import pytest

from dagster_project.lib.report.numbers import duration, human, share, spread


@pytest.mark.parametrize(("value", "text"), [
    (8937.432, "8,940"), (1287.0, "1,290"), (700000.0, "700,000"), (0.026234, "0.0262"), (0.00027, "0.00027"),
    (0.9, "0.9"), (5.0, "5"), (-1234.5, "-1,230"), (0, "0"), (None, ""), (2.5e9, "2.5 billion"),
    (1.0e-4, "0.0001"), (99.96, "100"), (118996139.3, "119,000,000"),
])
def test_human_rounds_to_three_figures_without_an_exponent(value, text):
    assert human(value) == text


def test_human_reads_ints_and_decimals_as_numbers():
    from decimal import Decimal

    assert human(1080) == "1,080" and human(Decimal("540.0")) == "540" and human(float("nan")) == ""


def test_human_keeps_more_figures_when_asked():
    assert human(1287.0, 6) == "1,287" and human(0.9, 6) == "0.9"


@pytest.mark.parametrize(("days", "text"), [
    (0.25, "6 hours"), (1, "1 day"), (21.0, "21 days"), (100, "3.3 months"), (471.507 * 365.25, "472 years"),
    (8480.32 * 365.25, "8,480 years"), (365.25 * 1.0, "12 months"), (2 * 365.25, "2 years"),
])
def test_a_duration_reads_in_the_unit_that_fits(days, text):
    assert duration(days) == text


def test_a_range_is_printed_only_where_it_is_one():
    assert spread(91.25, 109.5, 127.75, "kWh") == "110 (91.3–128) kWh"
    assert spread(1289.376, 1289.376, 1289.376, "MWh") == "1,290 MWh"
    assert share(0.0562) == "5.6 %" and share(None) == ""
