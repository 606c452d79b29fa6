"""UK NESO Carbon Intensity API (api.carbonintensity.org.uk): no key, CC BY 4.0.

Per UTC day it fetches the national series (forecast and actual, half-hourly) and the regional
series (forecast with generation mix, 17 regions + GB). Quirks handled here:
- a range returns every period whose end is at or after `from`, so the first record starts 30
  minutes before the requested start; we ask from 00:30 to 00:00 next day and keep [day, day+1);
- one-region ranges answer with an object `{regionid, shortname, data[]}` instead of a list;
- `actual` is null for current and future periods (only the forecast is kept then).

For today it also fetches the forward forecasts (`/intensity/{from}/fw48h` and
`/regional/intensity/{from}/fw48h`, from the next half-hour, so the first record is the current one)
and keeps them as issued (forecasts.py). NESO does not say when it issued a forecast: the issue time
is when it was fetched (`issued_at_basis` "retrieved"). The forecasts inside a day's range are NESO's
archive, a forecast whose issue time is unknown; they stay in the observations as kind "forecast".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ingestion.http import FeedHTTP, public_url
from ingestion.quarantine import Rejection
from ingestion.sources.grid.feeds.base import FeedParseError, field_at, number, parse_json
from ingestion.sources.grid.forecasts import keep_forecast
from ingestion.sources.grid.landing import land_payload
from ingestion.sources.grid.observations import FeedBatch, utc

FEED = "uk_neso"
BASE_URL = "https://api.carbonintensity.org.uk"
SOURCE = "NESO Carbon Intensity API"
LICENCE = "CC BY 4.0"
# NESO's factors count combustion, plus supply-chain emissions of biomass and imports.
BASIS = "direct"
NATIONAL_ZONE = "GB"
REGION_ZONES = {i: f"GB-NESO-{i:02d}" for i in range(1, 18)} | {18: NATIONAL_ZONE}
TIME_FORMAT = "%Y-%m-%dT%H:%MZ"


def _window(day: dt.date) -> tuple[str, str]:
    start = dt.datetime.combine(day, dt.time(0, 30))
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return start.strftime(TIME_FORMAT), end.strftime(TIME_FORMAT)


def _records(payload: dict, url: str, landed: Path) -> list[dict]:
    if "data" not in payload:
        raise FeedParseError(f"{FEED}: {url}: no 'data' field in the response (fields: "
                             f"{', '.join(sorted(payload)) or 'none'}). The raw payload is kept at {landed}. "
                             "What to do: check whether the API changed its format")
    data = payload["data"]
    if isinstance(data, dict):  # one-region ranges: {regionid, shortname, data: [...]}
        if "data" in data:
            return [{**item, "regions": [{**{k: v for k, v in data.items() if k != "data"}, **item}]}
                    for item in data["data"]]
        return [data]
    return data


def _field(record: dict, path: str, url: str, landed: Path):
    return field_at(FEED, record, path, url, landed, record.get("from", "?"))


def parse_national(payload: dict, *, url: str, landed: Path, retrieved_at: dt.datetime,
                   load_id: str, batch: FeedBatch) -> None:
    for record in _records(payload, url, landed):
        start, end = utc(_field(record, "from", url, landed)), utc(_field(record, "to", url, landed))
        intensity = _field(record, "intensity", url, landed)
        base = {"feed": FEED, "zone_id": NATIONAL_ZONE, "period_start": start, "period_end": end,
                "resolution_minutes": int((end - start).total_seconds() // 60), "basis": BASIS,
                "estimation_method": None, "source": SOURCE, "licence": LICENCE,
                "retrieved_at": retrieved_at, "load_id": load_id}
        where = record.get("from", "?")
        forecast = number(FEED, _field(record, "intensity.forecast", url, landed), "intensity.forecast", url, landed,
                          where)
        actual = number(FEED, intensity.get("actual"), "intensity.actual", url, landed, where)
        if forecast is not None:
            batch.observations.append({**base, "gco2e_per_kwh": forecast, "kind": "forecast"})
        if actual is not None:
            batch.observations.append({**base, "gco2e_per_kwh": actual, "kind": "actual"})


def parse_regional(payload: dict, *, url: str, landed: Path, retrieved_at: dt.datetime,
                   load_id: str, batch: FeedBatch) -> None:
    for record in _records(payload, url, landed):
        start, end = utc(_field(record, "from", url, landed)), utc(_field(record, "to", url, landed))
        for region in _field(record, "regions", url, landed):
            region_id = region.get("regionid")
            zone = REGION_ZONES.get(region_id)
            if zone is None:
                batch.rejections.append(Rejection(
                    str(landed), 0, f"region {region_id}", "regionid", str(region_id),
                    f"unknown NESO region id at {record.get('from')}",
                    "add the region to REGION_ZONES and data/grid/zones.csv if NESO added one", region))
                continue
            forecast = number(FEED, _field(region, "intensity.forecast", url, landed), "intensity.forecast", url,
                              landed, f"{record.get('from')} region {region_id}")
            base = {"feed": FEED, "zone_id": zone, "period_start": start, "period_end": end,
                    "source": SOURCE, "retrieved_at": retrieved_at, "load_id": load_id}
            if zone != NATIONAL_ZONE and forecast is not None:  # GB itself comes from the national series
                batch.observations.append({
                    **base, "resolution_minutes": int((end - start).total_seconds() // 60),
                    "gco2e_per_kwh": forecast, "kind": "forecast", "basis": BASIS,
                    "estimation_method": None, "licence": LICENCE})
            for item in region.get("generationmix") or []:
                batch.mix.append({**base, "fuel": item["fuel"], "share_pct": float(item["perc"]),
                                  "generation_mwh": None})


def parse_forward(payload: dict, *, url: str, landed: Path, issued_at: dt.datetime, issued_at_basis: str,
                  retrieved_at: dt.datetime, load_id: str, batch: FeedBatch) -> None:
    """A forward window (`fw24h`, `fw48h`; national or regional): every forecast, as issued at `issued_at`.
    The regional answer's region 18 (GB) is left to the national series, as in the day's range."""
    for record in _records(payload, url, landed):
        start, end = utc(_field(record, "from", url, landed)), utc(_field(record, "to", url, landed))
        where = record.get("from", "?")
        regions = record.get("regions")
        points = [(NATIONAL_ZONE, _field(record, "intensity.forecast", url, landed), record)] if regions is None \
            else [(REGION_ZONES.get(r.get("regionid")), _field(r, "intensity.forecast", url, landed), r)
                  for r in regions if r.get("regionid") != 18]
        for zone, value, raw in points:
            if zone is None:
                batch.rejections.append(Rejection(
                    str(landed), 0, f"region {raw.get('regionid')}", "regionid", str(raw.get("regionid")),
                    f"unknown NESO region id at {where}",
                    "add the region to REGION_ZONES and data/grid/zones.csv if NESO added one", raw))
                continue
            forecast = number(FEED, value, "intensity.forecast", url, landed, f"{where} {zone}")
            if forecast is None:
                continue
            keep_forecast(batch, {
                "feed": FEED, "zone_id": zone, "basis": BASIS, "issued_at": issued_at,
                "issued_at_basis": issued_at_basis, "period_start": start, "period_end": end,
                "resolution_minutes": int((end - start).total_seconds() // 60), "gco2e_per_kwh": forecast,
                "source": SOURCE, "licence": LICENCE, "retrieved_at": retrieved_at, "load_id": load_id,
            }, landed=landed, record=raw)


def _next_half_hour(now: dt.datetime) -> dt.datetime:
    floor = now.replace(minute=now.minute - now.minute % 30, second=0, microsecond=0)
    return floor + dt.timedelta(minutes=30)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _landed_json(http: FeedHTTP, url: str, *, day: dt.date, label: str, landing_dir: Path, batch: FeedBatch,
                 clock: Callable[[], dt.datetime]) -> tuple[dict, Path, dt.datetime]:
    """GET `url`, land the body, then decode it: (payload, where it landed, when it was retrieved)."""
    response = http.get(url, headers={"Accept": "application/json"})
    retrieved_at = clock()
    landed = land_payload(landing_dir, FEED, day, label, response.content)
    batch.landed.append(str(landed))
    return parse_json(FEED, response.content, public_url(url), landed), landed, retrieved_at


def fetch_day(http: FeedHTTP, day: dt.date, *, landing_dir: Path, load_id: str,
              base_url: str = BASE_URL, clock: Callable[[], dt.datetime] = _utc_now) -> FeedBatch:
    """Fetch, land and parse one UTC day, national and regional; for today (by `clock`, naive UTC),
    the forward forecasts too."""
    batch = FeedBatch(FEED)
    now = clock()
    start, end = _window(day)
    get = {"day": day, "landing_dir": landing_dir, "batch": batch, "clock": clock}
    for label, path, parse in (("intensity", f"/intensity/{start}/{end}", parse_national),
                               ("regional", f"/regional/intensity/{start}/{end}", parse_regional)):
        url = base_url.rstrip("/") + path
        payload, landed, retrieved_at = _landed_json(http, url, label=label, **get)
        parse(payload, url=public_url(url), landed=landed, retrieved_at=retrieved_at, load_id=load_id, batch=batch)
    if day == now.date():
        ahead = _next_half_hour(now).strftime(TIME_FORMAT)
        for label, path in (("forecast_national", f"/intensity/{ahead}/fw48h"),
                            ("forecast_regional", f"/regional/intensity/{ahead}/fw48h")):
            url = base_url.rstrip("/") + path
            payload, landed, retrieved_at = _landed_json(http, url, label=label, **get)
            parse_forward(payload, url=public_url(url), landed=landed, issued_at=retrieved_at,
                          issued_at_basis="retrieved", retrieved_at=retrieved_at, load_id=load_id, batch=batch)
    return batch
