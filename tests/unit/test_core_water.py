import polars as pl
import pytest

from ingestion.core.water import ewif_from_mix

FACTORS = pl.DataFrame({
    "fuel": ["coal", "gas", "nuclear", "hydro", "wind", "solar"],
    "low_l_per_kwh": [0.159, 0.0076, 1.0183, 17.0, 0.0, 0.0038],
    "central_l_per_kwh": [1.8019, 1.0864, 1.9571, 17.0, 0.0, 0.0038],
    "high_l_per_kwh": [3.4864, 3.1268, 2.5438, 17.0, 0.0, 0.0038],
})


def mix(**shares):
    return pl.DataFrame({"zone_id": ["Z"] * len(shares), "year": [2022] * len(shares),
                         "fuel": list(shares), "share_pct": [float(v) for v in shares.values()]})


def test_ewif_is_the_share_weighted_water_factor():
    # 50 % gas + 30 % nuclear + 20 % wind: 0.5*1.0864 + 0.3*1.9571 + 0 = 1.13033 L/kWh
    out = ewif_from_mix(mix(gas=50, nuclear=30, wind=20), FACTORS, ["zone_id", "year"]).row(0, named=True)
    assert out["ewif_l_per_kwh"] == pytest.approx(0.5 * 1.0864 + 0.3 * 1.9571)
    assert out["ewif_low_l_per_kwh"] == pytest.approx(0.5 * 0.0076 + 0.3 * 1.0183)
    assert out["ewif_high_l_per_kwh"] == pytest.approx(0.5 * 3.1268 + 0.3 * 2.5438)
    assert out["mix_covered_pct"] == 100


def test_hydro_evaporation_is_shown_with_and_without():
    out = ewif_from_mix(mix(hydro=50, coal=50), FACTORS, ["zone_id", "year"]).row(0, named=True)
    assert out["ewif_l_per_kwh"] == pytest.approx(0.5 * 17.0 + 0.5 * 1.8019)
    assert out["ewif_excl_hydro_l_per_kwh"] == pytest.approx(1.8019)
    assert out["hydro_share_pct"] == 50


def test_storage_and_imports_are_left_out_and_unknown_fuels_reduce_coverage():
    # imports left out entirely; "other" has no factor here: it lowers the covered share.
    out = ewif_from_mix(mix(gas=40, imports=20, other=20, nuclear=20), FACTORS, ["zone_id", "year"]).row(0, named=True)
    assert out["ewif_l_per_kwh"] == pytest.approx((40 * 1.0864 + 20 * 1.9571) / 60)
    assert out["mix_covered_pct"] == pytest.approx(75)
