"""The power store reads nvidia-smi logs as they grow, per (cluster, UTC day) partition, and gives what
reading every log whole gives."""

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest

from ingestion.growing_files import land_growing
from ingestion.sources.logs import power_store
from ingestion.sources.logs.nvidia_smi import parse_nvidia_smi
from ingestion.sources.logs.power_store import PowerLog, PowerStore
from tests.unit.test_logs import UK

UTC = UK.model_copy(update={"time_zone": "UTC"})
HEADER = "timestamp, name, index, power.draw [W], utilization.gpu [%]\n"


def log_lines(start: dt.datetime, minutes: int, gpus: int = 2, every_s: int = 60) -> list[str]:
    lines = []
    for step in range(0, minutes * 60, every_s):
        at = start + dt.timedelta(seconds=step)
        for gpu in range(gpus):
            power = 200 + (step // 60) % 97 + gpu
            lines.append(f"{at:%Y/%m/%d %H:%M:%S}.000, NVIDIA A100-SXM4-80GB, {gpu}, {power:.2f} W, "
                         f"{(step // 60) % 100} %\n")
    return lines


class Fleet:
    """A logs folder of one cluster, landed and stored as the job_logs asset does."""

    def __init__(self, root: Path, resolver, cluster=UTC, batch_bytes: int = 4096):
        self.root, self.resolver, self.cluster = root, resolver, cluster
        self.store = PowerStore(root / "facts", batch_bytes=batch_bytes)

    def path(self, host: str) -> Path:
        return self.root / "logs" / self.cluster.name / "nvidia-smi" / f"{host}.csv"

    def write(self, host: str, text: str, mode: str = "a") -> None:
        path = self.path(host)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, mode, encoding="utf-8") as handle:
            handle.write(text)

    def logs(self) -> list[PowerLog]:
        logs = []
        for path in sorted(self.path("x").parent.glob("*.csv")):
            name = f"{self.cluster.name}/nvidia-smi/{path.name}"
            land_growing(path, self.root / "landing" / name)
            logs.append(PowerLog(name, path.stem, self.cluster, "GB", self.root / "landing" / name))
        return logs

    def refresh(self):
        return self.store.refresh(self.logs(), self.resolver)

    def samples(self) -> pl.DataFrame:
        files = self.store.files("gpu_power_samples")
        return pl.read_parquet(files).sort("host", "gpu_index", "timestamp") if files else pl.DataFrame()

    def whole(self) -> pl.DataFrame:
        """Every log read whole, in one piece, by the same parser: what the store must equal."""
        frames = []
        for path in sorted(self.path("x").parent.glob("*.csv")):
            result = parse_nvidia_smi(path.read_text(), f"{self.cluster.name}/nvidia-smi/{path.name}", path.stem,
                                      self.cluster, self.resolver)
            frames.append(result.rows)
        return pl.concat(frames).sort("host", "gpu_index", "timestamp")


def days_of(frame: pl.DataFrame) -> list[str]:
    return sorted({str(d) for d in frame["timestamp"].dt.date()})


@pytest.fixture
def fleet(tmp_path, resolver):
    return Fleet(tmp_path, resolver)


def test_a_growing_log_is_read_once_in_pieces_and_equals_the_log_read_whole(fleet):
    lines = log_lines(dt.datetime(2024, 5, 14, 22), 26 * 60)  # 22:00 on the 14th to 23:59 on the 15th
    cut = [0, 1, 700, 1500, 2200, len(lines)]
    fleet.write("h1", HEADER)
    read = 0
    for a, b in zip(cut, cut[1:], strict=False):
        fleet.write("h1", "".join(lines[a:b]))
        read += fleet.refresh().read_lines
    assert read == len(lines)  # each line parsed once, however many refreshes
    assert fleet.refresh().read_lines == 0 and fleet.refresh().partitions == []
    assert fleet.samples().drop("zone_id").equals(fleet.whole())  # the interval across midnight included
    assert [p.parent.name for p in fleet.store.files("gpu_power_samples")] == ["day=2024-05-14", "day=2024-05-15"]


