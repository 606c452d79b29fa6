"""Live grid feeds as a Dagster resource: base URLs, limits and credentials (from EnvVar)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg

from ingestion.http import FeedHTTP
from ingestion.sources.grid.feeds import uk_neso
from ingestion.sources.grid.observations import FeedBatch


class FeedNotConfigured(Exception):
    """The feed needs a credential that is not set: skip it, do not fail."""


class GridFeeds(dg.ConfigurableResource):
    uk_neso_base_url: str = uk_neso.BASE_URL
    timeout_s: float = 30.0
    retries: int = 4
    backoff_s: float = 1.0
    # Secrets: EnvVar references, resolved at run time, never shown in the UI or logs.
    electricity_maps_token: str | None = None
    eia_api_key: str | None = None
    entsoe_token: str | None = None

    def _http(self, feed: str) -> FeedHTTP:
        return FeedHTTP(feed, timeout_s=self.timeout_s, retries=self.retries, backoff_s=self.backoff_s)

    def fetch_day(self, feed: str, day: dt.date, *, landing_dir: Path, load_id: str) -> FeedBatch:
        if feed == "uk_neso":
            return uk_neso.fetch_day(self._http(feed), day, landing_dir=landing_dir, load_id=load_id,
                                     base_url=self.uk_neso_base_url)
        raise FeedNotConfigured(f"feed {feed!r} has no client configured in this build")
