# ruff: noqa: E501  (expected rejections are kept one file per block)
"""The malformed-input corpus (tests/corpus/): every bad input gives a message naming the file and
the row or field, bad rows are quarantined, and no good row is lost (counts checked)."""

import datetime as dt
from pathlib import Path

import pytest

from ingestion.sources.grid.feeds import uk_neso
from ingestion.sources.grid.feeds.base import FeedParseError, parse_json
from ingestion.sources.grid.observations import FeedBatch
from ingestion.sources.hardware.catalog import parse_catalog, read_vendors
from ingestion.sources.inference.energy_per_token import parse_energy_per_token
from ingestion.sources.logs.cluster import Cluster
from ingestion.sources.logs.codecarbon import parse_codecarbon
from ingestion.sources.logs.nvidia_smi import parse_nvidia_smi
from ingestion.sources.logs.slurm import parse_sacct
from ingestion.sources.workloads.load import load_workloads
from tests.conftest import DATA

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CLUSTER = Cluster(name="corpus", time_zone="UTC", zone="FR", default_gpu="NVIDIA A100-SXM4-80GB")




def check(result, source_file: str, good: int, expected: list[tuple]) -> int:
    """Good rows kept, each expected (row or record, field, words of the reason) quarantined, the
    message naming the file; returns how many malformed inputs the file held."""
    assert result.rows.height == good
    rejected = result.rejected.rows(named=True)
    assert len(rejected) == len(expected), rejected
    for (where, field, words), row in zip(expected, sorted(rejected, key=lambda r: r["source_row"]), strict=True):
        assert where in (row["source_row"], row["record_name"]) and row["field"] == field, row
        assert words.lower() in row["reason"].lower() and row["fix"], row
    assert all(m.startswith(source_file) for m in result.messages)
    return len(expected)


def test_the_corpus_holds_thirty_three_malformed_inputs_each_named_and_quarantined(resolver, places, tmp_path):
    count = check(parse_catalog(CORPUS / "catalog_bad_rows.csv", known_vendors=read_vendors(DATA / "hardware/vendors.csv"),
                                load_id="t"), "catalog_bad_rows.csv", 2, [
        (4, "tdp_w", "greater than 0"), (5, "vendor", "unknown vendor"), (6, "memory_gb", "not a number"),
        (7, "canonical_name", "missing"), (8, "canonical_name", "duplicate"), (9, "licence", "cannot ship")])

    (tmp_path / "workloads_bad.yaml").write_text((CORPUS / "workloads_bad.yaml").read_text())
    count += check(load_workloads(tmp_path, resolver=resolver, places=places, load_id="t"), "workloads_bad.yaml", 1, [
        ("neg-days", "days", "greater than or equal to 0"), ("no-duration", "days", "missing duration"),
        ("bad-region", "location", "unknown gcp region"), ("pue-below-one", "overrides.pue", "greater than or equal to 1"),
        ("typo-field", "acelerator_count", "extra inputs are not permitted")])

    count += check(parse_sacct((CORPUS / "sacct_bad.txt").read_text(), "sacct_bad.txt", CLUSTER, resolver),
                   "sacct_bad.txt", 2, [
        (4, "start", "not a time"), (5, "end", "ends before it starts"), (6, "AllocTRES", "unparsable TRES"),
        (7, "AllocTRES", "unknown GPU")])

    count += check(parse_codecarbon((CORPUS / "codecarbon_bad.csv").read_text(), "codecarbon_bad.csv", CLUSTER, places),
                   "codecarbon_bad.csv", 1, [
        (3, "timestamp", "day is out of range"), (4, "duration", "negative"), (5, "country_iso_code", "unknown country"),
        (6, "energy_consumed", "not a number")])

    count += check(parse_nvidia_smi((CORPUS / "nvidia_smi_bad.csv").read_text(), "nvidia_smi_bad.csv", "h", CLUSTER,
                                    resolver), "nvidia_smi_bad.csv", 2, [
        (4, "power.draw", "no power reading"), (5, "power.draw", "negative power"), (6, "timestamp", "is not"),
        (7, "name", "unknown GPU"), (8, "index", "not a number")])

    count += check(parse_energy_per_token(CORPUS / "energy_per_token_bad.csv"), "energy_per_token_bad.csv", 2, [
        (4, "activated_params_billions", "above total"), (5, "energy_per_token_j_central", "low <= central <= high"),
        (6, "num_gpus", "greater than 0"), (7, "energy_per_token_j_central", "valid number"),
        (8, "licence", "cannot ship"), (9, "model_id", "duplicate of line 2")])

    for name, words in (("uk_neso_truncated.json", "not valid JSON"),
                        ("uk_neso_renamed_field.json", "no field 'from'"),
                        ("uk_neso_text_intensity.json", "intensity.forecast")):
        landed = CORPUS / name
        with pytest.raises(FeedParseError, match=words) as error:
            payload = parse_json("uk_neso", landed.read_bytes(), "https://api.carbonintensity.org.uk/intensity", landed)
            uk_neso.parse_national(payload, url="https://api.carbonintensity.org.uk/intensity", landed=landed,
                                   retrieved_at=dt.datetime(2020, 1, 2), load_id="t", batch=FeedBatch("uk_neso"))
        assert str(landed) in str(error.value)  # the raw payload, kept, is named
        count += 1
    assert count >= 33
