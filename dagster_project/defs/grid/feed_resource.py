"""Live grid feeds as a Dagster resource: base URLs, zones and limits.

Credentials are not resource config: they are read from the environment when a feed is fetched
(`settings.credential`). Run config replaces a resource's configured values wholesale, so tokens
held as config were silently dropped by any run that set zones; and run config is stored in the
run's record, where a token must never be written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
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
    electricity_maps_forecasts: bool = Field(
        default=False, description="Also keep Electricity Maps' carbon-intensity forecast as issued, each refresh "
                                   "of today (a plan that includes forecasts).")
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

    def fetch_day(self, feed: str, day: dt.date, *, landing_dir: Path, load_id: str,
                  grid_dir: Path) -> FeedBatch:
        """One UTC day of `feed`, by its client in CLIENTS, handed everything it needs once."""
        if feed not in CLIENTS:
            raise FeedNotConfigured(f"feed {feed!r} has no client")
        variable = settings.FEED_CREDENTIALS.get(feed)
        secret = settings.credential(variable) if variable else None
        if variable and not secret:
            raise FeedNotConfigured(f"{variable} is not set")
        return CLIENTS[feed](self, FeedDay(self._http(feed), day, landing_dir, load_id, grid_dir, secret))


@dataclass(frozen=True)
class FeedDay:
    """What a feed client gets for one day: its HTTP client, where to land payloads, the load id, the
    grid reference folder and its credential (from the environment, never config)."""

    http: FeedHTTP
    day: dt.date
    landing_dir: Path
    load_id: str
    grid_dir: Path
    secret: str | None

    @cached_property
    def reference(self) -> GridReference:
        return GridReference.from_folder(self.grid_dir)

    @cached_property
    def factors(self):
        return read_factors(self.grid_dir / "emission_factors.csv")


# One client per feed: the module's fetch_day with the resource's settings for it.
CLIENTS: dict[str, Callable[[GridFeeds, FeedDay], FeedBatch]] = {
    "uk_neso": lambda feeds, d: uk_neso.fetch_day(
        d.http, d.day, landing_dir=d.landing_dir, load_id=d.load_id, base_url=feeds.uk_neso_base_url),
    "electricity_maps": lambda feeds, d: electricity_maps.fetch_day(
        d.http, d.day, zones=feeds.electricity_maps_zones, token=d.secret, landing_dir=d.landing_dir,
        load_id=d.load_id, known_zone=d.reference.is_known_zone, base_url=feeds.electricity_maps_base_url,
        forecasts=feeds.electricity_maps_forecasts),
    "eia": lambda feeds, d: eia.fetch_day(
        d.http, d.day, respondents=feeds.eia_respondents, api_key=d.secret, landing_dir=d.landing_dir,
        load_id=d.load_id, reference=d.reference, factors=d.factors, base_url=feeds.eia_base_url),
    "entsoe": lambda feeds, d: entsoe.fetch_day(
        d.http, d.day, areas=feeds.entsoe_areas or sorted(d.reference.entsoe_zones), token=d.secret,
        landing_dir=d.landing_dir, load_id=d.load_id, reference=d.reference, factors=d.factors,
        base_url=feeds.entsoe_base_url),
}
