"""Expectations on the accelerator catalog, raw layer and mart layer."""

from __future__ import annotations

import datetime as dt

# Plausibility bounds. Sources: the largest accelerator boards are ~1,750 W (NVIDIA B300 class),
# the first accelerator in the catalog is from 2012, and vendors announce up to ~2 years ahead.
TDP_RANGE_W = (1, 2000)
FIRST_RELEASE_YEAR = 2005


def _latest_release_year() -> int:
    return dt.date.today().year + 2


def raw_accelerators():
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(column="canonical_name"),
        gxe.ExpectColumnValuesToBeUnique(column="canonical_name"),
        gxe.ExpectColumnValuesToNotBeNull(column="tdp_w"),
        gxe.ExpectColumnValuesToBeBetween(column="tdp_w", min_value=TDP_RANGE_W[0], max_value=TDP_RANGE_W[1]),
        gxe.ExpectColumnValuesToBeBetween(column="memory_gb", min_value=0, strict_min=True),
        gxe.ExpectColumnValuesToBeBetween(
            column="release_year", min_value=FIRST_RELEASE_YEAR, max_value=_latest_release_year()
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
        gxe.ExpectColumnValuesToNotBeNull(column="licence"),
        gxe.ExpectColumnValuesToBeInSet(column="tdp_basis", value_set=["vendor_tdp", "measured_mean", "estimate"]),
    ]


def mart_accelerators(min_rows: int = 1):
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectTableRowCountToBeBetween(min_value=min_rows),
        gxe.ExpectColumnValuesToNotBeNull(column="canonical_name"),
        gxe.ExpectColumnValuesToBeUnique(column="canonical_name"),
        gxe.ExpectColumnValuesToBeUnique(column="accelerator_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="source"),
        gxe.ExpectColumnValuesToNotBeNull(column="licence"),
        gxe.ExpectColumnValuesToBeBetween(column="tdp_w", min_value=TDP_RANGE_W[0], max_value=TDP_RANGE_W[1]),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="tdp_w", column_B="tdp_low_w", or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="tdp_high_w", column_B="tdp_w", or_equal=True),
        # An H100 SXM gives ~1.4 dense BF16 TFLOP/s per W; 20 would be a unit error.
        gxe.ExpectColumnValuesToBeBetween(column="bf16_fp16_tflops_per_w", min_value=0, max_value=20),
    ]
