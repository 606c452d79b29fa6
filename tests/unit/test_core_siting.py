"""Siting options priced by the one pricing function, by hand."""

import polars as pl
import pytest

from ingestion.core.footprint import References
from ingestion.core.siting import siting_options
from tests.unit.test_workloads import refs, workload

REGIONS = pl.DataFrame({"provider": ["aws", "aws", "gcp"], "region": ["a", "b", "c"], "zone_id": ["A", "B", "C"]})


def references() -> References:
    base = refs()
    return References(**{
        **base.__dict__,
        "zones": pl.DataFrame({"zone_id": ["A", "B", "C"], "country_zone_id": ["A", "C", "C"]}),
        # A: 100 g in 2024; C (B's country): 50 g in 2024 and 500 g in 2023
        "annual": pl.DataFrame({"zone_id": ["A", "A", "C", "C"], "year": [2023, 2024, 2023, 2024],
                                "gco2e_per_kwh": [300.0, 100.0, 500.0, 50.0]}),
        "ewif": pl.DataFrame({"zone_id": ["A", "C"], "year": [2024, 2024], "ewif_low_l_per_kwh": [2.0, 1.0],
                              "ewif_l_per_kwh": [2.0, 1.0], "ewif_high_l_per_kwh": [2.0, 1.0]}),
    })


def test_each_region_is_priced_like_the_workload_and_a_zone_without_data_falls_back_to_its_country():
    rows = pl.DataFrame([workload(provider="aws", region="a", zone_id="A")])
    options = {r["candidate_region"]: r for r in siting_options(rows, REGIONS, references()).to_dicts()}
    assert set(options) == {"a", "b"}  # the provider's regions only
    facility = 2 * 24 * 0.4 * 1.5  # 2 accelerators x 24 h x 400 W x the default PUE 1.5 = 57.6 kWh
    assert options["a"]["location_kgco2e"] == pytest.approx(facility * 0.100)
    assert options["a"]["location_kgco2e"] == options["a"]["current_location_kgco2e"]
    assert options["a"]["is_current_region"] and options["a"]["water_l"] == options["a"]["current_water_l"]
    assert options["b"]["location_kgco2e"] == pytest.approx(facility * 0.050)
    assert options["b"]["water_l"] == pytest.approx(2 * 24 * 0.4 * 0.5 + facility * 1.0)  # on site + C's EWIF
    assert options["b"]["intensity_zone_id"] == "C"
    assert "zone B has no annual series" in options["b"]["intensity_source"]


def test_a_workload_declaring_an_older_year_is_compared_in_that_year_everywhere():
    rows = pl.DataFrame([workload(provider="aws", region="a", zone_id="A", year=2023)])
    options = {r["candidate_region"]: r for r in siting_options(rows, REGIONS, references()).to_dicts()}
    assert options["a"]["intensity_g_per_kwh"] == 300.0 and options["b"]["intensity_g_per_kwh"] == 500.0
    assert options["a"]["location_kgco2e"] == options["a"]["current_location_kgco2e"]  # no saving where it ran


def marginal_hours(zone: str, values: list[float], start=None) -> pl.DataFrame:
    import datetime as dt

    first = start or dt.datetime(2024, 6, 1)
    return pl.DataFrame({"zone_id": zone, "hour_start": [first + dt.timedelta(hours=i) for i in range(len(values))],
                         "gco2e_per_kwh": values})


def test_the_marginal_saving_stands_beside_the_average_one_and_can_point_the_other_way():
    # On the average, B (50 g) is greener than A (100 g); at the margin B's load is met by gas (600 g)
    # and A's by curtailed wind (a mean of 200 g): moving to B cuts the inventory and adds emissions.
    marginal = pl.concat([marginal_hours("A", [100.0, 300.0]), marginal_hours("B", [600.0, 600.0, 600.0])])
    rows = pl.DataFrame([workload(provider="aws", region="a", zone_id="A")])
    options = {r["candidate_region"]: r for r in siting_options(rows, REGIONS, references(), marginal).to_dicts()}
    facility = 2 * 24 * 0.4 * 1.5  # 28.8 kWh, as above
    assert options["b"]["location_kgco2e"] < options["a"]["location_kgco2e"]  # attributional: B is better
    assert options["a"]["marginal_kgco2e"] == pytest.approx(facility * 0.200)
    assert options["b"]["marginal_kgco2e"] == pytest.approx(facility * 0.600)
    assert options["b"]["current_marginal_kgco2e"] == pytest.approx(facility * 0.200)
    assert options["b"]["marginal_basis"] == "marginal (B): mean of the 3 hours held, 2024-06-01 to 2024-06-01"
    without = siting_options(rows, REGIONS, references()).to_dicts()
    assert all(r["marginal_kgco2e"] is None and r["marginal_basis"] is None for r in without)


def test_a_workload_with_a_period_takes_the_marginal_mean_over_its_own_hours():
    import datetime as dt

    start = dt.datetime(2024, 6, 1, 1)
    rows = pl.DataFrame([workload(provider="aws", region="a", zone_id="A", period_start=start,
                                  period_end=start + dt.timedelta(hours=2))])
    marginal = marginal_hours("A", [1000.0, 400.0, 200.0, 1000.0])  # 00:00 to 03:00; the period is 01:00-03:00
    option = next(r for r in siting_options(rows, REGIONS, references(), marginal).to_dicts()
                  if r["candidate_region"] == "a")
    assert option["marginal_g_per_kwh"] == pytest.approx(300.0)
    assert option["marginal_basis"] == "marginal (A): hourly mean over the workload's period"
