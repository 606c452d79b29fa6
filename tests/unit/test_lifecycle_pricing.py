"""The lifecycle terms of the one pricing function, on hand-computed cases: idle energy beside the
dynamic energy, embodied carbon over a lifetime at a use rate, totals, a deployment's idle floor,
and a per-request energy with no hardware."""

import polars as pl
import pytest

from ingestion.core.footprint import References, workload_footprint
from tests.unit.test_workloads import load, refs, workload


def test_idle_plus_dynamic_plus_embodied_at_a_use_rate_by_hand():
    # 2 accelerators x 24 h at 400 W (central TDP) = 19.2 kWh dynamic; + 4.8 kWh idle = 24 kWh IT.
    # Embodied: 150 kg each over 4 years busy 50 % of the time: 2 x 24 / (4 x 8760 x 0.5) x 150.
    out = workload_footprint(workload(idle_energy_kwh_low=4.8, idle_energy_kwh_central=4.8,
                                      idle_energy_kwh_high=4.8, lifetime_years=4.0, use_rate=0.5), refs())
    assert out["it_energy_kwh_central"] == pytest.approx(24.0)
    assert out["idle_energy_kwh_central"] == pytest.approx(4.8)
    assert out["facility_energy_kwh_central"] == pytest.approx(24.0 * 1.5)
    embodied = 2 * 24 / (4 * 8760 * 0.5) * 150
    assert out["embodied_kgco2e_central"] == pytest.approx(embodied)
    assert out["total_location_kgco2e_central"] == pytest.approx(24.0 * 1.5 * 0.2 + embodied)
    assert out["total_market_kgco2e_central"] == pytest.approx(out["market_kgco2e_central"] + embodied)
    assert out["total_includes_embodied"] and "idle energy" in out["power_basis"]


def test_embodied_range_and_server_share_from_the_catalog():
    catalog = refs().accelerators.with_columns(embodied_low_kgco2e=pl.lit(100.0), embodied_high_kgco2e=pl.lit(200.0),
                                               embodied_method=pl.lit("component model"))
    priced = workload_footprint(workload(embodied_server_kg_low=800.0, embodied_server_kg_central=800.0,
                                         embodied_server_kg_high=800.0, accelerators_per_server=8),
                                References(**{**refs().__dict__, "accelerators": catalog}))
    share = 2 * 24 / (4 * 8760)
    assert (priced["embodied_kgco2e_low"], priced["embodied_kgco2e_central"], priced["embodied_kgco2e_high"]) == \
        pytest.approx((share * 200, share * 250, share * 300))
    assert priced["embodied_source"] == "catalog (component model) + server share (workload)"


def test_the_server_share_defaults_to_the_catalogs_published_server_lca():
    # 2 x 24 h of an accelerator (150 kg) in an 8-way server of 2,500 / 5,700 / 5,700 kg over 4 years
    catalog = refs().accelerators.with_columns(
        server_embodied_low_kgco2e=pl.lit(2500.0), server_embodied_kgco2e=pl.lit(5700.0),
        server_embodied_high_kgco2e=pl.lit(5700.0), server_accelerators=pl.lit(8))
    with_servers = References(**{**refs().__dict__, "accelerators": catalog})
    priced = workload_footprint(workload(), with_servers)
    share = 2 * 24 / (4 * 8760)
    assert (priced["embodied_kgco2e_low"], priced["embodied_kgco2e_central"], priced["embodied_kgco2e_high"]) == \
        pytest.approx((share * (150 + 2500 / 8), share * (150 + 5700 / 8), share * (150 + 5700 / 8)))
    assert priced["embodied_source"].endswith("+ server share (published server LCA)")
    # a workload's own server figure wins, and server_kg 0 says the host is not to be counted
    none = workload_footprint(workload(embodied_server_kg_low=0.0, embodied_server_kg_central=0.0,
                                       embodied_server_kg_high=0.0), with_servers)
    assert none["embodied_kgco2e_central"] == pytest.approx(share * 150)
    assert none["embodied_source"].endswith("+ server share (workload)")


