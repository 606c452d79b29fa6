"""Bundled water and efficiency reference data, validated row by row.

data/water/datacenter_efficiency.csv  PUE and WUE by provider, scope, region or site, year (low/central/high)
data/water/water_factors.csv          litres consumed per kWh generated, by fuel, technology and cooling
data/water/published_ewif.csv         published off-site water intensities to compare ours with
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingestion.files import read_csv_frame, read_csv_records
from ingestion.quarantine import Rejected, Rejection, messages, partition, rejections_frame
from ingestion.sources.grid.reference import GridReference

METRICS = {"PUE": "ratio", "WUE": "L/kWh IT"}
WATER_METRICS = ("consumption", "withdrawal")

EFFICIENCY_SCHEMA = {
    "provider": pl.String, "scope": pl.String, "region": pl.String, "location": pl.String, "year": pl.Int32,
    "metric": pl.String, "low": pl.Float64, "central": pl.Float64, "high": pl.Float64, "unit": pl.String,
    "source": pl.String, "source_url": pl.String, "licence": pl.String, "source_row": pl.Int64,
}
FACTOR_SCHEMA = {
    "fuel": pl.String, "technology": pl.String, "cooling": pl.String, "metric": pl.String,
    "low_l_per_kwh": pl.Float64, "central_l_per_kwh": pl.Float64, "high_l_per_kwh": pl.Float64,
    "is_fuel_default": pl.Boolean, "source": pl.String, "note": pl.String, "licence": pl.String,
    "source_row": pl.Int64,
}


@dataclass(frozen=True)
class WaterInputs:
    root: Path  # data/water
    grid_root: Path  # data/grid (fuels)

    def files(self) -> list[Path]:
        return [self.root / "datacenter_efficiency.csv", self.root / "water_factors.csv",
                self.root / "published_ewif.csv"]


@dataclass(frozen=True)
class WaterResult:
    efficiency: pl.DataFrame
    factors: pl.DataFrame
    published: pl.DataFrame
    rejected: pl.DataFrame

    @property
    def messages(self) -> list[str]:
        return messages(self.rejected)


def _num(value: str | None) -> float | None:
    return None if value is None or not str(value).strip() else float(value)


def validate_efficiency(records: list[dict], source_file: str) -> tuple[list[dict], list[Rejection]]:
    return partition(records, _efficiency_row, source_file=source_file,
                     name_of=lambda r: f"{r.get('provider')} {r.get('scope')} {r.get('region') or ''} {r.get('year')}")


def _efficiency_row(record: dict) -> dict:
    """A PUE or WUE figure as it loads, or Rejected naming the field at fault."""
    metric = (record.get("metric") or "").strip()
    if metric not in METRICS:
        raise Rejected("metric", f"metric must be one of {', '.join(METRICS)}", "write PUE or WUE")
    try:
        low, central, high = (_num(record.get(k)) for k in ("low", "central", "high"))
        year = int(record["year"])
    except (ValueError, TypeError):
        raise Rejected("central", "a value or the year is not a number", "write plain numbers") from None
    if central is None:
        raise Rejected("central", "central value is missing", "give the reported value")
    values = [v for v in (low, central, high) if v is not None]
    if metric == "PUE" and min(values) < 1:
        raise Rejected("central" if central < 1 else "low", "PUE below 1 is impossible (facility energy >= IT "
                       "energy)", "check the figure; PUE = facility energy / IT energy")
    if metric == "WUE" and min(values) < 0:
        raise Rejected("central" if central < 0 else "low", "WUE cannot be negative",
                       "check the sign and the unit (L/kWh)")
    if (low is not None and low > central) or (high is not None and high < central):
        raise Rejected("central", f"central {central} lies outside [{low}, {high}]", "order low <= central <= high")
    if not (record.get("source") or "").strip():
        raise Rejected("source", "every figure needs a source", "cite the report or page")
    return {**{k: record.get(k) or None for k in ("provider", "scope", "region", "location", "unit", "source",
                                                  "source_url", "licence")},
            "provider": record["provider"].strip().lower(), "year": year, "metric": metric,
            "low": low, "central": central, "high": high, "source_row": record["source_row"]}


def validate_factors(records: list[dict], source_file: str, reference: GridReference):
    def check(record: dict) -> dict:
        fuel = reference.fuel(record.get("fuel"))
        if fuel is None:
            raise Rejected("fuel", "unknown fuel name", "use a fuel or alias listed in data/grid/fuels.csv")
        if record.get("metric") not in WATER_METRICS:
            raise Rejected("metric", "metric must be consumption or withdrawal (kept apart)",
                           "say whether water is consumed or only withdrawn")
        values = {k: _num(record.get(k)) for k in ("low_l_per_kwh", "central_l_per_kwh", "high_l_per_kwh")}
        if values["central_l_per_kwh"] is None or min(v for v in values.values() if v is not None) < 0:
            raise Rejected("central_l_per_kwh", "water per kWh must be given and >= 0", "give litres per kWh generated")
        default = str(record.get("is_fuel_default")).lower() == "true"
        return {**record, **values, "fuel": fuel, "is_fuel_default": default}

    return partition(records, check, source_file=source_file,
                     name_of=lambda r: f"{r.get('fuel')} {r.get('technology')} {r.get('cooling')}")


def load_water(inputs: WaterInputs) -> WaterResult:
    reference = GridReference.from_folder(inputs.grid_root)
    efficiency, bad_e = validate_efficiency(read_csv_records(inputs.root / "datacenter_efficiency.csv"),
                                            "datacenter_efficiency.csv")
    factors, bad_f = validate_factors(read_csv_records(inputs.root / "water_factors.csv"), "water_factors.csv",
                                      reference)
    defaults: dict[tuple, int] = {}
    for row in factors:
        if row["is_fuel_default"] and row["metric"] == "consumption":
            defaults[(row["fuel"],)] = defaults.get((row["fuel"],), 0) + 1
    duplicated = {k[0] for k, n in defaults.items() if n > 1}
    for row in [r for r in factors if r["is_fuel_default"] and r["fuel"] in duplicated]:
        bad_f.append(Rejection("water_factors.csv", row["source_row"], row["fuel"], "is_fuel_default", "true",
                               "two default consumption factors for one fuel", "mark one row per fuel as default",
                               row))
    factors = [r for r in factors if not (r["is_fuel_default"] and r["fuel"] in duplicated)]
    published = read_csv_frame(inputs.root / "published_ewif.csv").with_columns(pl.col("year").cast(pl.Int32))
    return WaterResult(
        pl.DataFrame(efficiency, schema=EFFICIENCY_SCHEMA)
        .with_columns(source_file=pl.lit("datacenter_efficiency.csv")),
        pl.DataFrame([{k: r.get(k) for k in FACTOR_SCHEMA} for r in factors], schema=FACTOR_SCHEMA)
        .with_columns(source_file=pl.lit("water_factors.csv")),
        published,
        rejections_frame(bad_e + bad_f),
    )
