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

from ingestion.sources.grid.feeds import uk_neso
from ingestion.sources.grid.observations import FeedBatch

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, type=Path)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    observations, mix = uk(args.reference)
    observations.write_csv(OUT / "observations.csv", datetime_format="%Y-%m-%dT%H:%M:%S")
    mix.drop("source", "load_id").write_csv(OUT / "generation_mix.csv", datetime_format="%Y-%m-%dT%H:%M:%S")
    print(f"{observations.height} observations, {mix.height} mix rows, zones {observations['zone_id'].n_unique()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
