"""Importer for Ember's yearly electricity data (CC BY 4.0), long format.

Bulk CSV `yearly_full_release_long_format.csv`: columns Area, ISO 3 code, Year, Area type, ...,
Category, Subcategory, Variable, Unit, Value. Intensity is Category "Power sector emissions",
Variable "CO2 intensity" (gCO2/kWh, lifecycle factors); the mix is Category "Electricity
generation", Subcategory "Fuel", Unit "%".
"""

from __future__ import annotations

from pathlib import Path

from ingestion.sources.grid.annual import AnnualResult, validate_annual
from ingestion.sources.grid.reference import GridReference
from ingestion.files import read_csv_records

SOURCE = "Ember, Yearly Electricity Data"
SOURCE_URL = "https://ember-energy.org/data/yearly-electricity-data/"
LICENCE = "CC BY 4.0"


def is_ember_file(first_line: str) -> bool:
    columns = [c.strip() for c in first_line.split(",")]
    return {"Area", "ISO 3 code", "Year", "Category", "Variable", "Unit", "Value"} <= set(columns)


def parse_ember_yearly(path: Path, *, reference: GridReference, load_id: str) -> AnnualResult:
    intensity, mix = [], []
    for row in read_csv_records(path):
        if (row.get("Area type") or "Country").strip().lower() not in {"country", "country or economy"}:
            if (row.get("Area") or "").strip() != "World":
                continue  # regions and groups of countries are not grids
        code = "WLD" if (row.get("Area") or "").strip() == "World" else row.get("ISO 3 code")
        base = {"code": code, "name": row.get("Area"), "year": row.get("Year"),
                "source_row": row["source_row"], "source": SOURCE, "source_url": SOURCE_URL,
                "licence": LICENCE, "vintage": row.get("Year")}
        category, unit = (row.get("Category") or "").strip(), (row.get("Unit") or "").strip()
        if category == "Power sector emissions" and row.get("Variable", "").strip() == "CO2 intensity":
            intensity.append({**base, "gco2e_per_kwh": row.get("Value"), "basis": "lifecycle"})
        elif (category == "Electricity generation" and (row.get("Subcategory") or "").strip() == "Fuel"
              and unit == "%"):
            mix.append({**base, "fuel": row.get("Variable"), "share_pct": row.get("Value")})
    return validate_annual(intensity, mix, reference=reference, source_file=Path(path).name, load_id=load_id)