def per_request(**extra):
    # 4 accelerators for a day, 50,000 requests at 0.066 Wh: 3.3 kWh of IT energy from the requests
    return workload(kind="inference", accelerator_count=4, requests_per_day_low=50_000.0,
                    requests_per_day_central=50_000.0, requests_per_day_high=50_000.0,
                    energy_per_request_wh_low=0.066, energy_per_request_wh_central=0.066,
                    energy_per_request_wh_high=0.066) | extra


def test_reserved_accelerators_bound_a_per_request_energy_from_below():
    alone = workload_footprint(per_request(), refs())
    assert alone["it_energy_kwh_central"] == pytest.approx(3.3)
    assert "no floor applied" in alone["energy_floor_basis"]
    # idling at 100 W, 4 accelerators x 24 h draw 9.6 kWh: the floor sets the energy
    idle = workload_footprint(per_request(idle_w_low=100.0, idle_w_central=100.0, idle_w_high=100.0), refs())
    assert idle["it_energy_kwh_central"] == pytest.approx(9.6)
    assert idle["energy_floor_basis"].startswith("reserved accelerators' idle draw (power.idle_w): the floor applied")
    # a declared utilisation bounds it at utilisation x TDP: 0.1 x 300/400/500 W x 96 h (the low stays 3.3)
    low_use = workload_footprint(per_request(utilisation_low=0.1, utilisation_central=0.1,
                                             utilisation_high=0.1), refs())
    assert (low_use["it_energy_kwh_low"], low_use["it_energy_kwh_central"], low_use["it_energy_kwh_high"]) == \
        pytest.approx((3.3, 3.84, 4.8))
    assert low_use["energy_floor_basis"].startswith("reserved accelerators' utilisation x TDP: the floor applied")


def test_a_country_fallback_is_named_with_the_zone_used():
    zones = pl.DataFrame({"zone_id": ["Z", "Z-SUB"], "country_zone_id": ["Z", "Z"]})
    out = workload_footprint(workload(zone_id="Z-SUB"), References(**{**refs().__dict__, "zones": zones}))
    assert out["intensity_zone_id"] == "Z" and out["country_zone_id"] == "Z"
    assert out["intensity_source"] == "annual Z 2024 (zone Z-SUB has no annual series: its country's)"


def test_a_per_request_energy_needs_no_hardware_and_says_embodied_is_not_counted(tmp_path, resolver, places):
    body = ("  - {id: api, kind: inference, days: 365, location: {country: FR},"
            " inference: {requests_per_day: 1000, energy_per_request_wh: 0.3}}\n")
    rows = load(tmp_path, body, resolver, places).rows.filter(pl.col("workload_id") == "api")
    assert rows.height == 1 and rows["accelerator"][0] is None
    out = workload_footprint(rows.row(0, named=True), _fr_refs())
    assert out["it_energy_kwh_central"] == pytest.approx(1000 * 0.3 * 365 / 1000)
    assert out["embodied_kgco2e_central"] is None and not out["total_includes_embodied"]
    assert out["embodied_source"] == "no accelerator named: embodied carbon not counted"
    assert out["total_location_kgco2e_central"] == out["location_kgco2e_central"]


def _fr_refs() -> References:
    base = refs()
    return References(**{**base.__dict__, "zones": pl.DataFrame({"zone_id": ["FR"], "country_zone_id": ["FR"]}),
                         "annual": base.annual.with_columns(zone_id=pl.lit("FR"))})


def test_a_per_request_energy_can_follow_li2023(tmp_path, resolver, places):
    body = ("  - {id: li, kind: inference, convention: li2023, days: 1, location: {country: FR},"
            " inference: {requests_per_day: 10, energy_per_request_wh: 3.0}}\n")
    result = load(tmp_path, body, resolver, places)
    assert result.rejected.height == 0 and "li" in result.rows["workload_id"].to_list()
