"""The bundled annual grid files in the warehouse's own format, and user imports beside them.

data/grid/annual_intensity.csv       zone_id, year, gco2e_per_kwh, basis, generation_twh, source...
data/grid/annual_generation_mix.csv  zone_id, year, fuel, share_pct, source...
data/grid/imports/*.csv              OWID energy-data or Ember yearly files; their rows replace
                                     bundled rows of the same zone and year.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingestion.files import load_id_of, read_csv_records
from ingestion.sources.grid.annual import AnnualResult, validate_annual
from ingestion.sources.grid.ember import is_ember_file, parse_ember_yearly
from ingestion.sources.grid.owid import is_owid_file, parse_owid_energy
from ingestion.sources.grid.reference import GridReference


@dataclass(frozen=True)
class AnnualInputs:
    root: Path  # data/grid

    @property
    def intensity(self) -> Path:
        return self.root / "annual_intensity.csv"

    @property
    def mix(self) -> Path:
        return self.root / "annual_generation_mix.csv"

    def reference(self) -> GridReference:
        return GridReference.load(self.root / "countries.csv", self.root / "fuels.csv")

    def import_files(self) -> list[Path]:
        folder = self.root / "imports"
        return sorted(p for p in folder.glob("*.csv")) if folder.is_dir() else []

    def files(self) -> list[Path]:
        return [self.intensity, self.mix, self.root / "countries.csv", self.root / "fuels.csv",
                self.root / "zones.csv", self.root / "entsoe_areas.csv",
                *self.import_files()]

    def load_id(self) -> str:
        return load_id_of(self.files())


def parse_bundled(inputs: AnnualInputs, reference: GridReference, load_id: str) -> AnnualResult:
    intensity = [{**r, "code": r["zone_id"]} for r in read_csv_records(inputs.intensity)]
    mix = [{**r, "code": r["zone_id"]} for r in read_csv_records(inputs.mix)]
    # The two files are validated separately so each rejection names its own file.
    a = validate_annual(intensity, [], reference=reference, source_file=inputs.intensity.name, load_id=load_id)
    b = validate_annual([], mix, reference=reference, source_file=inputs.mix.name, load_id=load_id)
    return AnnualResult.concat([a, b])


def parse_import(path: Path, reference: GridReference, load_id: str) -> AnnualResult:
    with open(path, encoding="utf-8-sig") as handle:
        first = handle.readline()
    if is_owid_file(first):
        return parse_owid_energy(path, reference=reference, load_id=load_id)
    if is_ember_file(first):
        return parse_ember_yearly(path, reference=reference, load_id=load_id)
    raise ValueError(
        f"{path}: line 1: unrecognised annual grid table header {first.strip()[:80]!r}. Fix: supply "
        "OWID's owid-energy-data.csv or Ember's yearly long-format CSV"
    )


def _override(base: pl.DataFrame, newer: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Rows of `newer` replace rows of `base` with the same keys."""
    return pl.concat([base.join(newer.select(keys), on=keys, how="anti"), newer])


def load_annual(inputs: AnnualInputs) -> AnnualResult:
    reference, load_id = inputs.reference(), inputs.load_id()
    result = parse_bundled(inputs, reference, load_id)
    intensity, mix, rejected = result.intensity, result.mix, [result.rejected]
    for path in inputs.import_files():
        imported = parse_import(path, reference, load_id)
        intensity = _override(intensity, imported.intensity, ["zone_id", "year", "basis"])
        mix = _override(mix, imported.mix, ["zone_id", "year"])
        rejected.append(imported.rejected)
    return AnnualResult(intensity.sort("zone_id", "year"), mix.sort("zone_id", "year", "fuel"),
                        pl.concat(rejected))
