"""nvidia-smi power samples at fleet scale: parsed as the logs grow, stored per (cluster, UTC day).

A month of a 256-GPU cluster is tens of millions of samples: too many to re-read and hold in memory
at every refresh. The store reads each log from the landing (ingestion/growing_files.py) from where
it stopped, in batches of whole lines, and keeps what it read as Parquet:

    <store>/parsed/<log key>.json                     per log: generation, byte offset read, next line
                                                      number, columns, chunks written
    <store>/chunks/<cluster>/<day>/<log key>.g<gen>.<start>-<end>.parquet   samples read from the
                                                      bytes [start, end) of a log, one file per UTC day
    <store>/rejects/<cluster>/<log key>.g<gen>.<start>-<end>.parquet        the lines quarantined there
    <store>/gpu_power_samples/cluster=<c>/day=<d>/data.parquet     the day's samples with the time each
                                                      stands for (what BI reads, hive-partitioned)
    <store>/gpu_power_hourly/cluster=<c>/day=<d>/data.parquet      energy per host and UTC hour
    <store>/gpu_power_duplicates/cluster=<c>/day=<d>/data.parquet  repeated samples, quarantined

A partition is derived from its chunks alone (plus the next day's first sample of each GPU, which
ends the day's last interval), so deriving it twice gives the same file, and only the partitions whose
chunks changed are derived again: a new hour of logs touches today, a late sample its own day. A log
rewritten (it no longer begins with what was landed), removed, or whose cluster.yaml changed has its
chunks dropped and is read again whole. Memory is bounded by a batch (BATCH_BYTES of log) and by the
largest partition, never by the history. Chunks, partitions and states are written by rename, the
state after its chunks, and chunks no state lists are removed first: a killed refresh leaves every
partition as it was and the next one redoes exactly the unfinished work. One writer at a time (the
writer pool).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingestion.core.attribution import hourly_energy
from ingestion.files import text_encoding, write_atomically
from ingestion.growing_files import landed_state, read_landed
from ingestion.quarantine import REJECTED_SCHEMA, Rejection, unreadable_file
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.sources.logs import nvidia_smi
from ingestion.sources.logs.cluster import Cluster

BATCH_BYTES = 64 << 20  # about a million lines of nvidia-smi CSV; a batch peaks near 10x this in memory
COMPACT_AT = 8  # a log's chunks of a past day merged into one from this many
PARSER_VERSION = 1  # bump when read_samples changes what it produces: every log is read again
DATASETS = ("gpu_power_samples", "gpu_power_hourly", "gpu_power_duplicates")


@dataclass(frozen=True)
class PowerLog:
    """One nvidia-smi log of a cluster, as landed."""

    source_file: str  # <cluster>/nvidia-smi/<name>, as rejections and rows name it
    host: str
    cluster: Cluster
    zone_id: str
    landed: Path  # its folder in the growing-file landing


@dataclass
class Refresh:
    """What one refresh did (Dagster metadata)."""

    read_bytes: int = 0
    read_lines: int = 0
    reread_logs: list[str] = field(default_factory=list)  # rewritten, or their cluster.yaml changed
    removed_logs: list[str] = field(default_factory=list)
    partitions: list[tuple[str, str]] = field(default_factory=list)  # (cluster, day) derived again
    waiting_bytes: int = 0  # an unfinished last line, read when its newline arrives
    file_errors: list[Rejection] = field(default_factory=list)


def _key(source_file: str) -> str:
    return f"{hashlib.sha256(source_file.encode()).hexdigest()[:12]}-{Path(source_file).name}"


def _settings_id(log: PowerLog) -> str:
    text = json.dumps([log.cluster.model_dump(mode="json"), log.zone_id, log.host, PARSER_VERSION], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda partial: frame.write_parquet(partial, compression="zstd"))


def _write_json(document: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda partial: partial.write_text(json.dumps(document, indent=1)))


def _whole_lines(raw: bytes, start: int, encoding: str) -> tuple[bytes, int]:
    """The complete lines at the front of `raw` (which begins at byte `start` of the log) as UTF-8, and
    how many bytes of `raw` they take; an unfinished last line waits for its newline."""
    newline = "\n".encode(encoding)
    unit = len(newline)
    end = raw.rfind(newline)
    while end >= 0 and (start + end) % unit:  # a match straddling two code units is not a newline
        end = raw.rfind(newline, 0, end)
    if end < 0:
        return b"", 0
    taken = raw[:end + unit]
    return (taken if encoding == "utf-8" else taken.decode(encoding, errors="replace").encode()), len(taken)


class PowerStore:
    def __init__(self, root: Path, batch_bytes: int = BATCH_BYTES):
        self.root = Path(root)
        self.batch_bytes = batch_bytes

    # ---- reading the logs --------------------------------------------------------------------------
    def refresh(self, logs: list[PowerLog], resolver: AcceleratorResolver) -> Refresh:
        """Read what the logs gained since the last refresh and derive the partitions that changed."""
        done, touched = Refresh(), set()
        states = self._states()
        self._remove_unlisted(states, touched)
        wanted = {_key(log.source_file) for log in logs}
        for key, state in states.items():
            if key not in wanted:  # the log was removed from the logs folder: its samples go with it
                self._drop(key, state, touched)
                done.removed_logs.append(state["source_file"])
        for log in logs:
            try:
                self._read(log, states.get(_key(log.source_file)), resolver, done, touched)
            except (Exception, pl.exceptions.PanicException) as error:  # a parser bug must not stop the others
                done.file_errors.append(unreadable_file(log.source_file, error))
        done.partitions = self._derive(touched)
        return done

    def _states(self) -> dict[str, dict]:
        folder = self.root / "parsed"
        return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {}

    def _remove_unlisted(self, states: dict[str, dict], touched: set) -> None:
        """Chunks of a refresh killed before it wrote its state, and leftovers of atomic writes."""
        listed = {name for s in states.values() for name in [*s["chunks"], *s["rejects"]]}
        for kind in ("chunks", "rejects"):
            for path in (self.root / kind).rglob("*") if (self.root / kind).is_dir() else []:
                relative = str(path.relative_to(self.root))
                if path.is_file() and (path.name.startswith(".") or relative not in listed):
                    path.unlink()
                    if kind == "chunks" and not path.name.startswith("."):
                        touched.add((path.parent.parent.name, path.parent.name))

    def _drop(self, key: str, state: dict, touched: set) -> None:
        for name in state["chunks"]:
            path = self.root / name
            touched.add((path.parent.parent.name, path.parent.name))
            path.unlink(missing_ok=True)
        for name in state["rejects"]:
            (self.root / name).unlink(missing_ok=True)
        (self.root / "parsed" / f"{key}.json").unlink(missing_ok=True)

    def _read(self, log: PowerLog, state: dict | None, resolver, done: Refresh, touched: set) -> None:
        key, landed = _key(log.source_file), landed_state(log.landed)
        if landed is None:
            return
        settings_id = _settings_id(log)
        if state is not None and (state["generation"] != landed["generation"] or state["settings"] != settings_id):
            self._drop(key, state, touched)
            done.reread_logs.append(log.source_file)
            state = None
        if state is None:
            encoding, bom = text_encoding(read_landed(log.landed, 0, 4))  # PowerShell's `>` writes UTF-16
            state = {"source_file": log.source_file, "generation": landed["generation"], "settings": settings_id,
                     "encoding": encoding, "offset": bom, "next_row": 1, "names": None, "chunks": [], "rejects": []}
        while state["offset"] < landed["size"]:
            start = state["offset"]
            raw = read_landed(log.landed, start, min(landed["size"], start + self.batch_bytes))
            data, taken = _whole_lines(raw, start, state["encoding"])
            if not taken and start + len(raw) < landed["size"]:  # one line longer than a batch: take all of it
                data, taken = _whole_lines(read_landed(log.landed, start, landed["size"]), start, state["encoding"])
            if not taken:
                done.waiting_bytes += landed["size"] - start
                break
            if state["names"] is None:  # the first line says whether there is a header
                names, has_header = nvidia_smi.field_names(data.split(b"\n", 1)[0].decode(errors="replace"),
                                                           log.source_file, log.cluster)
                state["names"] = names
                if has_header:
                    data = data.split(b"\n", 1)[1]
                    state["next_row"] = 2
            result = nvidia_smi.read_samples(data, state["names"], state["next_row"], log.source_file, log.host,
                                             log.cluster, resolver)
            name = f"{key}.g{state['generation']}.{start}-{start + taken}.parquet"
            rows = result.rows.with_columns(zone_id=pl.lit(log.zone_id), _day=pl.col("timestamp").dt.date())
            for (day,), part in rows.partition_by("_day", as_dict=True, maintain_order=True).items():
                chunk = f"chunks/{log.cluster.name}/{day}/{name}"
                _write_parquet(part.drop("_day"), self.root / chunk)
                state["chunks"].append(chunk)
                touched.add((log.cluster.name, str(day)))
            if result.rejected.height:
                _write_parquet(result.rejected, self.root / f"rejects/{log.cluster.name}/{name}")
                state["rejects"].append(f"rejects/{log.cluster.name}/{name}")
            lines = result.rows.height + result.rejected.height
            state.update(offset=start + taken, next_row=state["next_row"] + lines)
            _write_json(state, self.root / "parsed" / f"{key}.json")  # after its chunks: a kill redoes the batch
            done.read_bytes += taken
            done.read_lines += lines
        self._compact(key, state)

    def _compact(self, key: str, state: dict) -> None:
        """Merge a log's chunks of each day before its latest into one: hourly refreshes leave 24 chunks a
        day per log, and a year of them would be 8,760 files per log to list and open. The rows do not
        change, so no partition is derived again; the merged chunk is listed before the parts go."""
        by_day: dict[str, list[str]] = {}
        for name in state["chunks"]:
            by_day.setdefault(Path(name).parent.name, []).append(name)
        latest = max(by_day, default=None)
        merged = False
        for day, names in by_day.items():
            if day == latest or len(names) < COMPACT_AT:
                continue
            ranges = [Path(n).stem.rsplit(".", 1)[1].split("-") for n in names]
            start, end = min(int(a) for a, _ in ranges), max(int(b) for _, b in ranges)
            target = f"{Path(names[0]).parent}/{key}.g{state['generation']}.{start}-{end}.parquet"
            _write_parquet(pl.read_parquet([self.root / n for n in names]), self.root / target)
            state["chunks"] = [c for c in state["chunks"] if c not in names] + [target]
            merged = True
        if merged:  # the merged chunks are listed, the parts no longer: the next refresh removes leftovers
            _write_json(state, self.root / "parsed" / f"{key}.json")
            listed = set(state["chunks"])
            for names in by_day.values():
                for name in names:
                    if name not in listed:
                        (self.root / name).unlink(missing_ok=True)

    # ---- the partitions ----------------------------------------------------------------------------
    def _chunks(self, cluster: str, day: str) -> list[Path]:
        folder = self.root / "chunks" / cluster / day
        return sorted(folder.glob("*.parquet")) if folder.is_dir() else []

    def partition(self, dataset: str, cluster: str, day: str) -> Path:
        """The file of a (cluster, day) partition of `dataset` (it may not exist)."""
        return self.root / dataset / f"cluster={cluster}" / f"day={day}" / "data.parquet"

    def _first_samples(self, paths: list[Path]) -> pl.DataFrame:
        schema = {"host": pl.String, "gpu_index": pl.Int64, "timestamp": pl.Datetime("us")}
        if not paths:
            return pl.DataFrame(schema=schema)
        return (pl.scan_parquet(paths).group_by("host", "gpu_index").agg(pl.col("timestamp").min())
                .sort("host", "gpu_index").collect())

    def _derive(self, touched: set) -> list[tuple[str, str]]:
        """Derive the touched partitions, latest day first; a day whose first samples moved also
        re-derives the day before (its last interval ends at them)."""
        pending, derived = set(touched), []
        while pending:
            cluster, day = max(pending, key=lambda p: (p[1], p[0]))
            pending.discard((cluster, day))
            derived.append((cluster, day))
            before = self._first_samples([p] if (p := self.partition(DATASETS[0], cluster, day)).exists() else [])
            after = self._derive_one(cluster, day)
            previous = str(dt.date.fromisoformat(day) - dt.timedelta(days=1))
            if not after.equals(before) and self._chunks(cluster, previous) and (cluster, previous) not in derived:
                pending.add((cluster, previous))
        return sorted(derived)

    def _derive_one(self, cluster: str, day: str) -> pl.DataFrame:
        chunks = self._chunks(cluster, day)
        if not chunks:
            for dataset in DATASETS:
                shutil.rmtree(self.partition(dataset, cluster, day).parent, ignore_errors=True)
            return self._first_samples([])
        following = self._first_samples(self._chunks(cluster, str(dt.date.fromisoformat(day) + dt.timedelta(days=1))))
        timed = nvidia_smi.stand_for(pl.read_parquet(chunks), following)
        _write_parquet(timed.rows, self.partition("gpu_power_samples", cluster, day))
        _write_parquet(hourly_energy(timed.rows, by=("cluster", "host", "zone_id")),
                       self.partition("gpu_power_hourly", cluster, day))
        duplicates = self.partition("gpu_power_duplicates", cluster, day)
        if timed.rejected.height:
            _write_parquet(timed.rejected, duplicates)
        else:
            shutil.rmtree(duplicates.parent, ignore_errors=True)
        return (timed.rows.group_by("host", "gpu_index").agg(pl.col("timestamp").min())
                .sort("host", "gpu_index"))

    def rederive(self, partitions: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Derive these (cluster, day) partitions again from their chunks (a backfill: a partition file
        removed by hand, or code that derives differently); returns every partition derived."""
        return self._derive(set(partitions))

    def summary(self, cluster: str, day: str) -> dict | None:
        """Samples and energy of a partition (None when it holds no samples)."""
        path = self.partition("gpu_power_hourly", cluster, day)
        if not path.exists():
            return None
        samples, kwh = pl.read_parquet(path).select(pl.col("samples").sum(), pl.col("energy_kwh").sum()).row(0)
        return {"samples": int(samples or 0), "energy_kwh": float(kwh or 0.0)}

    # ---- what the warehouse loads ------------------------------------------------------------------
    def files(self, dataset: str) -> list[Path]:
        folder = self.root / dataset
        return sorted(folder.glob("cluster=*/day=*/data.parquet")) if folder.is_dir() else []

    def hourly(self) -> pl.DataFrame:
        """Energy per cluster, host, zone and hour; each row's `source_file` is the partition it was summed
        in (under the store's root: the samples' own lines are in gpu_power_samples), `source_row` its row."""
        files = self.files("gpu_power_hourly")
        schema = {"cluster": pl.String, "host": pl.String, "zone_id": pl.String, "hour_start": pl.Datetime("us"),
                  "energy_kwh": pl.Float64, "samples": pl.UInt32, "source_file": pl.String, "source_row": pl.Int64}
        if not files:
            return pl.DataFrame(schema=schema)
        frame = pl.read_parquet(files, hive_partitioning=False, include_file_paths="source_file")
        return frame.with_columns(source_file=pl.col("source_file").str.strip_prefix(f"{self.root}/"),
                                  source_row=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("source_file"))

    def rejected(self) -> pl.DataFrame:
        """Every quarantined line of the stored logs (parse rejections and duplicates)."""
        listed = [self.root / name for s in self._states().values() for name in s["rejects"]]
        files = [*listed, *self.files("gpu_power_duplicates")]
        return (pl.read_parquet(files, hive_partitioning=False).cast(REJECTED_SCHEMA) if files
                else pl.DataFrame(schema=REJECTED_SCHEMA))
