"""Derive the bundled hourly samples (data/grid/hourly_samples/) from real recorded feed responses.

    python scripts/derive_hourly_samples.py --reference <shared reference-data folder>

Each recorded payload goes through the same parser the live client uses; the result is written in
the warehouse's own observation format. Which zones and dates this covers is listed in the README.
A provenance record: the build reads the CSVs, not this script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import polars as pl

from ingestion.sources.grid.feeds import entsoe, uk_neso
from ingestion.sources.grid.mix_intensity import add_computed_intensity, read_factors
from ingestion.sources.grid.observations import FeedBatch
from ingestion.sources.grid.reference import GridReference

OUT = Path("data/grid/hourly_samples")


def uk(reference: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    bodies = reference / "uk-carbon-intensity/extracted-bodies"
    recorded_at = dt.datetime(2021, 4, 30, 23, 1, 57)  # index.json: when the responses were recorded
    batch = FeedBatch(uk_neso.FEED)
    for name, parse in (("intensity_2020_01_01T00_00Z_2020_01_02T23_59Z.json", uk_neso.parse_national),
                        ("regional_intensity_2020_01_01T00_00Z_2020_01_02T23_59Z.json", uk_neso.parse_regional)):
        parse(json.loads((bodies / name).read_bytes()), url=name, landed=bodies / name,
              retrieved_at=recorded_at, load_id="sample:uk_neso:recorded-2021-04-30", batch=batch)
    frames = [batch.frames(dt.date(2020, 1, day)) for day in (1, 2)]
    return pl.concat([f[0] for f in frames]), pl.concat([f[1] for f in frames])


def uk_forward(reference: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Two recorded forward windows: the national 24 hours from 2017-10-01T11:30Z, forecasts with their
    actuals (recorded once the actuals were in), and South England's 48 hours from 2020-05-19T20:00Z.
    NESO states no issue time: a forecast's is the start of the first period the window returns (the
    current half-hour when asked), `issued_at_basis` "request_start"."""
    folder = reference / "uk-carbon-intensity/jscruz-carbonintensity"
    batch = FeedBatch(uk_neso.FEED)
    for name in ("national_intensity_fw24h_2017-10-01.json", "regional_intensity_fw48h_postcode_BH1_2020-05-19.json"):
        payload = json.loads((folder / name).read_bytes())
        records = uk_neso._records(payload, name, folder / name)
        issued = uk_neso.utc(records[0]["from"])
        retrieved = uk_neso.utc(records[-1]["to"])  # not recorded: no earlier than the window's end
        load_id = f"sample:uk_neso:{name.removesuffix('.json')}"
        uk_neso.parse_forward(payload, url=name, landed=folder / name, issued_at=issued,
                              issued_at_basis="request_start", retrieved_at=retrieved, load_id=load_id, batch=batch)
        if "regions" not in records[0]:  # the national window's actuals, as the day's range gives them
            uk_neso.parse_national(payload, url=name, landed=folder / name, retrieved_at=retrieved,
                                   load_id=load_id, batch=batch)
    batch.observations = [o for o in batch.observations if o["kind"] == "actual"]  # its forecasts are vintages
    observations, _ = days(batch, dt.datetime(2017, 10, 1), dt.datetime(2017, 10, 2))
    return observations, batch.forecast_frame()


def days(frame_batch: FeedBatch, first: dt.datetime, last: dt.datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every UTC day a recording touches, each cut to its own day as the live asset does."""
    frames, day = [], first.date()
    while day <= last.date():
        frames.append(frame_batch.frames(day))
        day += dt.timedelta(days=1)
    return pl.concat([f[0] for f in frames]), pl.concat([f[1] for f in frames])


def entsoe_samples(reference: Path, grid: GridReference, factors) -> tuple[pl.DataFrame, pl.DataFrame]:
    folder = reference / "entsoe/electricitymaps-contrib-mocks"
    batch, rows = FeedBatch(entsoe.FEED), []
    recorded = dt.datetime(2025, 10, 23, 11, 38)
    for name in ("SE-SE4_production.xml", "NO-NO5_production.xml", "FI_production.xml"):
        rows += entsoe.parse_generation((folder / name).read_bytes(), url=name, landed=folder / name,
                                        reference=grid, retrieved_at=recorded, load_id=f"sample:entsoe:{name}",
                                        batch=batch)
    add_computed_intensity(rows, factors, feed=entsoe.FEED, source=entsoe.SOURCE, licence=entsoe.LICENCE,
                           retrieved_at=recorded, load_id="sample:entsoe:recorded", batch=batch)
    starts = [r["period_start"] for r in rows]
    return days(batch, min(starts), max(starts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, type=Path)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    grid = GridReference.from_folder(Path("data/grid"))
    factors = read_factors(Path("data/grid/emission_factors.csv"))
    # EIA recordings are test fixtures whose values their maintainers edited: tests only, not bundled.
    parts = [uk(args.reference), entsoe_samples(args.reference, grid, factors)]
    forward_actuals, forecasts = uk_forward(args.reference)
    observations = pl.concat([p[0] for p in parts] + [forward_actuals])
    mix = pl.concat([p[1] for p in parts])
    observations.write_csv(OUT / "observations.csv", datetime_format="%Y-%m-%dT%H:%M:%S")
    mix.drop("source", "load_id").write_csv(OUT / "generation_mix.csv", datetime_format="%Y-%m-%dT%H:%M:%S")
    forecasts.write_csv(OUT / "forecasts.csv", datetime_format="%Y-%m-%dT%H:%M:%S")
    print(f"{observations.height} observations, {mix.height} mix rows, zones {observations['zone_id'].n_unique()}, "
          f"{forecasts.height} forecast rows of {forecasts.select('zone_id', 'issued_at').n_unique()} issues")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
