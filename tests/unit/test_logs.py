# ruff: noqa: E501  (log lines are kept whole, as the tools print them)
"""Job and power logs: Slurm sacct, CodeCarbon emissions.csv, nvidia-smi; good rows load, bad rows are
quarantined with file, row, field and fix."""

import datetime as dt

import polars as pl
import pytest

from ingestion.core.attribution import attribute_jobs, build_index
from ingestion.sources.logs.cluster import Cluster
from ingestion.sources.logs.codecarbon import parse_codecarbon
from ingestion.sources.logs.nvidia_smi import parse_nvidia_smi
from ingestion.sources.logs.slurm import parse_sacct

UK = Cluster(name="uk", time_zone="Europe/London", zone="GB", default_gpu="NVIDIA A100-SXM4-80GB",
             partition_gpus={"v100": "Tesla V100-SXM2-16GB"})

SACCT_P = """JobID|User|Account|Partition|Start|End|Elapsed|AllocTRES|NodeList|State|
10|ann|nlp|gpu|2024-01-10T10:00:00|2024-01-10T12:30:00|02:30:00|billing=8,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=64G,node=1|g01|COMPLETED|
10.batch||nlp||2024-01-10T10:00:00|2024-01-10T12:30:00|02:30:00|cpu=8,gres/gpu=2,mem=64G,node=1|g01|COMPLETED|
10.0||nlp||2024-01-10T10:00:05|2024-01-10T12:29:00|02:28:55|cpu=8,gres/gpu=2,mem=64G,node=1|g01|COMPLETED|
11_3|ann|nlp|v100|2024-01-10T10:00:00|2024-01-11T10:00:00|1-00:00:00|billing=4,cpu=4,gres/gpu=1,mem=16G,node=1,energy=9285000|v[01-02]|TIMEOUT|
12+0|bo|cv|gpu|2024-01-10T11:00:00|2024-01-10T11:30:00|00:30:00|billing=4,cpu=4,gres/gpu=1,node=1|g02|CANCELLED by 132794|
13|bo|cv|cpu|2024-01-10T11:00:00|2024-01-10T11:30:00|00:30:00|billing=4,cpu=4,mem=4G,node=1|c01|COMPLETED|
14|bo|cv|gpu|2024-01-10T12:00:00|Unknown|01:00:00|billing=4,cpu=4,gres/gpu=1,node=1|g02|RUNNING|
15|bo|cv|gpu|Unknown|Unknown|00:00:00||None assigned|PENDING|
16|cy|ml|gpu|2024-01-10T12:00:00|2024-01-10T11:00:00|00:00:00|billing=4,cpu=4,gres/gpu=1,node=1|g02|FAILED|
17|cy|ml|gpu|2024-04-31T12:00:00|2024-05-01T11:00:00|23:00:00|billing=4,cpu=4,gres/gpu=1,node=1|g02|COMPLETED|
18|cy|ml|gpu|2024-01-10T12:00:00|2024-01-10T13:00:00|01:00:00|billing=4,cpu=4,gres/gpu=one,node=1|g02|COMPLETED|
19|cy|ml|gpu|2024-01-10T12:00:00|2024-01-10T13:00:00|01:00:00|cpu=4,gres/gpu:zz9=1,gres/gpu=1,node=1|g02|COMPLETED|
20|cy|ml|gpu|2024-01-10T12:00:00|2024-01-10T13:00:00|01:00:00|cpu=4|g02|COMPLETED|extra|
"""




def test_sacct_keeps_one_row_per_allocation_and_quarantines_each_bad_kind(resolver):
    result = parse_sacct(SACCT_P, "s.txt", UK, resolver)
    jobs = {r["job_id"]: r for r in result.rows.iter_rows(named=True)}
    assert sorted(jobs) == ["10", "11_3", "12+0", "13"]  # steps left out, array and het jobs kept
    assert jobs["11_3"]["accelerator"] == "NVIDIA Tesla V100 SXM2 16GB" and jobs["11_3"]["energy_j"] == 9285000
    assert jobs["11_3"]["elapsed_s"] == 86400 and jobs["13"]["gpus"] == 0 and jobs["13"]["accelerator"] is None
    assert jobs["10"]["account"] == "nlp" and jobs["10"]["start"] == dt.datetime(2024, 1, 10, 10)  # GMT = UTC
    by_row = {r["source_row"]: r for r in result.rejected.iter_rows(named=True)}
    assert "has not ended" in by_row[8]["reason"] and "never started" in by_row[9]["reason"]
    assert by_row[10]["field"] == "end" and "ends before it starts" in by_row[10]["reason"]
    assert by_row[11]["field"] == "start" and "'2024-04-31T12:00:00' is not a time" in by_row[11]["reason"]
    assert by_row[12]["field"] == "AllocTRES" and by_row[12]["reason"] == "unparsable TRES list"
    assert by_row[13]["field"] == "AllocTRES" and "unknown GPU" in by_row[13]["reason"] and by_row[13]["fix"]
    assert by_row[14]["field"] == "(line)" and "11 fields where the header has 10" in by_row[14]["reason"]
    assert len(result.rows) + len(result.rejected) == 13 - 2  # 13 lines, 2 steps: each other row loads or is quarantined
    assert all(r["source_file"] == "s.txt" for r in result.rejected.iter_rows(named=True))


