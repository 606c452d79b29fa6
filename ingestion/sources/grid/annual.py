"""Annual carbon intensity and generation mix per country: schemas and row rules.

Every importer (our own CSV, OWID, Ember) produces candidate records in these shapes and passes
them through `validate_annual`; bad rows are quarantined with the file, line, field and fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ingestion.quarantine import Rejection, messages, rejections_frame
from ingestion.sources.grid.reference import GridReference

BASES = ("lifecycle", "direct")

INTENSITY_SCHEMA = {
    "zone_id": pl.String,
    "year": pl.Int32,
    "gco2e_per_kwh": pl.Float64,
    "basis": pl.String,
    "generation_twh": pl.Float64,
    "source": pl.String,
    "source_url": pl.String,
    "vintage": pl.String,
    "licence": pl.String,
    "source_file": pl.String,
    "source_row": pl.Int64,
    "load_id": pl.String,
}

MIX_SCHEMA = {
    "zone_id": pl.String,
    "year": pl.Int32,
    "fuel": pl.String,
    "share_pct": pl.Float64,
    "source": pl.String,
    "vintage": pl.String,
    "licence": pl.String,
    "source_file": pl.String,
    "source_row": pl.Int64,
    "load_id": pl.String,
}


@dataclass(frozen=True)
class AnnualResult:
    intensity: pl.DataFrame
    mix: pl.DataFrame
    rejected: pl.DataFrame

    @property
    def messages(self) -> list[str]:
        return messages(self.rejected)

    @staticmethod
    def concat(results: list[AnnualResult]) -> AnnualResult:
        return AnnualResult(
            pl.concat([r.intensity for r in results]),
            pl.concat([r.mix for r in results]),
            pl.concat([r.rejected for r in results]),
        )


def _float(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return float(value)


def validate_annual(
    intensity: list[dict],
    mix: list[dict],
    *,
    reference: GridReference,
    source_file: str,
    load_id: str,
) -> AnnualResult:
    """Records carry `code` (ISO-3, ISO-2 or OWID code), `year`, values, `source_row`."""
    rejected: list[Rejection] = []
    last_year = dt.date.today().year

    def check_common(record: dict, label: str) -> tuple[str, int] | None:
        name = record.get("name") or record.get("code")

        def reject(field, value, reason, fix):
            rejected.append(Rejection(source_file, record["source_row"], name, field,
                                      None if value is None else str(value), reason, fix, record))

        zone = reference.zone_for(record.get("code"))
        if zone is None:
            reject("code", record.get("code"), f"unknown country code in {label} data",
                   "use an ISO 3166 alpha-3 code listed in data/grid/countries.csv, or add the country there")
            return None
        try:
            year = int(str(record.get("year")).strip()[:4])
        except ValueError:
            reject("year", record.get("year"), "year is not a number", "write the year as YYYY")
            return None
        if not 1985 <= year <= last_year:
            reject("year", year, f"year outside 1985-{last_year}", "correct the year")
            return None
        return zone, year

    good_intensity, seen = [], set()
    for record in intensity:
        key = check_common(record, "intensity")
        if key is None:
            continue
        try:
            value, generation = _float(record.get("gco2e_per_kwh")), _float(record.get("generation_twh"))
        except ValueError:
            rejected.append(Rejection(source_file, record["source_row"], record.get("name"), "gco2e_per_kwh",
                                      str(record.get("gco2e_per_kwh")), "not a number",
                                      "write gCO2e/kWh as a plain number", record))
            continue
        if value is None:
            continue  # no intensity that year: not an error, the series simply starts later
        if value < 0:
            rejected.append(Rejection(source_file, record["source_row"], record.get("name"), "gco2e_per_kwh",
                                      str(value), "carbon intensity cannot be negative",
                                      "check the sign and unit (gCO2e per kWh)", record))
            continue
        basis = record.get("basis") or "lifecycle"
        if basis not in BASES:
            rejected.append(Rejection(source_file, record["source_row"], record.get("name"), "basis", basis,
                                      f"basis must be one of {', '.join(BASES)}",
                                      "say whether the factors are lifecycle or direct", record))
            continue
        if (key[0], key[1], basis) in seen:
            rejected.append(Rejection(source_file, record["source_row"], record.get("name"), "year", str(key[1]),
                                      "duplicate zone and year in one file", "keep one row per zone and year",
                                      record))
            continue
        seen.add((key[0], key[1], basis))
        good_intensity.append({
            "zone_id": key[0], "year": key[1], "gco2e_per_kwh": value, "basis": basis,
            "generation_twh": generation, "source": record["source"], "source_url": record.get("source_url"),
            "vintage": record.get("vintage"), "licence": record["licence"], "source_file": source_file,
            "source_row": record["source_row"], "load_id": load_id,
        })

    good_mix, seen_mix = [], set()
    for record in mix:
        key = check_common(record, "generation mix")
        if key is None:
            continue
        fuel = reference.fuel(record.get("fuel"))
        if fuel is None:
            rejected.append(Rejection(source_file, record["source_row"], record.get("name"), "fuel",
                                      record.get("fuel"), "unknown fuel name",
                                      "use a fuel or alias listed in data/grid/fuels.csv", record))
            continue
        try:
            share = _float(record.get("share_pct"))
        except ValueError:
            share = float("nan")
        if share is None:
            continue
        if not 0 <= share <= 100:
            rejected.append(Rejection(source_file, record["source_row"], record.get("name"), "share_pct",
                                      str(record.get("share_pct")), "a share of generation lies within 0-100 %",
                                      "give the fuel's share of generation in percent", record))
            continue
        if (key[0], key[1], fuel) in seen_mix:
            rejected.append(Rejection(source_file, record["source_row"], record.get("name"), "fuel", fuel,
                                      "the same fuel twice for one zone and year",
                                      "keep one share per fuel, zone and year", record))
            continue
        seen_mix.add((key[0], key[1], fuel))
        good_mix.append({
            "zone_id": key[0], "year": key[1], "fuel": fuel, "share_pct": share,
            "source": record["source"], "vintage": record.get("vintage"), "licence": record["licence"],
            "source_file": source_file, "source_row": record["source_row"], "load_id": load_id,
        })

    good_mix = _complete_mixes(good_mix, rejected, source_file)
    return AnnualResult(
        pl.DataFrame(good_intensity, schema=INTENSITY_SCHEMA),
        pl.DataFrame(good_mix, schema=MIX_SCHEMA),
        rejections_frame(rejected),
    )


MIX_TOLERANCE_PCT = 1.0


def _complete_mixes(rows: list[dict], rejected: list[Rejection], source_file: str) -> list[dict]:
    """A zone-year's shares must add up to 100 % (± 1): otherwise a fuel is missing or counted
    twice, and everything computed from the mix (water intensity) would be wrong. Such a mix is
    quarantined whole, one rejection per row, each naming the total."""
    totals: dict[tuple, float] = {}
    for row in rows:
        key = (row["zone_id"], row["year"])
        totals[key] = totals.get(key, 0.0) + row["share_pct"]
    keep = []
    for row in rows:
        total = totals[(row["zone_id"], row["year"])]
        if abs(total - 100) <= MIX_TOLERANCE_PCT:
            keep.append(row)
            continue
        rejected.append(Rejection(
            source_file, row["source_row"], f"{row['zone_id']} {row['year']}", "share_pct", str(row["share_pct"]),
            f"the {row['zone_id']} {row['year']} mix sums to {total:.2f} % (expected 100 ± {MIX_TOLERANCE_PCT:g}): "
            "a fuel is missing or counted twice",
            "supply every fuel's share for that zone and year, or none", row))
    return keep
