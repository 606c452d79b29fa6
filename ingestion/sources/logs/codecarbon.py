"""CodeCarbon `emissions.csv`, both header generations, kept with the figure CodeCarbon computed.

The early header (experiment_id, 12 columns) and the current one (run_id, per-device energy, pue,
31 columns) are read by name. `timestamp` is when the row was written, the end of the run, in the
host's local time; the run is [timestamp - duration, timestamp). The warehouse re-prices
`energy_consumed` with its own intensity; CodeCarbon's `emissions` is kept beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import polars as pl

from ingestion.quarantine import ParseResult, Rejected, partition, rejections_frame
from ingestion.sources.logs.cluster import Cluster
from ingestion.places import Places
from ingestion.sources.workloads.schema import Location

SCHEMA = {"cluster": pl.String, "run_id": pl.String, "project_name": pl.String, "start": pl.Datetime("us"),
          "end": pl.Datetime("us"), "duration_s": pl.Float64, "energy_kwh": pl.Float64,
          "codecarbon_kgco2e": pl.Float64, "zone_id": pl.String, "gpu_model": pl.String, "pue": pl.Float64,
          "header_generation": pl.String, "source_file": pl.String, "source_row": pl.Int64}


def _number(row: dict, name: str) -> float | None:
    value = (row.get(name) or "").strip()
    return float(value) if value else None


def _run(row: dict) -> str | None:
    return row.get("run_id") or row.get("experiment_id")


def _zone(row: dict, places: Places) -> str:
    """The run's grid zone: its cloud region where CodeCarbon logged one, else its country."""
    provider, region = (row.get("cloud_provider") or "").strip(), (row.get("cloud_region") or "").strip()
    try:
        if provider and region and provider in ("aws", "gcp", "azure"):
            return places.resolve(Location(provider=provider, region=region))
        return places.resolve(Location(country=(row.get("country_iso_code") or "").strip() or "?"))
    except LookupError as error:
        raise Rejected("country_iso_code", str(error),
                       "use an ISO 3166 country code, or a cloud provider and region") from None


def parse_codecarbon(text: str, source_file: str, cluster: Cluster, places: Places) -> ParseResult:
    reader = csv.DictReader(io.StringIO(text))
    header = set(reader.fieldnames or [])
    generation = "current (run_id)" if "run_id" in header else "early (experiment_id)"
    needed = {"timestamp", "duration", "emissions", "energy_consumed"}
    if not needed <= header:
        missing = ", ".join(sorted(needed - header))
        raise ValueError(f"{source_file}: not a CodeCarbon emissions.csv (missing {missing})")
    local = zoneinfo.ZoneInfo(cluster.time_zone)

    def check(row: dict) -> dict:
        try:
            end = dt.datetime.fromisoformat(row["timestamp"].strip())
        except ValueError as error:
            raise Rejected("timestamp", f"not a date and time ({error})",
                           "timestamps are ISO 8601, e.g. 2021-09-23T15:04:51") from None
        try:
            duration, energy = _number(row, "duration"), _number(row, "energy_consumed")
            emissions = _number(row, "emissions")
        except ValueError as error:
            raise Rejected("energy_consumed", f"not a number ({error})", "duration (s), emissions (kg) and "
                           "energy_consumed (kWh) are plain numbers") from None
        if duration is None or duration < 0 or energy is None or energy < 0:
            raise Rejected("duration", "missing or negative duration or energy",
                           "a run has a duration >= 0 s and energy >= 0")
        end_utc = (end if end.tzinfo else end.replace(tzinfo=local)).astimezone(dt.UTC).replace(tzinfo=None)
        return {"cluster": cluster.name, "run_id": _run(row), "project_name": row.get("project_name"),
                "start": end_utc - dt.timedelta(seconds=duration), "end": end_utc, "duration_s": duration,
                "energy_kwh": energy, "codecarbon_kgco2e": emissions, "zone_id": _zone(row, places),
                "gpu_model": (row.get("gpu_model") or None), "pue": _number(row, "pue"),
                "header_generation": generation, "source_file": source_file, "source_row": row["source_row"]}

    records = [{**row, "source_row": line} for line, row in enumerate(reader, start=2)]
    rows, rejected = partition(records, check, source_file=source_file, name_of=_run)
    return ParseResult(pl.DataFrame(rows, schema=SCHEMA), rejections_frame(rejected))
