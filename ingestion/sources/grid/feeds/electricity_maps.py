"""Electricity Maps API v3 (api.electricitymaps.com): hourly carbon intensity per zone.

Auth: header `auth-token` (from the environment, never logged). For each zone and UTC day it asks
`/carbon-intensity/past-range` (at most 10 days per call at hourly granularity, so one day is
always allowed), or `/carbon-intensity/history` (the last 24 hours) for today, once per emission
factor type (lifecycle and direct). `isEstimated` is kept: estimated points get kind "estimated"
with the provider's `estimationMethod`. Data licence: Electricity Maps' terms (proprietary).

With `forecasts` (a plan that includes them), today's fetch also asks `/carbon-intensity/forecast`
({zone, forecast: [{carbonIntensity, datetime}], updatedAt}) per basis and keeps it as issued at
`updatedAt` (forecasts.py): a later forecast or the actual never replaces it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingestion.http import FeedHTTP, public_url
from ingestion.quarantine import Rejection
from ingestion.sources.grid.feeds.base import FeedParseError, field_at, number, parse_json
from ingestion.sources.grid.forecasts import keep_forecast
from ingestion.sources.grid.landing import land_payload
from ingestion.sources.grid.observations import FeedBatch, utc

FEED = "electricity_maps"
BASE_URL = "https://api.electricitymaps.com/v3"
SOURCE = "Electricity Maps API v3"
LICENCE = "Electricity Maps terms of use (proprietary)"
BASES = ("lifecycle", "direct")


def parse_intensity(payload: dict, *, zone: str, url: str, landed: Path, retrieved_at: dt.datetime,
                    load_id: str, batch: FeedBatch, known_zone) -> None:
    """`history` ({zone, history[]}), `past-range` ({zone, data[]}) and `latest` (one point)."""
    if "history" in payload:
        points = payload["history"]
    elif "data" in payload:
        points = payload["data"]
    elif "carbonIntensity" in payload:
        points = [payload]
    else:
        raise FeedParseError(f"{FEED}: {url}: neither 'history' nor 'data' in the response (fields: "
                             f"{', '.join(sorted(payload)) or 'none'}). The raw payload is kept at {landed}. "
                             "What to do: check whether the API changed its format")
    for point in points:
        when = field_at(FEED, point, "datetime", url, landed, point.get("datetime", "?"))
        value = field_at(FEED, point, "carbonIntensity", url, landed, when)
        point_zone = point.get("zone") or zone
        if not known_zone(point_zone):
            batch.rejections.append(Rejection(str(landed), 0, point_zone, "zone", point_zone,
                                              "unknown zone", "add the zone to data/grid/zones.csv", point))
            continue
        if value is None:
            continue  # the provider has no value for that hour
        start = utc(when)
        estimated = bool(point.get("isEstimated"))
        batch.observations.append({
            "feed": FEED, "zone_id": point_zone, "period_start": start,
            "period_end": start + dt.timedelta(hours=1), "resolution_minutes": 60,
            "gco2e_per_kwh": float(value), "kind": "estimated" if estimated else "actual",
            "basis": field_at(FEED, point, "emissionFactorType", url, landed, when),
            "estimation_method": point.get("estimationMethod") if estimated else None,
            "source": SOURCE, "licence": LICENCE, "retrieved_at": retrieved_at, "load_id": load_id,
        })


def parse_forecast(payload: dict, *, zone: str, basis: str, url: str, landed: Path, retrieved_at: dt.datetime,
                   load_id: str, batch: FeedBatch) -> None:
    """One forecast of one zone and basis, issued at its `updatedAt`, hourly points."""
    issued = utc(field_at(FEED, payload, "updatedAt", url, landed, zone))
    for point in field_at(FEED, payload, "forecast", url, landed, zone) or []:
        when = field_at(FEED, point, "datetime", url, landed, point.get("datetime", "?"))
        value = number(FEED, point.get("carbonIntensity"), "carbonIntensity", url, landed, when)
        if value is None:
            continue
        start = utc(when)
        keep_forecast(batch, {
            "feed": FEED, "zone_id": payload.get("zone") or zone, "basis": basis, "issued_at": issued,
            "issued_at_basis": "published", "period_start": start, "period_end": start + dt.timedelta(hours=1),
            "resolution_minutes": 60, "gco2e_per_kwh": value, "source": SOURCE, "licence": LICENCE,
            "retrieved_at": retrieved_at, "load_id": load_id}, landed=landed, record=point)


def _landed_json(http: FeedHTTP, url: str, params: dict, token: str, *, day: dt.date, label: str,
                 landing_dir: Path, batch: FeedBatch) -> tuple[dict, str, Path, dt.datetime]:
    """GET with the token header, land the body, then decode it: (payload, URL as shown, where it
    landed, when it was retrieved)."""
    response = http.get(url, params=params, headers={"auth-token": token})
    retrieved_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    landed = land_payload(landing_dir, FEED, day, label, response.content)
    batch.landed.append(str(landed))
    shown = public_url(url, params)
    return parse_json(FEED, response.content, shown, landed), shown, landed, retrieved_at


def fetch_day(http: FeedHTTP, day: dt.date, *, zones: list[str], token: str, landing_dir: Path,
              load_id: str, known_zone, base_url: str = BASE_URL, today: dt.date | None = None,
              forecasts: bool = False) -> FeedBatch:
    batch = FeedBatch(FEED)
    today = today or dt.datetime.now(dt.UTC).date()
    start = dt.datetime.combine(day, dt.time()).strftime("%Y-%m-%dT%H:%MZ")
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).strftime("%Y-%m-%dT%H:%MZ")
    get = {"day": day, "landing_dir": landing_dir, "batch": batch}
    for zone in zones:
        for basis in BASES:
            if day >= today:
                url, params = f"{base_url.rstrip('/')}/carbon-intensity/history", {"zone": zone}
            else:
                url = f"{base_url.rstrip('/')}/carbon-intensity/past-range"
                params = {"zone": zone, "start": start, "end": end}
            params["emissionFactorType"] = basis
            payload, shown, landed, retrieved_at = _landed_json(http, url, params, token, label=f"{zone}_{basis}",
                                                                **get)
            parse_intensity(payload, zone=zone, url=shown, landed=landed, retrieved_at=retrieved_at,
                            load_id=load_id, batch=batch, known_zone=known_zone)
            if forecasts and day >= today:
                payload, shown, landed, retrieved_at = _landed_json(
                    http, f"{base_url.rstrip('/')}/carbon-intensity/forecast",
                    {"zone": zone, "emissionFactorType": basis}, token, label=f"{zone}_{basis}_forecast", **get)
                parse_forecast(payload, zone=zone, basis=basis, url=shown, landed=landed, retrieved_at=retrieved_at,
                               load_id=load_id, batch=batch)
    return batch