def test_an_unfinished_last_line_waits_for_its_newline(fleet):
    lines = log_lines(dt.datetime(2024, 5, 14, 10), 10)
    last = log_lines(dt.datetime(2024, 5, 14, 10, 10), 1, gpus=1)[0]
    fleet.write("h1", HEADER + "".join(lines) + last[:17])  # nvidia-smi is half-way through a line
    refresh = fleet.refresh()
    assert refresh.read_lines == len(lines) and refresh.waiting_bytes == 17
    fleet.write("h1", last[17:])
    assert fleet.refresh().read_lines == 1 and fleet.samples().height == len(lines) + 1


def test_a_rewritten_log_is_detected_and_read_again_whole(fleet):
    fleet.write("h1", HEADER + "".join(log_lines(dt.datetime(2024, 5, 14, 10), 60)))
    fleet.refresh()
    fleet.write("h1", HEADER + "".join(log_lines(dt.datetime(2024, 5, 20, 10), 30)), mode="w")  # rotated
    refresh = fleet.refresh()
    assert refresh.reread_logs == ["uk/nvidia-smi/h1.csv"]
    assert sorted(refresh.partitions) == [("uk", "2024-05-14"), ("uk", "2024-05-20")]
    assert days_of(fleet.samples()) == ["2024-05-20"] and fleet.samples().drop("zone_id").equals(fleet.whole())


def test_a_late_sample_re_derives_its_day_only_and_the_other_days_stay_as_they_were(fleet):
    for day in (14, 15, 16):
        fleet.write("h1", (HEADER if day == 14 else "") + "".join(log_lines(dt.datetime(2024, 5, day, 10), 60)))
    fleet.refresh()
    files = {p.parent.name: p for p in fleet.store.files("gpu_power_samples")}
    before = {day: (p.stat().st_ino, pl.read_parquet(p)) for day, p in files.items()}
    fleet.write("h1", "2024/05/15 10:30:30.000, NVIDIA A100-SXM4-80GB, 0, 333.00 W, 50 %\n")  # late, out of order
    refresh = fleet.refresh()
    assert refresh.partitions == [("uk", "2024-05-15")] and refresh.read_lines == 1
    for day in ("day=2024-05-14", "day=2024-05-16"):
        assert files[day].stat().st_ino == before[day][0] and pl.read_parquet(files[day]).equals(before[day][1])
    assert pl.read_parquet(files["day=2024-05-15"]).height == before["day=2024-05-15"][1].height + 1
    assert fleet.samples().drop("zone_id").equals(fleet.whole())


def test_deriving_a_partition_again_gives_identical_rows(fleet):
    fleet.write("h1", HEADER + "".join(log_lines(dt.datetime(2024, 5, 14, 23), 120)))
    fleet.refresh()
    first = {p: p.read_bytes() for p in fleet.store.files("gpu_power_samples") + fleet.store.files("gpu_power_hourly")}
    fleet.store._derive({("uk", "2024-05-14"), ("uk", "2024-05-15")})
    again = {p: p.read_bytes() for p in fleet.store.files("gpu_power_samples") + fleet.store.files("gpu_power_hourly")}
    assert again == first


def test_a_refresh_killed_after_its_chunks_leaves_the_partitions_and_the_next_refresh_equals_a_clean_one(
        fleet, tmp_path, resolver, monkeypatch):
    fleet.write("h1", HEADER + "".join(log_lines(dt.datetime(2024, 5, 14, 10), 60)))
    fleet.refresh()
    before = fleet.samples()
    fleet.write("h1", "".join(log_lines(dt.datetime(2024, 5, 14, 11), 60)))
    real = power_store._write_json

    def killed(document, path):
        raise KeyboardInterrupt("killed after writing the chunk, before the state")

    monkeypatch.setattr(power_store, "_write_json", killed)
    with pytest.raises(KeyboardInterrupt):
        fleet.refresh()
    assert fleet.samples().equals(before)  # the published partitions are untouched
    monkeypatch.setattr(power_store, "_write_json", real)
    refresh = fleet.refresh()
    assert refresh.read_lines == 120 and fleet.samples().drop("zone_id").equals(fleet.whole())
    clean = Fleet(tmp_path / "clean", resolver)
    clean.write("h1", fleet.path("h1").read_text())
    clean.refresh()
    assert clean.samples().equals(fleet.samples())


