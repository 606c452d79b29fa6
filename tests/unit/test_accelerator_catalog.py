import csv
import shutil
from pathlib import Path

import pytest

from ingestion.sources.hardware.load import HardwareInputs, load_accelerators
from tests.conftest import DATA

REQUIRED = [
    "NVIDIA Tesla V100 SXM2 16GB", "NVIDIA A100 PCIe 40GB", "NVIDIA A100 PCIe 80GB",
    "NVIDIA A100 SXM4 40GB", "NVIDIA A100 SXM4 80GB", "NVIDIA H100 PCIe", "NVIDIA H100 SXM5 80GB",
    "NVIDIA H100 NVL", "NVIDIA H200 SXM 141GB", "NVIDIA B200", "NVIDIA GB200", "NVIDIA L4",
    "NVIDIA L40S", "NVIDIA Tesla T4", "NVIDIA A10G", "NVIDIA Tesla P100 PCIe 16GB", "NVIDIA Tesla K80",
    "NVIDIA GeForce RTX 3080", "NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 4090",
    "NVIDIA GeForce RTX 5090", "AMD Instinct MI100", "AMD Instinct MI250X", "AMD Instinct MI300X",
    "AMD Instinct MI325X", "Google TPU v2", "Google TPU v3", "Google TPU v4", "Google TPU v5e",
    "Google TPU v5p", "Google TPU v6e", "Intel Gaudi 2", "Intel Gaudi 3", "AWS Trainium",
    "AWS Inferentia2",
]


def inputs(root: Path) -> HardwareInputs:
    return HardwareInputs(root / "accelerators.csv", root / "vendors.csv", root / "imports")


def test_bundled_catalog_loads_whole_with_a_source_and_licence_per_row():
    result = load_accelerators(inputs(DATA / "hardware"))
    assert result.rejected.height == 0, result.messages
    assert result.rows.height >= 60
    names = set(result.rows["canonical_name"])
    assert not [n for n in REQUIRED if n not in names]
    for column in ("source", "licence", "vintage", "tdp_w"):
        assert result.rows[column].null_count() == 0, column


def test_embodied_carbon_only_where_published():
    rows = load_accelerators(inputs(DATA / "hardware")).rows
    with_embodied = rows.filter(rows["embodied_kgco2e"].is_not_null())
    assert with_embodied["embodied_source"].null_count() == 0
    assert with_embodied.height < rows.height


BAD_ROWS = {
    "missing TDP": ({"canonical_name": "Test Missing TDP", "tdp_w": ""}, "tdp_w", "required value tdp_w is missing"),
    "negative memory": ({"canonical_name": "Test Negative Memory", "memory_gb": "-16"}, "memory_gb",
                        "memory_gb must be greater than 0"),
    "duplicate name": ({"canonical_name": "NVIDIA A100-SXM4-80GB"}, "canonical_name",
                       "duplicate accelerator: same name as 'NVIDIA A100 SXM4 80GB'"),
    "unknown vendor": ({"canonical_name": "Test Unknown Vendor", "vendor": "Acme Silicon"}, "vendor",
                       "unknown vendor 'Acme Silicon'"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_catalog_row_is_quarantined_with_its_reason_and_good_rows_still_load(tmp_path, case):
    change, field, reason = BAD_ROWS[case]
    shutil.copytree(DATA / "hardware", tmp_path / "hardware")
    catalog = tmp_path / "hardware" / "accelerators.csv"
    with open(catalog, newline="") as handle:
        rows = list(csv.DictReader(handle))
    good = len(rows)
    bad = {**rows[0], **change}
    with open(catalog, "a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0])).writerow(bad)

    result = load_accelerators(inputs(tmp_path / "hardware"))

    assert result.rows.height == good
    assert result.rejected.height == 1
    rejected = result.rejected.row(0, named=True)
    assert rejected["field"] == field
    assert reason in rejected["reason"]
    assert rejected["source_file"] == "accelerators.csv" and rejected["source_row"] == good + 2
    assert rejected["fix"]
    assert change["canonical_name"] in rejected["raw_record"]
    message = result.messages[0]
    assert f"accelerators.csv:{good + 2}" in message and field in message and "Fix:" in message
