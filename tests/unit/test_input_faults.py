"""Inputs that once stopped or fooled a build: a log appended to itself, a parser failure, a YAML
bomb, an oversized or UTF-16 file, a cluster.yaml syntax error, a landing copy killed half-way."""

import codecs
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from ingestion.files import land_file, read_text
from ingestion.sources.hardware.catalog import read_csv_records
from ingestion.sources.hardware.load import HardwareInputs, load_accelerators
from ingestion.growing_files import land_growing
from ingestion.sources.logs import folder as logs_folder
from ingestion.sources.logs import power_store
from ingestion.sources.logs.folder import read_logs
from ingestion.sources.logs.nvidia_smi import parse_nvidia_smi
from ingestion.sources.logs.power_store import PowerStore
from ingestion.sources.workloads.load import load_workloads
from ingestion.yaml_files import load_yaml
from tests.conftest import DATA
from tests.unit.test_logs import NVSMI, UK


def energy_kwh(rows: pl.DataFrame) -> float:
    return (rows["power_w"] * rows["interval_s"]).sum() / 3.6e6


def test_a_log_appended_to_itself_prices_once_and_quarantines_the_copies(resolver):
    once = parse_nvidia_smi(NVSMI, "h.csv", "h", UK, resolver)
    body = NVSMI.split("\n", 1)[1]
    twice = parse_nvidia_smi(NVSMI + body, "h.csv", "h", UK, resolver)
    assert twice.rows.height == once.rows.height
    assert energy_kwh(twice.rows) == pytest.approx(energy_kwh(once.rows))  # was a quarter, intervals of 0
    duplicates = twice.rejected.filter(pl.col("reason").str.starts_with("duplicate"))
    assert duplicates.height == once.rows.height
    first = duplicates.sort("source_row").row(0, named=True)
    assert first["field"] == "timestamp" and "is already at line 2" in first["reason"] and first["fix"]


def test_a_stray_quote_is_read_as_text_not_a_broken_file(resolver):
    """nvidia-smi never quotes; a `"` (a truncated line, a hand edit) made the CSV reader fail the file."""
    lines = NVSMI.splitlines()
    text = "\n".join([*lines[:3], '2024/05/14 10:00:01.500, "NVIDIA A100-SXM4-80GB, 0, 300 W, 50 %', *lines[3:]]) + "\n"
    once, quoted = parse_nvidia_smi(NVSMI, "h.csv", "h", UK, resolver), parse_nvidia_smi(text, "h.csv", "h", UK,
                                                                                          resolver)
    assert quoted.rows.height == once.rows.height + 1 and quoted.rejected.height == once.rejected.height
    assert quoted.rows.filter(pl.col("source_row") == 4)["power_w"].to_list() == [300.0]  # the quote is text


def _power_store(root: Path, resolver, places) -> tuple[PowerStore, object, object]:
    """Land every log under `root` as the asset does, read the logs, refresh a power store beside them."""
    for path in logs_folder.log_files(root):
        land_growing(path, root.parent / "landing" / path.relative_to(root))
    logs = read_logs(root, resolver, places, root.parent / "landing")
    store = PowerStore(root.parent / "facts")
    return store, logs, store.refresh(logs.power_logs, resolver)


def test_a_parser_failure_rejects_its_file_and_the_other_files_still_load(tmp_path, resolver, places, monkeypatch):
    cluster = tmp_path / "logs" / "uk"
    (cluster / "nvidia-smi").mkdir(parents=True)
    (cluster / "cluster.yaml").write_text("time_zone: Europe/London\nzone: GB\ndefault_gpu: NVIDIA A100-SXM4-80GB\n")
    (cluster / "nvidia-smi" / "good.csv").write_text(NVSMI)
    (cluster / "nvidia-smi" / "bad.csv").write_text(NVSMI)
    real = power_store.nvidia_smi.read_samples

    def panicking(data, names, first_row, source_file, *args):  # polars' internal error is not an Exception
        if source_file.endswith("bad.csv"):
            raise pl.exceptions.PanicException("assertion failed: i < self.len()")
        return real(data, names, first_row, source_file, *args)

    monkeypatch.setattr(power_store.nvidia_smi, "read_samples", panicking)
    store, _, refresh = _power_store(tmp_path / "logs", resolver, places)
    samples = pl.read_parquet(store.files("gpu_power_samples"))
    assert set(samples["source_file"]) == {"uk/nvidia-smi/good.csv"} and samples.height == 8
    assert [(r.source_file, r.field) for r in refresh.file_errors] == [("uk/nvidia-smi/bad.csv", "(file)")]
    assert "PanicException" in refresh.file_errors[0].reason and "i < self.len()" in refresh.file_errors[0].reason


def test_a_cluster_yaml_syntax_error_names_the_file_and_line_and_other_clusters_load(tmp_path, resolver, places):
    for name, settings in (("good", "zone: GB\n"), ("broken", "zone: GB\ntime_zone: [Europe/London\n")):
        (tmp_path / "logs" / name / "nvidia-smi").mkdir(parents=True)
        (tmp_path / "logs" / name / "cluster.yaml").write_text(settings + "default_gpu: NVIDIA A100-SXM4-80GB\n")
        (tmp_path / "logs" / name / "nvidia-smi" / "h.csv").write_text(NVSMI)
    store, logs, _ = _power_store(tmp_path / "logs", resolver, places)
    assert set(pl.read_parquet(store.files("gpu_power_samples"))["cluster"]) == {"good"}
    reason = logs.power_rejected.filter(pl.col("source_file") == "broken/cluster.yaml")["reason"][0]
    assert "cluster.yaml: line 3" in reason and "not valid YAML" in reason


