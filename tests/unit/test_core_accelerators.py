import datetime as dt

import polars as pl
import pytest

from ingestion.core.accelerators import enrich_accelerators


MEASURED = pl.DataFrame(schema={"accelerator": pl.String, "measured_avg_w": pl.Float64, "reviewed_note": pl.String})
SERVERS = pl.DataFrame({"server": ["S"], "accelerators_per_server": [8], "generation_year": [2020],
                        "embodied_kgco2e": [2500.0], "source": ["s"]})


def frame(**overrides):
    base = {
        "canonical_name": ["A", "B", "C"],
        "vendor": ["V", "V", "W"],
        "tdp_w": [400.0, 700.0, 100.0],
        "tdp_min_w": [None, 600.0, None],
        "tdp_max_w": [None, 700.0, None],
        "peak_fp32_tflops": [20.0, 70.0, None],
        "peak_tf32_tflops": [None, None, None],
        "peak_bf16_fp16_tflops": [312.0, 989.0, 50.0],
        "peak_fp8_tflops": [None, 1979.0, None],
        "release_date": [dt.date(2020, 5, 14), dt.date(2022, 9, 20), None],
        "family": ["F", "F", "G"], "memory_gb": [40.0, 80.0, None], "die_area_mm2": [826.0, 814.0, None],
        "process_nm": [7.0, 4.0, None], "embodied_kgco2e": [None, 164.0, None], "embodied_source": [None, "p", None],
        "form_factor": ["SXM", "SXM", "TPU chip"],
    }
    return pl.DataFrame({**base, **overrides})


def test_range_falls_back_to_the_tdp_where_no_range_is_published():
    out = enrich_accelerators(frame(), MEASURED, SERVERS).sort("canonical_name")
    assert out["tdp_low_w"].to_list() == [400.0, 600.0, 100.0]
    assert out["tdp_high_w"].to_list() == [400.0, 700.0, 100.0]


def test_efficiency_is_peak_over_tdp_and_null_where_unpublished():
    out = enrich_accelerators(frame(), MEASURED, SERVERS).sort("canonical_name")
    assert out["bf16_fp16_tflops_per_w"].to_list() == [pytest.approx(0.78), pytest.approx(1.412857), 0.5]
    assert out["fp8_tflops_per_w"].to_list() == [None, pytest.approx(2.827143), None]
    assert out["release_year"].to_list() == [2020, 2022, None]


def test_rank_is_within_the_vendor_most_efficient_first():
    out = enrich_accelerators(frame(), MEASURED, SERVERS).sort("canonical_name")
    assert out["bf16_fp16_efficiency_rank_in_vendor"].to_list() == [2, 1, 1]
