"""Embodied carbon for every accelerator: the component model by hand, its anchor, and the TDP check."""

import polars as pl
import pytest

from ingestion.core.accelerators import tdp_against_measurements
from ingestion.core.embodied import BOARD_KG_PER_W, embodied_estimates, modelled, server_embodied

PARTS = pl.DataFrame({
    "canonical_name": ["H100", "H100 again", "NEW", "ODD"],
    "vendor": ["N", "N", "N", "Q"], "family": ["Hopper", "Hopper", "Hopper", "X"],
    "tdp_w": [700.0, 700.0, 300.0, 100.0], "memory_gb": [80.0, 80.0, 24.0, None],
    "die_area_mm2": [814.0, 814.0, 500.0, None], "process_nm": [5.0, 4.0, 12.0, None],
    "embodied_kgco2e": [164.0, None, None, None],
    "embodied_source": ["NVIDIA HGX H100 PCF", None, None, None],
})


def test_the_model_gives_the_anchor_its_published_figure_and_keeps_published_ones():
    out = {r["canonical_name"]: r for r in embodied_estimates(PARTS).to_dicts()}
    assert out["H100"]["embodied_kgco2e"] == 164.0 and out["H100"]["embodied_method"].startswith("published")
    # the same part through the model (die 8.14 cm2 at 4 nm, 80 GB, 700 W) lands on the anchor
    assert out["H100 again"]["embodied_kgco2e"] == pytest.approx(164.0)
    assert out["H100 again"]["embodied_method"].startswith("component model")


def test_a_part_by_hand_and_an_unknown_die_gets_its_family_median_with_a_wider_range():
    rows = PARTS.to_dicts()
    (low, central, high), _ = modelled(rows[2], rows)
    die, memory, board = 5.00 * 1.2, 24 * 0.4, 300 * BOARD_KG_PER_W  # 5 cm2 at 12 nm: 1.2 kg/cm2
    assert (low, central, high) == pytest.approx((die + 0.75 * memory + 0.5 * board, die + memory + board,
                                                  die + 1.25 * memory + 1.5 * board))
    (low, central, high), method = modelled(rows[3], rows)  # vendor Q has no die area: the median of all
    assert "die area assumed (median of all parts, 814 mm2)" in method and "node unknown" in method
    assert central == pytest.approx(8.14 * 1.4 + 100 * BOARD_KG_PER_W)
    assert low < central * 0.7 and high > central * 1.3


def test_a_tdp_below_a_published_measured_average_is_flagged_unless_the_gap_is_explained():
    catalog = pl.DataFrame({"canonical_name": ["TPU", "V100", "OK"], "tdp_w": [220.0, 300.0, 450.0]})
    measured = pl.DataFrame({"accelerator": ["TPU", "TPU", "V100", "OK"],
                             "measured_avg_w": [310.0, 245.0, 330.0, 310.0],
                             "reviewed_note": [None, None, "system power with the host's share", None]})
    out = {r["canonical_name"]: r for r in tdp_against_measurements(catalog, measured).to_dicts()}
    assert out["TPU"]["tdp_below_measured"] and out["TPU"]["measured_avg_w_max"] == 310.0
    assert not out["V100"]["tdp_below_measured"] and out["V100"]["measured_avg_w_max"] is None
    assert not out["OK"]["tdp_below_measured"]


SERVERS = pl.DataFrame({"server": ["HPE Apollo 6500 Gen10 Plus", "AWS p5.48xlarge"], "accelerators_per_server": [8, 8],
                        "generation_year": [2020, 2023], "embodied_kgco2e": [2500.0, 5700.0],
                        "source": ["Luccioni et al. 2023", "EcoLogits"]})


def test_a_parts_server_is_the_published_lca_of_the_nearest_generation_with_the_published_span():
    parts = pl.DataFrame({"canonical_name": ["A100", "V100", "H100", "next", "tie", "TPU", "desk"],
                          "form_factor": ["SXM", "SXM", "SXM", "OAM", "PCIe", "TPU chip", "Consumer PCIe"],
                          "release_year": [2020, 2017, 2022, None, 2021, 2018, 2020]})
    parts = parts.with_columns(pl.col("release_year").cast(pl.Int32))
    lcas = SERVERS.with_columns(generation_year=pl.Series([2020, 2022]))  # a tie for 2021: the newer
    out = {r["canonical_name"]: r for r in server_embodied(parts, SERVERS).to_dicts()}
    assert [out[p]["server_embodied_kgco2e"] for p in ("A100", "V100", "H100", "next")] == [2500, 2500, 5700, 5700]
    assert (out["A100"]["server_embodied_low_kgco2e"], out["A100"]["server_embodied_high_kgco2e"]) == (2500, 5700)
    assert out["A100"]["server_accelerators"] == 8 and "HPE Apollo 6500" in out["A100"]["server_embodied_method"]
    assert server_embodied(parts, lcas).filter(pl.col("canonical_name") == "tie")["server_embodied_kgco2e"][0] == 5700
    for host in ("TPU", "desk"):
        assert out[host]["server_embodied_kgco2e"] is None
        assert out[host]["server_embodied_method"].startswith("no published server LCA")
