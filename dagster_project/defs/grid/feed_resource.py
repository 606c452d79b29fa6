"""Live grid feeds as a Dagster resource: base URLs, zones and limits.

Credentials are not resource config: they are read from the environment when a feed is fetched
(`settings.credential`). Run config replaces a resource's configured values wholesale, so tokens
held as config were silently dropped by any run that set zones; and run config is stored in the
run's record, where a token must never be written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
from pydantic import Field

from dagster_project import settings
from ingestion.http import FeedHTTP
from ingestion.sources.grid.feeds import eia, electricity_maps, entsoe, uk_neso
from ingestion.sources.grid.mix_intensity import read_factors
from ingestion.sources.grid.observations import FeedBatch
from ingestion.sources.grid.reference import GridReference


class FeedNotConfigured(Exception):
    """The feed needs a credential that is not set: skip it, do not fail."""


class GridFeeds(dg.ConfigurableResource):
    uk_neso_base_url: str = uk_neso.BASE_URL
    electricity_maps_base_url: str = electricity_maps.BASE_URL
    eia_base_url: str = eia.BASE_URL
    entsoe_base_url: str = entsoe.BASE_URL
    electricity_maps_zones: list[str] = Field(
        default=["DE", "FR", "GB", "IE", "NL", "DK-DK2", "SE-SE3", "NO-NO1", "US-CAL-CISO", "US-MIDA-PJM",
                 "US-NW-BPAT", "US-TEX-ERCO"],
        description="Zones to fetch; each must be in data/grid/countries.csv or zones.csv.")
    eia_respondents: list[str] = Field(
        default=["CISO", "ERCO", "PJM", "MISO", "BPAT", "DUK", "SWPP", "NYIS", "ISNE", "SOCO", "TVA", "PACW"],
        description="EIA-930 balancing authorities; each must have a row in data/grid/zones.csv.")
    entsoe_areas: list[str] | None = Field(
        default=None, description="ENTSO-E area EICs; default: every area in data/grid/entsoe_areas.csv.")
    timeout_s: float = Field(default=20.0, description="Seconds to wait for an answer once connected, per attempt.")
    connect_timeout_s: float = Field(default=5.0, description="Seconds to wait for a connection, per attempt.")
    retries: int = Field(default=4, description="Retries of 429 and 5xx answers (Retry-After honoured).")
    connection_retries: int = Field(default=1, description="Retries of a refused, unresolved or silent server.")
    backoff_s: float = 1.0

    def _http(self, feed: str) -> FeedHTTP:
        return FeedHTTP(feed, timeout_s=self.timeout_s, connect_timeout_s=self.connect_timeout_s,
                        retries=self.retries, connection_retries=self.connection_retries, backoff_s=self.backoff_s)

    def _secret(self, feed: str, variable: str) -> str:
        value = settings.credential(variable)
        if not value:
            raise FeedNotConfigured(f"{variable} is not set")
        return value

    def fetch_day(self, feed: str, day: dt.date, *, landing_dir: Path, load_id: str,
                  grid_dir: Path) -> FeedBatch:
        reference = GridReference.from_folder(grid_dir)
        if feed == "uk_neso":
            return uk_neso.fetch_day(self._http(feed), day, landing_dir=landing_dir, load_id=load_id,
                                     base_url=self.uk_neso_base_url)
        if feed == "electricity_maps":
            token = self._secret(feed, "ELECTRICITY_MAPS_TOKEN")
            return electricity_maps.fetch_day(
                self._http(feed), day, zones=self.electricity_maps_zones, token=token, landing_dir=landing_dir,
                load_id=load_id, known_zone=reference.is_known_zone, base_url=self.electricity_maps_base_url)
        factors = read_factors(grid_dir / "emission_factors.csv")
        if feed == "eia":
            key = self._secret(feed, "EIA_API_KEY")
            return eia.fetch_day(self._http(feed), day, respondents=self.eia_respondents, api_key=key,
                                 landing_dir=landing_dir, load_id=load_id, reference=reference,
                                 factors=factors, base_url=self.eia_base_url)
        if feed == "entsoe":
            token = self._secret(feed, "ENTSOE_TOKEN")
            areas = self.entsoe_areas or sorted(reference.entsoe_zones)
            return entsoe.fetch_day(self._http(feed), day, areas=areas, token=token, landing_dir=landing_dir,
                                    load_id=load_id, reference=reference, factors=factors,
                                    base_url=self.entsoe_base_url)
        raise FeedNotConfigured(f"feed {feed!r} has no client")
