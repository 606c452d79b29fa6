"""The claims audit's reference values agree with the sources they cite."""

import csv

import pytest

from tests.conftest import DATA

CDG_JFK_RETURN_KM = 2 * 5834  # great-circle distance, both ways


def reference_values() -> dict[str, dict]:
    with (DATA / "audit" / "audit_reference_values.csv").open(encoding="utf-8") as handle:
        return {row["reference_id"]: row for row in csv.DictReader(handle)}


def green_algorithms(shared_reference) -> dict[str, float]:
    with (shared_reference / "green-algorithms/latest/referenceValues.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[2:]  # a units row, then the header
    return {name: float(value) for name, value, *_ in rows}


def test_flight_and_car_factors_match_green_algorithms(shared_reference):
    ga, ours = green_algorithms(shared_reference), reference_values()
    flight = ours["flight_paris_new_york_return"]
    assert float(flight["central"]) == pytest.approx(ga["flight_economy_perkm"] / 1000 * CDG_JFK_RETURN_KM, abs=1)
    # GA states the spread "more like 139-244g" in words, not as a value
    assert (float(flight["low"]), float(flight["high"])) == pytest.approx(
        (0.139 * CDG_JFK_RETURN_KM, 0.244 * CDG_JFK_RETURN_KM), abs=1)
    car = ours["petrol_diesel_car"]
    assert float(car["central"]) == ga["passengerCar_EU_perkm"] / 1000
    assert float(car["high"]) == ga["passengerCar_US_perkm"] / 1000


def test_every_reference_value_has_an_ordered_range_a_source_and_a_licence():
    for reference_id, row in reference_values().items():
        low, central, high = (float(row[b]) for b in ("low", "central", "high"))
        assert low <= central <= high, reference_id
        assert row["source"] and row["licence"] and row["year"], reference_id
