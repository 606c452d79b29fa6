"""Importers run on the real upstream files, known defects included."""


import pytest

from ingestion.sources.hardware.catalog import parse_catalog, read_vendors
from ingestion.sources.hardware.imports import detect_format, parse_upstream, reconcile
from tests.conftest import DATA

VENDORS = read_vendors(DATA / "hardware" / "vendors.csv")


def rejected_by_name(result) -> dict[str, dict]:
    return {r["record_name"]: r for r in result.rejected.to_dicts()}


def catalog():
    return parse_catalog(DATA / "hardware" / "accelerators.csv", known_vendors=VENDORS, load_id="t").rows


def test_formats_are_detected_from_their_headers(shared_reference):
    assert detect_format(shared_reference / "epoch-ai/epoch_ml_hardware_subset.csv") == "epoch"
    assert detect_format(shared_reference / "green-algorithms/latest/TDP_gpu.csv") == "green_algorithms"
    assert detect_format(shared_reference / "mlco2-impact/gpus.csv") == "mlco2"
    assert detect_format(DATA / "hardware/accelerators.csv") == "catalog"


def test_an_unknown_table_is_refused_with_the_file_and_the_formats_we_read(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("gpu,watts\nX,1\n")
    with pytest.raises(ValueError, match=r"other.csv: line 1: unrecognised .*Fix: supply"):
        detect_format(path)


def test_epoch_ml_hardware_converts_units_and_quarantines_rows_without_tdp(shared_reference):
    result = parse_upstream(shared_reference / "epoch-ai/epoch_ml_hardware_subset.csv",
                            known_vendors=VENDORS, load_id="t")
    rows = {r["canonical_name"]: r for r in result.rows.to_dicts()}
    h100 = rows["NVIDIA H100 SXM5 80GB"]
    assert (h100["tdp_w"], h100["memory_gb"], h100["peak_bf16_fp16_tflops"]) == (700.0, 80.0, 989.4)
    rejected = rejected_by_name(result)
    assert rejected["Google TPU v5p"]["field"] == "tdp_w"  # Epoch has no TDP for it
    assert "unknown vendor" in rejected["Cambricon MLU370-X8"]["reason"]
    assert result.rows.height + result.rejected.height == 161  # nothing lost


def test_epoch_full_chip_table_quarantines_cpus_as_not_accelerators(shared_reference):
    result = parse_upstream(shared_reference / "epoch-ai/epoch_chip_dataset_specs.csv",
                            known_vendors=VENDORS, load_id="t")
    cpu_rejects = result.rejected.filter(result.rejected["field"] == "Type")
    assert cpu_rejects.height > 2000
    assert result.rows.height + result.rejected.height == 5775


def test_green_algorithms_skips_its_units_line_and_quarantines_the_generic_row(shared_reference):
    result = parse_upstream(shared_reference / "green-algorithms/latest/TDP_gpu.csv",
                            known_vendors=VENDORS, load_id="t")
    names = set(result.rows["canonical_name"])
    assert "index" not in names and "model" not in names
    assert {"TPU v2", "NVIDIA A100 40GB PCIe"} <= names
    rejected = rejected_by_name(result)
    assert "Any" in rejected and rejected["Any"]["source_row"] == 4
    data_lines = len((shared_reference / "green-algorithms/latest/TDP_gpu.csv").read_text().splitlines()) - 2
    assert result.rows.height + result.rejected.height == data_lines


def test_mlco2_known_defects_are_quarantined_with_reasons(shared_reference):
    result = parse_upstream(shared_reference / "mlco2-impact/gpus.csv", known_vendors=VENDORS, load_id="t")
    rejected = rejected_by_name(result)
    assert "values are shifted" in rejected["A10G"]["reason"]
    assert "implausible" in rejected["GTX 750"]["reason"]
    # its "TFLOPS32" for the H100 is the TF32 sparse figure, not FP32
    assert rejected["H100 SXM"]["field"] == "TFLOPS32" and "sparse" in rejected["H100 SXM"]["reason"]
    assert rejected["AMD EPYC 7763"]["field"] == "type"
    rows = {r["canonical_name"]: r for r in result.rows.to_dicts()}
    assert rows["TPUv2 Chip"]["tdp_basis"] == "measured_mean"  # an average draw, not a TDP
    assert result.rows.height + result.rejected.height == 48


def test_imports_that_repeat_the_catalog_are_quarantined_naming_the_disagreement(shared_reference):
    imported = parse_upstream(shared_reference / "mlco2-impact/gpus.csv", known_vendors=VENDORS, load_id="t")
    result = reconcile(imported, catalog())
    rejected = rejected_by_name(result)
    tpu = rejected["TPUv2 Chip"]["reason"]
    assert "already in the catalog as 'Google TPU v2'" in tpu
    assert "TDP (W) 221 here vs 280 in the catalog" in tpu and "average draw" in tpu
    assert "TDP (W) 300 here vs 250" in rejected["Tesla V100-PCIE-16GB"]["reason"]
    new = set(result.rows["canonical_name"])  # new to the catalog: these load
    assert {"RTX 3080 TI", "GTX 1080", "RTX 2080"} <= new  # not mistaken for the Ti parts
