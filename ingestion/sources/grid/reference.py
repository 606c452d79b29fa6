"""Zones and fuels the grid data may name: data/grid/countries.csv and data/grid/fuels.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

WORLD = "WORLD"


@dataclass(frozen=True)
class GridReference:
    iso2_by_iso3: dict[str, str]
    names: dict[str, str]  # zone_id -> name
    fuel_by_alias: dict[str, str]  # lower-case alias -> canonical fuel

    @classmethod
    def load(cls, countries: Path, fuels: Path) -> GridReference:
        with open(countries, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        iso2_by_iso3 = {r["iso3"]: r["iso2"] for r in rows}
        iso2_by_iso3.update({"OWID_WRL": WORLD, "WLD": WORLD, "OWID_KOS": "XK"})
        names = {r["iso2"]: r["name"] for r in rows} | {WORLD: "World"}
        with open(fuels, newline="", encoding="utf-8") as handle:
            fuel_rows = list(csv.DictReader(handle))
        aliases = {r["fuel"].lower(): r["fuel"] for r in fuel_rows}
        for r in fuel_rows:
            for alias in (r.get("aliases") or "").split("|"):
                if alias.strip():
                    aliases[alias.strip().lower()] = r["fuel"]
        return cls(iso2_by_iso3, names, aliases)

    def zone_for(self, code: str | None) -> str | None:
        """ISO alpha-3 (or OWID's own codes) to our country zone id (ISO alpha-2, or WORLD)."""
        if not code:
            return None
        code = code.strip().upper()
        if code in self.names:
            return code
        return self.iso2_by_iso3.get(code)

    def fuel(self, name: str | None) -> str | None:
        return self.fuel_by_alias.get((name or "").strip().lower())