def test_a_gpu_job_needs_a_model_from_the_export_or_the_cluster(resolver):
    jobs = {r["job_id"]: r for r in parse_sacct(SACCT_P, "s.txt", UK, resolver).rows.iter_rows(named=True)}
    assert jobs["10"]["accelerator"] == "NVIDIA A100 SXM4 80GB"  # "a100" names several parts: the default decides
    strict = parse_sacct(SACCT_P, "s.txt", UK.model_copy(update={"default_gpu": None}), resolver)
    assert sorted(strict.rows["job_id"]) == ["11_3", "13"]  # the v100 partition is mapped; 13 has no GPU
    reasons = dict(strict.rejected.select("record_name", "reason").rows())
    assert "ambiguous" in reasons["10"].lower() and reasons["12+0"] == "GPU job with no GPU model in the export"


def test_parsable2_with_an_empty_last_field_and_headerless_exports_read_by_the_format(resolver):
    text = ("JobID|Account|Start|End|AllocTRES|State|ConsumedEnergyRaw\n"
            "1|a|2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=1|COMPLETED|\n"
            "2|a|2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=1|COMPLETED|3600000\n")
    rows = parse_sacct(text, "p.txt", UK, resolver).rows
    assert rows["energy_j"].to_list() == [None, 3600000.0]
    headerless = UK.model_copy(update={"sacct_format": "JobID,Start,End,AllocTRES"})
    rows = parse_sacct("7|2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=2|\n", "n.txt", headerless, resolver).rows
    assert rows.select("job_id", "gpus").row(0) == ("7", 2)
    with pytest.raises(ValueError, match="no header line and no sacct_format"):
        parse_sacct("7|2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=2|\n", "n.txt", UK, resolver)


def test_the_user_is_kept_beside_the_account_and_stands_in_for_an_empty_one(resolver):
    text = ("JobID|User|Account|Start|End|AllocTRES|State\n"
            "1|ann|nlp|2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=1|COMPLETED\n"
            "2|bo||2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=1|FAILED\n"
            "3||cv|2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=1|COMPLETED\n")
    rows = parse_sacct(text, "u.txt", UK, resolver).rows
    assert rows.select("job_id", "account", "user_name").rows() == [("1", "nlp", "ann"), ("2", "bo", "bo"),
                                                                     ("3", "cv", None)]
    without = parse_sacct("JobID|Account|Start|End|AllocTRES|State\n"
                          "1|nlp|2024-01-10T10:00:00|2024-01-10T11:00:00|gres/gpu=1|COMPLETED\n", "a.txt", UK,
                          resolver).rows
    assert without["user_name"].to_list() == [None]  # an export without User: no user, never a guess


def test_a_job_across_the_dst_change_lasts_what_it_really_lasted_and_is_priced_by_hand(resolver):
    # 2024-03-31 01:00 GMT clocks go to 02:00 BST: 00:30 GMT -> 03:30 BST is 2 hours (00:30-02:30 UTC)
    text = ("JobID|Start|End|Elapsed|AllocTRES|State\n"
            "1|2024-03-31T00:30:00|2024-03-31T03:30:00|02:00:00|gres/gpu=1|COMPLETED\n")
    job = parse_sacct(text, "dst.txt", UK, resolver).rows
    assert (job["start"][0], job["end"][0]) == (dt.datetime(2024, 3, 31, 0, 30), dt.datetime(2024, 3, 31, 2, 30))
    hourly = pl.DataFrame({"zone_id": ["GB"] * 4, "hour_start": [dt.datetime(2024, 3, 31, h) for h in range(4)],
                           "gco2e_per_kwh": [100.0, 200.0, 300.0, 400.0]})
    priced = attribute_jobs(job.with_columns(zone_id=pl.lit("GB"), power_kw=pl.lit(1.0)), build_index(hourly),
                            pl.DataFrame({"zone_id": ["GB"], "year": [2024], "gco2e_per_kwh": [999.0]}))
    assert priced["kgco2e"][0] == pytest.approx((0.5 * 100 + 200 + 0.5 * 300) / 1000)


