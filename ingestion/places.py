"""Where a workload or a log says it ran: a cloud region, a grid zone or a country, resolved to the
grid zone it is priced in, with the closest names when it is unknown."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Places:
    """What a location may name, from the warehouse's grid tables."""

    cloud: dict[tuple[str, str], str]  # (provider, region) -> default zone
    zones: set[str]
    countries: dict[str, str]  # lower-case name, ISO-2 or ISO-3 -> zone

    def resolve_zone(self, name: str) -> str:
        """A grid zone id, or a country's name, ISO-2 or ISO-3 code."""
        if name in self.zones:
            return name
        zone = self.countries.get(name.strip().lower())
        if zone is None:
            raise LookupError(f"unknown grid zone or country {name!r}")
        return zone

    def resolve(self, location) -> str:
        if location.region:
            zone = self.cloud.get((location.provider, location.region.lower().replace(" ", "")))
            if zone is None:
                regions = sorted(r for p, r in self.cloud if p == location.provider)
                close = difflib.get_close_matches(location.region.lower().replace(" ", ""), regions, n=3, cutoff=0.6)
                raise LookupError(f"unknown {location.provider} region {location.region!r}"
                                  + (f"; closest: {', '.join(close)}" if close else ""))
            return zone
        if location.zone:
            if location.zone not in self.zones:
                raise LookupError(f"unknown grid zone {location.zone!r}")
            return location.zone
        zone = self.countries.get(location.country.strip().lower())
        if zone is None:
            raise LookupError(f"unknown country {location.country!r}")
        return zone


def places_from_frames(cloud_regions: pl.DataFrame, zones: pl.DataFrame, countries: pl.DataFrame) -> Places:
    """What workloads and logs may name, from the raw grid tables: each cloud region's default zone,
    every zone, and countries by name, ISO-2 or ISO-3 code."""
    cloud = {(r["provider"], str(r["region"]).lower()): r["grid_zone_id"]
             for r in cloud_regions.filter(pl.col("mapping_rank") == 1).to_dicts()}
    names = {}
    for r in countries.to_dicts():
        for key in (r["iso2"], r["iso3"], r["name"]):
            names[str(key).lower()] = r["iso2"]
    return Places(cloud, set(zones["zone_id"]) | set(countries["iso2"]) | {"WORLD"}, names)