BOMB = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
workloads: [{id: bomb, kind: training, days: *h}]
"""


def test_a_yaml_bomb_is_refused_before_it_expands(tmp_path, resolver, places):
    (tmp_path / "bomb.yaml").write_text(BOMB)
    (tmp_path / "good.yaml").write_text((DATA / "workloads" / "published_cases.yaml").read_text())
    with pytest.raises(ValueError, match=r"bomb.yaml: expands to 102,908,582 values through YAML aliases"):
        load_yaml(tmp_path / "bomb.yaml")
    result = load_workloads(tmp_path, resolver=resolver, places=places, load_id="t")
    assert result.rows.height > 0 and set(result.rows["source_file"]) == {"good.yaml"}
    assert result.rejected.filter(pl.col("source_file") == "bomb.yaml")["field"].to_list() == ["(file)"]
    (tmp_path / "anchors.yaml").write_text("defaults: &d {kind: training, count: 8}\nworkloads: [{<<: *d, id: x}]\n")
    assert load_yaml(tmp_path / "anchors.yaml")["workloads"] == [{"kind": "training", "count": 8, "id": "x"}]
    (tmp_path / "plain.yaml").write_text("workloads:\n" + "  - {id: w, kind: training}\n" * 100)
    assert len(load_yaml(tmp_path / "plain.yaml", max_values=50)["workloads"]) == 100  # big, but no aliases


def test_an_oversized_workloads_file_is_refused_by_size(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("workloads:\n" + "  - {id: w, kind: training}\n" * 500)
    with pytest.raises(ValueError, match=r"big.yaml: 0.0 MB is more than the 0 MB"):
        load_yaml(big, max_bytes=1000)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_files_read_as_their_text(tmp_path, encoding, resolver, places):
    text = (DATA / "workloads" / "published_cases.yaml").read_text()
    bom = {"utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    (tmp_path / "w.yaml").write_bytes(bom + text.encode(encoding))
    assert read_text(tmp_path / "w.yaml") == text
    loaded = load_workloads(tmp_path, resolver=resolver, places=places, load_id="t")
    assert loaded.rows.height == load_workloads(DATA / "workloads", resolver=resolver, places=places,
                                                load_id="t").rows.filter(pl.col("source_file") == "published_cases.yaml"
                                                                          ).height
    catalog = tmp_path / "accelerators.csv"
    catalog.write_bytes(bom + (DATA / "hardware" / "accelerators.csv").read_text().encode(encoding))
    assert read_csv_records(catalog) == read_csv_records(DATA / "hardware" / "accelerators.csv")


def test_undecodable_bytes_name_the_file_and_line_and_an_import_file_is_rejected_alone(tmp_path):
    bad = tmp_path / "imports" / "latin1.csv"
    bad.parent.mkdir()
    bad.write_bytes((DATA / "hardware" / "accelerators.csv").read_bytes()[:300] + "\nCaf\xe9,1\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1.csv: line \d+: byte 0xe9 .* save the file as UTF-8"):
        read_text(bad)
    result = load_accelerators(HardwareInputs(DATA / "hardware" / "accelerators.csv", DATA / "hardware" /
                                              "vendors.csv", bad.parent))
    assert result.rows.height == len(read_csv_records(DATA / "hardware" / "accelerators.csv"))
    rejected = result.rejected.filter(pl.col("source_file") == "latin1.csv").rows(named=True)
    assert [r["field"] for r in rejected] == ["(file)"] and "0xe9" in rejected[0]["reason"]


SLOW_COPY = """
import shutil, sys, time
from ingestion import files
def slow(src, dst):  # a slow disk: the copy in small pieces, so the kill lands mid-copy
    with open(src, "rb") as source, open(dst, "wb") as target:
        while chunk := source.read(4096):
            target.write(chunk); target.flush(); time.sleep(0.01)
shutil.copyfile = slow
files.land_file(sys.argv[1], sys.argv[2])
"""


def test_a_landing_copy_killed_half_way_is_never_trusted(tmp_path):
    source = tmp_path / "big.csv"
    source.write_bytes(os.urandom(2_000_000))
    landing = tmp_path / "landing"
    process = subprocess.Popen([sys.executable, "-c", SLOW_COPY, str(source), str(landing)],
                               cwd=Path(__file__).parents[2])
    deadline = time.monotonic() + 30
    while not [p for p in landing.rglob("*") if p.is_file() and p.stat().st_size > 0]:
        assert time.monotonic() < deadline and process.poll() is None, "the copy never started"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = [p for p in landing.rglob("*") if p.is_file()]
    assert partial and all(p.stat().st_size < source.stat().st_size for p in partial)
    assert not [p for p in partial if p.name == "big.csv"]  # never under its content-hash name
    landed = land_file(source, landing)
    assert landed.name == "big.csv" and landed.read_bytes() == source.read_bytes()
    assert not list(landing.rglob(".*.partial"))  # the killed copy's leftover is removed


def test_partition_keeps_good_records_and_names_the_line_field_value_and_fix_of_each_rejected_one():
    from ingestion.quarantine import Rejected, partition

    def check(record):
        if not record["watts"].isdigit():
            raise Rejected("watts", "watts is not a number", "write watts as a plain number")
        return {"name": record["name"], "watts": int(record["watts"])}

    good, rejected = partition([{"name": "a", "watts": "300", "source_row": 2},
                                {"name": " b ", "watts": "lots", "source_row": 3}],
                               check, source_file="parts.csv", name_of=lambda r: r["name"])
    assert good == [{"name": "a", "watts": 300}]
    assert [r.message() for r in rejected] == [
        "parts.csv:3 (b) field watts='lots': watts is not a number. Fix: write watts as a plain number"]
    assert rejected[0].raw_record == {"name": " b ", "watts": "lots"}
