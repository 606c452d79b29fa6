"""Importer for Our World in Data's energy dataset (owid-energy-data.csv, CC BY 4.0).

Reads the columns it needs by name, so the full 130-column file and subsets of it both work.
`carbon_intensity_elec` is Ember's generation-based intensity using lifecycle (IPCC AR5) factors.
Aggregates (continents, income groups, "(Ember)"/"(EI)" regions) are skipped, except World.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.sources.grid.annual import AnnualResult, validate_annual
from ingestion.sources.grid.reference import GridReference
from ingestion.files import read_csv_records

SOURCE = "OWID energy data (Ember; Energy Institute)"
SOURCE_URL = "https://github.com/owid/energy-data"
LICENCE = "CC BY 4.0"
SHARE_COLUMNS = {
    "coal_share_elec": "coal",
    "gas_share_elec": "gas",
    "oil_share_elec": "oil",
    "nuclear_share_elec": "nuclear",
    "hydro_share_elec": "hydro",
    "solar_share_elec": "solar",
    "wind_share_elec": "wind",
    "other_renewables_exc_biofuel_share_elec": "other_renewables",
    "biofuel_share_elec": "bioenergy",
}
KEEP_AGGREGATES = {"OWID_WRL", "OWID_KOS"}


def is_owid_file(first_line: str) -> bool:
    columns = first_line.strip().split(",")
    return {"country", "iso_code", "year", "carbon_intensity_elec"} <= set(columns)


def parse_owid_energy(path: Path, *, reference: GridReference, load_id: str,
                      vintage: str | None = None) -> AnnualResult:
    intensity, mix = [], []
    for row in read_csv_records(path):
        code = (row.get("iso_code") or "").strip()
        if not code or (code.startswith("OWID_") and code not in KEEP_AGGREGATES):
            continue  # an aggregate of countries, not a grid
        base = {"code": code, "name": row.get("country"), "year": row.get("year"),
                "source_row": row["source_row"], "source": SOURCE, "source_url": SOURCE_URL,
                "licence": LICENCE, "vintage": vintage or row.get("year")}
        intensity.append({**base, "gco2e_per_kwh": row.get("carbon_intensity_elec"),
                          "generation_twh": row.get("electricity_generation"), "basis": "lifecycle"})
        for column, fuel in SHARE_COLUMNS.items():
            if column in row:
                mix.append({**base, "fuel": fuel, "share_pct": row[column]})
    return validate_annual(intensity, mix, reference=reference, source_file=Path(path).name, load_id=load_id)
