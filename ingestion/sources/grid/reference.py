"""Zones and fuels the grid data may name: data/grid/countries.csv and data/grid/fuels.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

WORLD = "WORLD"


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class GridReference:
    iso2_by_iso3: dict[str, str]
    names: dict[str, str]  # zone_id -> name (countries and WORLD)
    fuel_by_alias: dict[str, str]  # lower-case alias -> canonical fuel
    sub_zones: dict[str, str] = field(default_factory=dict)  # sub-national zone_id -> parent country
    eia_zones: dict[str, str] = field(default_factory=dict)  # EIA-930 respondent -> zone_id
    entsoe_zones: dict[str, str] = field(default_factory=dict)  # ENTSO-E area EIC -> zone_id

    @classmethod
    def from_folder(cls, root: Path) -> GridReference:
        """Everything under data/grid/: countries, fuels, sub-national zones and feed area codes."""
        base = cls.load(root / "countries.csv", root / "fuels.csv")
        zones = _rows(root / "zones.csv")
        return cls(
            base.iso2_by_iso3, base.names, base.fuel_by_alias,
            sub_zones={r["zone_id"]: r["parent_zone_id"] for r in zones},
            eia_zones={r["eia_respondent"]: r["zone_id"] for r in zones if r.get("eia_respondent")},
            entsoe_zones={r["eic"]: r["zone_id"] for r in _rows(root / "entsoe_areas.csv")},
        )

    def is_known_zone(self, zone_id: str) -> bool:
        return zone_id in self.names or zone_id in self.sub_zones

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