def test_codecarbon_both_header_generations_and_impossible_dates(shared_reference, places):
    folder = shared_reference / "codecarbon" / "outputs"
    old = parse_codecarbon((folder / "emissions_v1_example.csv").read_text(), "v1.csv", UK, places)
    assert old.rows.height == 4 and old.rows["header_generation"].unique().to_list() == ["early (experiment_id)"]
    bad = old.rejected.sort("source_row")
    assert bad["source_row"].to_list() == [6, 7] and bad["field"].to_list() == ["timestamp", "timestamp"]
    assert bad["value"].to_list() == ["2020-04-31T03:26:11", "2020-06-31T09:26:11"]
    assert "day is out of range" in bad["reason"][0]
    zones = dict(zip(old.rows["run_id"].str.slice(0, 8), old.rows["zone_id"], strict=True))
    assert zones["ed2a22f1"] == "CA"  # on premises in Canada: the country (ISO-3 CAN)
    new = parse_codecarbon((folder / "emissions_valid_headers.csv").read_text(), "v2.csv", UK, places)
    row = new.rows.row(0, named=True)
    assert (row["zone_id"], row["header_generation"], row["pue"]) == ("MA", "current (run_id)", 1.0)
    assert row["energy_kwh"] == pytest.approx(0.00057442898176)
    assert row["end"] - row["start"] == dt.timedelta(seconds=161.20380687713623)


NVSMI = """timestamp, name, index, power.draw [W], utilization.gpu [%]
2024/05/14 10:00:00.000, NVIDIA A100-SXM4-80GB, 0, 200.00 W, 90 %
2024/05/14 10:00:00.010, NVIDIA A100-SXM4-80GB, 1, 100.00 W, 50 %
2024/05/14 10:00:01.000, NVIDIA A100-SXM4-80GB, 0, [N/A], 90 %
2024/05/14 10:00:01.010, NVIDIA A100-SXM4-80GB, 1, 100.00 W, 50 %
2024/05/14 10:00:02.000, NVIDIA A100-SXM4-80GB, 0, 300.00 W, 90 %
2024/05/14 10:00:02.010, NVIDIA A100-SXM4-80GB, 1, [GPU is lost], [GPU is lost]
2024/05/14 10:00:03.000, NVIDIA A100-SXM4-80GB, 0, 300.00 W, 90 %
2024/05/14 10:01:00.010, NVIDIA A100-SXM4-80GB, 1, 100.00 W, 50 %
2024/05/14 10:00:04.000, NVIDIA Quantum Q9, 2, 50.00 W, 1 %
2024/13/14 10:00:04.000, NVIDIA A100-SXM4-80GB, 0, 300.00 W, 90 %
2024/05/14 10:00:05.000, NVIDIA A100-SXM4-80GB, 0, ERR!, ERR!
2024/05/14 10:01:01.010, NVIDIA A100-SXM4-80GB, 1, 100.00 W, 50 %
2024/05/14 10:01:02.010, NVIDIA A100-SXM4-80GB, 1, 100.00 W, 50 %
"""


def test_nvidia_smi_with_units_quarantines_unreadable_samples_and_caps_gaps(resolver):
    result = parse_nvidia_smi(NVSMI, "h.csv", "h", UK, resolver)
    rows = result.rows.sort("gpu_index", "timestamp")
    assert rows.height == 8 and result.rejected.height == 5
    fields = result.rejected.sort("source_row").select("source_row", "field").rows()
    assert fields == [(4, "power.draw"), (7, "power.draw"), (10, "name"), (11, "timestamp"), (12, "power.draw")]
    gpu0 = rows.filter(pl.col("gpu_index") == 0)
    # 10:00:00 stands until 10:00:02 (the N/A in between); the last sample for the median interval
    assert gpu0["interval_s"].to_list() == [2.0, 1.0, 1.5]
    gpu1 = rows.filter(pl.col("gpu_index") == 1)
    # intervals 1, 59, 1, 1 s: the median is 1 s, so the 59 s logging gap counts as 5 s
    assert gpu1["interval_s"].to_list() == pytest.approx([1.0, 5.0, 1.0, 1.0, 1.0])
    assert gpu0["timestamp"][0] == dt.datetime(2024, 5, 14, 9)  # BST -> UTC


def test_nvidia_smi_without_header_and_units_reads_the_clusters_fields(resolver):
    cluster = UK.model_copy(update={"nvidia_smi_fields": "timestamp,name,index,power.draw"})
    text = "2024/01/14 10:00:00.000, NVIDIA H100 80GB HBM3, 0, 650.5\n2024/01/14 10:00:01.000, NVIDIA H100 80GB HBM3, 0, 640\n"
    rows = parse_nvidia_smi(text, "n.csv", "n", cluster, resolver).rows
    assert rows["power_w"].to_list() == [650.5, 640.0] and rows["accelerator"][0] == "NVIDIA H100 SXM5 80GB"
