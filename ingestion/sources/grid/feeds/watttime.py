"""WattTime API v3 (api.watttime.org): the marginal operating emissions rate (MOER) of a grid region,
as measured afterwards and as forecast when the forecast was issued.

Auth: `GET /login` with HTTP Basic (WATTTIME_USERNAME, WATTTIME_PASSWORD, from the environment) returns
a token valid for 30 minutes, sent as `Authorization: Bearer`. A 401 later on (the token expired in a
long backfill) logs in again once; a second 401 is an error naming the variables. A 403 is a region
the account's plan does not cover: that region is skipped with WattTime's reason, the others load.

Per region and UTC day: `/v3/historical` (the MOER as it was), `/v3/forecast/historical` (every
forecast issued that day, each with its `generated_at`), and for today `/v3/forecast` (the current
one). Signal `co2_moer` in `lbs_co2_per_mwh`, converted to gCO2e/kWh (x 0.45359237: 453.59237 g per
lb over 1,000 kWh per MWh); the 5-minute points are averaged to the hour, their count kept (an hour
with fewer than 12 is partial). A payload in other units, a forecast point before its issue time and
a repeated issue time are quarantined with the reason. Licence: WattTime's terms (proprietary).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import requests

from ingestion.http import FeedError, FeedHTTP, public_url
from ingestion.quarantine import Rejection, rejections_frame
from ingestion.sources.grid.feeds.base import field_at, number, parse_json
from ingestion.sources.grid.landing import land_payload
from ingestion.sources.grid.observations import day_window, utc

FEED = "watttime"
BASE_URL = "https://api.watttime.org"
SOURCE = "WattTime API v3"
LICENCE = "WattTime terms of use (proprietary)"
SIGNAL, UNITS = "co2_moer", "lbs_co2_per_mwh"
G_PER_KWH_PER_LB_PER_MWH = 0.45359237
POINTS_PER_HOUR = 12  # data_point_period_seconds: 300
CREDENTIALS = ("WATTTIME_USERNAME", "WATTTIME_PASSWORD")  # environment variables, read by settings
NAMED = " and ".join(CREDENTIALS)

MARGINAL_SCHEMA = {
    "feed": pl.String,
    "region": pl.String,
    "signal": pl.String,
    "kind": pl.String,  # actual | forecast
    "issued_at": pl.Datetime("us"),  # a forecast's generated_at; null for the actual
    "period_start": pl.Datetime("us"),
    "period_end": pl.Datetime("us"),
    "points": pl.Int32,  # 5-minute points averaged into the hour
    "gco2e_per_kwh": pl.Float64,
    "model_date": pl.String,
    "source": pl.String,
    "licence": pl.String,
    "retrieved_at": pl.Datetime("us"),
    "load_id": pl.String,
}
NATURAL_KEY = ["feed", "region", "signal", "kind", "issued_at", "period_start"]


class RegionNotCovered(Exception):
    """403 (the plan does not cover the region) or 404 (no such region): skip it, say why."""


@dataclass
class MarginalBatch:
    """What one UTC day of WattTime produced."""

    rows: list[dict] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    landed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "REGION: why"

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        rows = pl.DataFrame(self.rows, schema=MARGINAL_SCHEMA)
        return rows.unique(subset=NATURAL_KEY, keep="last", maintain_order=True).sort(NATURAL_KEY), \
            rejections_frame(self.rejections)


@dataclass
class WattTimeSession:
    """A logged-in client: the token is fetched on first use and once again when it is refused."""

    http: FeedHTTP
    username: str
    password: str
    base_url: str = BASE_URL
    token: str | None = field(default=None, repr=False)

    def login(self) -> None:
        response = self.http.get(f"{self.base_url.rstrip('/')}/login", auth=(self.username, self.password))
        token = response.json().get("token") if response.content else None
        if not token:
            raise FeedError(FEED, f"{self.base_url}/login", response.status_code, f"check {NAMED}",
                            "the answer holds no token")
        self.token = token

    def get(self, path: str, params: dict) -> requests.Response:
        url = f"{self.base_url.rstrip('/')}{path}"
        for _ in range(2):  # the token, and once more after a new login
            if self.token is None:
                self.login()
            response = self.http.get(url, params=params, headers={"Authorization": f"Bearer {self.token}"},
                                     ok=(200, 401, 403, 404))
            if response.status_code != 401:
                break
            self.token = None  # expired mid-backfill: log in again, once
        if response.status_code == 401:
            raise FeedError(FEED, public_url(url, params), 401, f"check {NAMED}: the token was refused "
                            "again right after a new login", " ".join(response.text[:200].split()))
        if response.status_code in (403, 404):
            body = response.json() if response.content else {}
            raise RegionNotCovered(body.get("message") or body.get("error") or f"HTTP {response.status_code}")
        return response


def _hourly(points: list[tuple[dt.datetime, float]]) -> list[tuple[dt.datetime, int, float]]:
    """(hour, points, mean lbs/MWh) of 5-minute points."""
    hours = defaultdict(list)
    for when, value in points:
        hours[when.replace(minute=0, second=0, microsecond=0)].append(value)
    return [(hour, len(values), sum(values) / len(values)) for hour, values in sorted(hours.items())]


def parse_moer(payload: dict, *, url: str, landed: Path, retrieved_at: dt.datetime, load_id: str,
               batch: MarginalBatch, kind: str) -> None:
    """`historical` and `forecast` ({data: [{point_time, value}], meta}) and `forecast/historical`
    ({data: [{generated_at, forecast: [...]}], meta}), into hourly rows of `batch`."""
    meta = field_at(FEED, payload, "meta", url, landed, "meta")
    region = field_at(FEED, meta, "region", url, landed, "meta")
    if meta.get("units") != UNITS:
        batch.rejections.append(Rejection(str(landed), 0, region, "meta.units", meta.get("units"),
                                          f"MOER in {meta.get('units')!r}, not {UNITS!r}: the whole payload is "
                                          "left out", "ask for signal_type=co2_moer (the percentile signal-index "
                                          "is not an emission rate)", meta))
        return
    data = field_at(FEED, payload, "data", url, landed, "data")
    if kind == "forecast" and data and "forecast" in data[0]:  # historical forecasts, one per issue time
        issues = [(field_at(FEED, issue, "generated_at", url, landed, i), issue.get("forecast") or [])
                  for i, issue in enumerate(data)]
    elif kind == "forecast":
        issues = [(field_at(FEED, meta, "generated_at", url, landed, "meta"), data)]
    else:
        issues = [(None, data)]
    seen = set()
    for generated_at, points in issues:
        issued = utc(generated_at) if generated_at else None
        if issued in seen:
            batch.rejections.append(Rejection(str(landed), 0, region, "generated_at", generated_at,
                                              "a second forecast with the same issue time: the first is kept",
                                              "none needed; report it to WattTime if it recurs", {}))
            continue
        seen.add(issued)
        good = []
        for point in points:
            when = utc(field_at(FEED, point, "point_time", url, landed, point))
            value = number(FEED, point.get("value"), "value", url, landed, when)
            if issued is not None and when < issued:
                batch.rejections.append(Rejection(str(landed), 0, region, "point_time", point["point_time"],
                                                  f"a forecast point before its issue time ({generated_at})",
                                                  "none needed: only what was known at issue time is kept",
                                                  point))
            elif value is not None:
                good.append((when, value))
        for hour, count, lbs in _hourly(good):
            batch.rows.append({
                "feed": FEED, "region": region, "signal": meta.get("signal_type", SIGNAL), "kind": kind,
                "issued_at": issued, "period_start": hour, "period_end": hour + dt.timedelta(hours=1),
                "points": count, "gco2e_per_kwh": lbs * G_PER_KWH_PER_LB_PER_MWH,
                "model_date": (meta.get("model") or {}).get("date"), "source": SOURCE, "licence": LICENCE,
                "retrieved_at": retrieved_at, "load_id": load_id})


def region_from_loc(session: WattTimeSession, latitude: float, longitude: float) -> str | None:
    """The WattTime region at a point, or None where WattTime has no coverage."""
    try:
        response = session.get("/v3/region-from-loc", {"latitude": latitude, "longitude": longitude,
                                                        "signal_type": SIGNAL})
    except RegionNotCovered:
        return None
    return response.json().get("region")


def fetch_day(session: WattTimeSession, day: dt.date, *, regions: list[str], landing_dir: Path, load_id: str,
              today: dt.date | None = None) -> MarginalBatch:
    """One UTC day: the MOER as it was and every forecast issued that day (and today the current one)."""
    batch, (start, end) = MarginalBatch(), day_window(day)
    window = {"start": f"{start:%Y-%m-%dT%H:%M}Z", "end": f"{end:%Y-%m-%dT%H:%M}Z", "signal_type": SIGNAL}
    calls = [("actual", "/v3/historical", window), ("forecast", "/v3/forecast/historical", window)]
    if day >= (today or dt.datetime.now(dt.UTC).date()):
        calls.append(("forecast", "/v3/forecast", {"signal_type": SIGNAL, "horizon_hours": 24}))
    for region in regions:
        try:
            for kind, path, window_params in calls:
                params = {"region": region, **window_params}
                response = session.get(path, params)
                retrieved_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
                name = f"{region}_{path.strip('/').replace('/', '_')}"
                landed = land_payload(landing_dir, FEED, day, name, response.content)
                batch.landed.append(str(landed))
                shown = public_url(session.base_url.rstrip("/") + path, params)
                parse_moer(parse_json(FEED, response.content, shown, landed), url=shown, landed=landed,
                           retrieved_at=retrieved_at, load_id=load_id, batch=batch, kind=kind)
        except RegionNotCovered as reason:
            batch.skipped.append(f"{region}: {reason}")
    return batch