def test_a_removed_log_takes_its_samples_and_a_changed_cluster_yaml_reads_the_logs_again(fleet):
    fleet.write("h1", HEADER + "".join(log_lines(dt.datetime(2024, 5, 14, 10), 30)))
    fleet.write("h2", HEADER + "".join(log_lines(dt.datetime(2024, 5, 15, 10), 30)))
    fleet.refresh()
    fleet.path("h2").unlink()
    refresh = fleet.refresh()
    assert refresh.removed_logs == ["uk/nvidia-smi/h2.csv"] and days_of(fleet.samples()) == ["2024-05-14"]
    fleet.cluster = UK  # the operator fixes the time zone: the logs were Europe/London, not UTC
    refresh = fleet.refresh()
    assert refresh.reread_logs == ["uk/nvidia-smi/h1.csv"]
    assert fleet.samples()["timestamp"].min() == dt.datetime(2024, 5, 14, 9)  # BST -> UTC


def test_a_utf16_log_from_windows_powershell_reads_as_utf8(fleet):
    text = HEADER + "".join(log_lines(dt.datetime(2024, 5, 14, 10), 30))
    path = fleet.path("h1")
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-16"))  # with its BOM, as `>` in Windows PowerShell 5 writes
    fleet.store.batch_bytes = 1001  # odd: batches cut inside UTF-16 code units
    assert fleet.refresh().read_lines == 60
    expected = parse_nvidia_smi(text, "uk/nvidia-smi/h1.csv", "h1", UTC, fleet.resolver).rows
    assert fleet.samples().drop("zone_id").equals(expected.sort("host", "gpu_index", "timestamp"))


def test_a_duplicate_across_refreshes_is_quarantined_once(fleet):
    lines = log_lines(dt.datetime(2024, 5, 14, 10), 10)
    fleet.write("h1", HEADER + "".join(lines))
    fleet.refresh()
    fleet.write("h1", lines[3])  # the same sample logged again
    fleet.refresh()
    duplicates = fleet.store.rejected().filter(pl.col("reason").str.starts_with("duplicate"))
    assert duplicates.height == 1 and "is already at line 5" in duplicates["reason"][0]
    assert fleet.samples().height == len(lines)


def test_storage_stays_near_the_log_size(fleet):
    lines = log_lines(dt.datetime(2024, 5, 14, 0), 24 * 60, gpus=8, every_s=10)
    fleet.store.batch_bytes = power_store.BATCH_BYTES
    fleet.write("h1", HEADER)
    for hour in range(24):  # 24 hourly appends
        fleet.write("h1", "".join(lines[hour * 2880:(hour + 1) * 2880]))
        fleet.refresh()
    log = fleet.path("h1").stat().st_size
    landed = sum(p.stat().st_size for p in (fleet.root / "landing").rglob("*.part"))
    stored = sum(p.stat().st_size for p in fleet.store.root.rglob("*.parquet"))
    assert landed == log and stored < log / 4, (landed, stored, log)  # Parquet: about a tenth of the CSV
    assert not [p for p in fleet.store.root.rglob(".*")], "no leftovers of atomic writes"
    assert os.path.getsize(fleet.store.files("gpu_power_samples")[0]) > 0


def test_a_past_days_hourly_chunks_are_merged_and_the_samples_do_not_change(fleet, tmp_path, resolver):
    lines = log_lines(dt.datetime(2024, 5, 14, 0), 36 * 60)  # a day and a half, appended hour by hour
    fleet.store.batch_bytes = power_store.BATCH_BYTES  # one chunk per refresh
    fleet.write("h1", HEADER)
    for hour in range(36):
        fleet.write("h1", "".join(lines[hour * 120:(hour + 1) * 120]))
        refresh = fleet.refresh()
    chunks = {day.name: len(list(day.iterdir())) for day in (fleet.store.root / "chunks" / "uk").iterdir()}
    assert chunks == {"2024-05-14": 1, "2024-05-15": 12}  # the finished day merged, today's chunks as they came
    assert refresh.partitions == [("uk", "2024-05-15")]  # merging derived nothing again
    clean = Fleet(tmp_path / "clean", resolver)
    clean.write("h1", fleet.path("h1").read_text())
    clean.refresh()
    assert fleet.samples().equals(clean.samples())
