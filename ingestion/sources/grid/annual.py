"""Annual carbon intensity and generation mix per country: schemas and row rules.

Every importer (our own CSV, OWID, Ember) produces candidate records in these shapes and passes
them through `validate_annual`; bad rows are quarantined with the file, line, field and fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from ingestion.quarantine import Rejected, Rejection, messages, partition, rejections_frame
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


@dataclass
class _AnnualChecks:
    """The per-row checks of one annual file (partition raises their rejections)."""

    reference: GridReference
    source_file: str
    load_id: str
    last_year: int = field(default_factory=lambda: dt.date.today().year)
    seen: set = field(default_factory=set)
    seen_mix: set = field(default_factory=set)

    def zone_and_year(self, record: dict, label: str) -> tuple[str, int]:
        zone = self.reference.zone_for(record.get("code"))
        if zone is None:
            raise Rejected("code", f"unknown country code in {label} data",
                           "use an ISO 3166 alpha-3 code listed in data/grid/countries.csv, or add the country there")
        try:
            year = int(str(record.get("year")).strip()[:4])
        except ValueError:
            raise Rejected("year", "year is not a number", "write the year as YYYY") from None
        if not 1985 <= year <= self.last_year:
            raise Rejected("year", f"year outside 1985-{self.last_year}", "correct the year", value=year)
        return zone, year

    def intensity_row(self, record: dict) -> dict | None:
        zone, year = self.zone_and_year(record, "intensity")
        try:
            value, generation = _float(record.get("gco2e_per_kwh")), _float(record.get("generation_twh"))
        except ValueError:
            raise Rejected("gco2e_per_kwh", "not a number", "write gCO2e/kWh as a plain number") from None
        if value is None:
            return None  # no intensity that year: not an error, the series simply starts later
        if value < 0:
            raise Rejected("gco2e_per_kwh", "carbon intensity cannot be negative",
                           "check the sign and unit (gCO2e per kWh)", value=value)
        basis = record.get("basis") or "lifecycle"
        if basis not in BASES:
            raise Rejected("basis", f"basis must be one of {', '.join(BASES)}",
                           "say whether the factors are lifecycle or direct", value=basis)
        if (zone, year, basis) in self.seen:
            raise Rejected("year", "duplicate zone and year in one file", "keep one row per zone and year", value=year)
        self.seen.add((zone, year, basis))
        return {"zone_id": zone, "year": year, "gco2e_per_kwh": value, "basis": basis, "generation_twh": generation,
                "source": record["source"], "source_url": record.get("source_url"), "vintage": record.get("vintage"),
                "licence": record["licence"], "source_file": self.source_file, "source_row": record["source_row"],
                "load_id": self.load_id}

    def mix_row(self, record: dict) -> dict | None:
        zone, year = self.zone_and_year(record, "generation mix")
        fuel = self.reference.fuel(record.get("fuel"))
        if fuel is None:
            raise Rejected("fuel", "unknown fuel name", "use a fuel or alias listed in data/grid/fuels.csv")
        try:
            share = _float(record.get("share_pct"))
        except ValueError:
            share = float("nan")
        if share is None:
            return None
        if not 0 <= share <= 100:
            raise Rejected("share_pct", "a share of generation lies within 0-100 %",
                           "give the fuel's share of generation in percent")
        if (zone, year, fuel) in self.seen_mix:
            raise Rejected("fuel", "the same fuel twice for one zone and year",
                           "keep one share per fuel, zone and year", value=fuel)
        self.seen_mix.add((zone, year, fuel))
        return {"zone_id": zone, "year": year, "fuel": fuel, "share_pct": share, "source": record["source"],
                "vintage": record.get("vintage"), "licence": record["licence"], "source_file": self.source_file,
                "source_row": record["source_row"], "load_id": self.load_id}


def _name_of(record: dict) -> str | None:
    return record.get("name") or record.get("code")


def validate_annual(
    intensity: list[dict],
    mix: list[dict],
    *,
    reference: GridReference,
    source_file: str,
    load_id: str,
) -> AnnualResult:
    """Records carry `code` (ISO-3, ISO-2 or OWID code), `year`, values, `source_row`."""
    checks = _AnnualChecks(reference, source_file, load_id)
    good_intensity, rejected = partition(intensity, checks.intensity_row, source_file=source_file, name_of=_name_of)
    good_mix, rejected_mix = partition(mix, checks.mix_row, source_file=source_file, name_of=_name_of)
    rejected += rejected_mix
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
