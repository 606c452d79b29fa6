# ruff: noqa: E501  (expected rejections are kept one file per block)
"""The malformed-input corpus (tests/corpus/): every bad input gives a message naming the file and
the row or field, bad rows are quarantined with a reason and a fix, and no good row is lost. One
test per malformed input (its id names the file and the row or record), one per file for the good
rows and the exact set of rejections."""

import datetime as dt
import shutil
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


def _workloads(resolver, places, tmp):
    shutil.copy(CORPUS / "workloads_bad.yaml", tmp / "workloads_bad.yaml")
    return load_workloads(tmp, resolver=resolver, places=places, load_id="t")


# file -> (how to parse it, good rows it holds, every malformed input: (row or record, field, words of the reason))
FILES = {
    "catalog_bad_rows.csv": (
        lambda r, p, t: parse_catalog(CORPUS / "catalog_bad_rows.csv", known_vendors=read_vendors(DATA / "hardware/vendors.csv"), load_id="t"),
        2, [(4, "tdp_w", "greater than 0"), (5, "vendor", "unknown vendor"), (6, "memory_gb", "not a number"),
            (7, "canonical_name", "missing"), (8, "canonical_name", "duplicate"), (9, "licence", "cannot ship")]),
    "workloads_bad.yaml": (
        _workloads,
        1, [("neg-days", "days", "greater than or equal to 0"), ("no-duration", "days", "missing duration"),
            ("bad-region", "location", "unknown gcp region"), ("pue-below-one", "overrides.pue", "greater than or equal to 1"),
            ("typo-field", "acelerator_count", "extra inputs are not permitted")]),
    "sacct_bad.txt": (
        lambda r, p, t: parse_sacct((CORPUS / "sacct_bad.txt").read_text(), "sacct_bad.txt", CLUSTER, r),
        2, [(4, "start", "not a time"), (5, "end", "ends before it starts"), (6, "AllocTRES", "unparsable TRES"),
            (7, "AllocTRES", "unknown GPU"), (8, "start/end", "state RUNNING"), (9, "start/end", "state PENDING"),
            (10, "submit", "submitted after it started"), (11, "submit", "not a time")]),
    "codecarbon_bad.csv": (
        lambda r, p, t: parse_codecarbon((CORPUS / "codecarbon_bad.csv").read_text(), "codecarbon_bad.csv", CLUSTER, p),
        1, [(3, "timestamp", "day is out of range"), (4, "duration", "negative"), (5, "country_iso_code", "unknown country"),
            (6, "energy_consumed", "not a number")]),
    "nvidia_smi_bad.csv": (
        lambda r, p, t: parse_nvidia_smi((CORPUS / "nvidia_smi_bad.csv").read_text(), "nvidia_smi_bad.csv", "h", CLUSTER, r),
        2, [(4, "power.draw", "no power reading"), (5, "power.draw", "negative power"), (6, "timestamp", "is not"),
            (7, "name", "unknown GPU"), (8, "index", "not a number"),
            (9, "power.draw", "no power reading ([N/A])")]),
    "energy_per_token_bad.csv": (
        lambda r, p, t: parse_energy_per_token(CORPUS / "energy_per_token_bad.csv"),
        2, [(4, "activated_params_billions", "above total"), (5, "energy_per_token_j_central", "low <= central <= high"),
            (6, "num_gpus", "greater than 0"), (7, "energy_per_token_j_central", "valid number"),
            (8, "licence", "cannot ship"), (9, "model_id", "duplicate of line 2")]),
}
PAYLOADS = {"uk_neso_truncated.json": "not valid JSON", "uk_neso_renamed_field.json": "no field 'from'",
            "uk_neso_text_intensity.json": "intensity.forecast"}
INPUTS = [(name, *case) for name, (_, _, cases) in FILES.items() for case in cases]
_parsed = {}


@pytest.fixture
def parsed(resolver, places, tmp_path):
    """Each corpus file parsed once for all of its tests."""
    def get(name):
        if name not in _parsed:
            _parsed[name] = FILES[name][0](resolver, places, tmp_path)
        return _parsed[name]
    return get


def test_the_corpus_holds_every_input_its_readme_lists():
    assert len(INPUTS) + len(PAYLOADS) == 38
    assert "38 bad inputs" in (CORPUS / "README.md").read_text()


@pytest.mark.parametrize("name", FILES)
def test_every_good_row_loads_and_only_the_bad_ones_are_quarantined(parsed, name):
    result = parsed(name)
    assert result.rows.height == FILES[name][1]
    expected = [where for where, _, _ in FILES[name][2]]
    key = "record_name" if isinstance(expected[0], str) else "source_row"  # YAML records by id, files by line
    assert sorted(r[key] for r in result.rejected.rows(named=True)) == sorted(expected)
    assert result.messages and all(m.startswith(name) for m in result.messages)


@pytest.mark.parametrize(("name", "where", "field", "words"), INPUTS, ids=[f"{n}:{w}" for n, w, _, _ in INPUTS])
def test_a_malformed_input_is_quarantined_with_its_field_reason_and_fix(parsed, name, where, field, words):
    (row,) = [r for r in parsed(name).rejected.rows(named=True) if where in (r["source_row"], r["record_name"])]
    assert row["field"] == field and words.lower() in row["reason"].lower() and row["fix"], row


@pytest.mark.parametrize("name", PAYLOADS)
def test_a_malformed_feed_payload_fails_naming_the_kept_file(name):
    landed, url = CORPUS / name, "https://api.carbonintensity.org.uk/intensity"
    with pytest.raises(FeedParseError, match=PAYLOADS[name]) as error:
        payload = parse_json("uk_neso", landed.read_bytes(), url, landed)
        uk_neso.parse_national(payload, url=url, landed=landed, retrieved_at=dt.datetime(2020, 1, 2), load_id="t",
                               batch=FeedBatch("uk_neso"))
    assert str(landed) in str(error.value)  # the raw payload, kept, is named
