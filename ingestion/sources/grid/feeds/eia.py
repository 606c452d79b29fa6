"""EIA API v2, Form EIA-930 hourly net generation by fuel per balancing authority (public domain).

GET /v2/electricity/rto/fuel-type-data/data/?api_key=...&frequency=hourly&data[0]=value
    &facets[respondent][]=CISO&...&start=YYYY-MM-DDTHH&end=...&offset=N&length=5000
- at most 5,000 rows a response: page on `offset` until a page comes back short or empty (the
  reported `total` is sometimes a string and sometimes larger than what is served);
- `period` is the UTC hour *ending*: "2022-10-31T11" is [10:00, 11:00); a UTC day D is therefore
  the hours ending D T01 to D+1 T00;
- `value` may be null (kept as unknown) or negative (net consumption, left out of intensities);
- the response echoes the request, including `api_key`: it is scrubbed before the payload lands.
Intensity per BA and hour is computed from the mix with data/grid/emission_factors.csv.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingestion.http import FeedHTTP, public_url
from ingestion.quarantine import Rejection
from ingestion.sources.grid.feeds.base import FeedParseError, field_at, parse_json
from ingestion.sources.grid.landing import land_payload
from ingestion.sources.grid.mix_intensity import add_computed_intensity
from ingestion.sources.grid.observations import FeedBatch
from ingestion.sources.grid.reference import GridReference

FEED = "eia"
BASE_URL = "https://api.eia.gov/v2"
ROUTE = "/electricity/rto/fuel-type-data/data/"
SOURCE = "US EIA, Form EIA-930 hourly generation by fuel (intensity computed here)"
LICENCE = "Public domain (US government work)"
PAGE_SIZE = 5000


def hour_ending(label: str) -> tuple[dt.datetime, dt.datetime]:
    end = dt.datetime.strptime(label, "%Y-%m-%dT%H")
    return end - dt.timedelta(hours=1), end


def parse_fuel_rows(payload: dict, *, url: str, landed: Path, reference: GridReference, retrieved_at,
                    load_id: str, batch: FeedBatch) -> list[dict]:
    """Generation rows of one page, with canonical fuel and zone; unknown ones are quarantined."""
    response = field_at(FEED, payload, "response", url, landed, "envelope")
    rows = []
    for record in field_at(FEED, response, "data", url, landed, "response"):
        label = field_at(FEED, record, "period", url, landed, "?")
        respondent = field_at(FEED, record, "respondent", url, landed, label)
        code = field_at(FEED, record, "fueltype", url, landed, label)
        value = field_at(FEED, record, "value", url, landed, label)
        zone, fuel = reference.eia_zones.get(respondent), reference.fuel(code)
        if zone is None or fuel is None:
            field, shown = ("respondent", respondent) if zone is None else ("fueltype", code)
            what = "balancing authority" if zone is None else "fuel code"
            batch.rejections.append(Rejection(
                str(landed), 0, f"{respondent} {label}", field, shown, f"unknown EIA {what}",
                "add it to data/grid/zones.csv (eia_respondent) or data/grid/fuels.csv (aliases)", record))
            continue
        start, end = hour_ending(label)
        generation = None if value is None else float(value)
        rows.append({"zone_id": zone, "period_start": start, "period_end": end, "resolution_minutes": 60,
                     "fuel": fuel, "source_fuel": code, "generation_mwh": generation})
        batch.mix.append({"feed": FEED, "zone_id": zone, "period_start": start, "period_end": end,
                          "fuel": code, "share_pct": None, "generation_mwh": generation, "source": SOURCE,
                          "retrieved_at": retrieved_at, "load_id": load_id})
    return rows


def fetch_day(http: FeedHTTP, day: dt.date, *, respondents: list[str], api_key: str, landing_dir: Path,
              load_id: str, reference: GridReference, factors, base_url: str = BASE_URL,
              page_size: int = PAGE_SIZE) -> FeedBatch:
    batch = FeedBatch(FEED)
    first_end = dt.datetime.combine(day, dt.time(1))
    params = {"api_key": api_key, "frequency": "hourly", "data[0]": "value",
              "facets[respondent][]": respondents, "start": first_end.strftime("%Y-%m-%dT%H"),
              "end": (first_end + dt.timedelta(hours=23)).strftime("%Y-%m-%dT%H"),
              "sort[0][column]": "period", "sort[0][direction]": "asc", "length": page_size}
    url = base_url.rstrip("/") + ROUTE
    rows, offset, page = [], 0, 0
    retrieved_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    while True:
        query = {**params, "offset": offset}
        response = http.get(url, params=query)
        body = response.content.replace(api_key.encode(), b"***") if api_key else response.content
        landed = land_payload(landing_dir, FEED, day, f"fuel-type-data_page{page}", body)
        batch.landed.append(str(landed))
        shown = public_url(url, query)
        payload = parse_json(FEED, body, shown, landed)
        page_rows = parse_fuel_rows(payload, url=shown, landed=landed, reference=reference,
                                    retrieved_at=retrieved_at, load_id=load_id, batch=batch)
        served = len(field_at(FEED, payload, "response.data", shown, landed, "response"))
        rows.extend(page_rows)
        try:
            total = int(payload["response"].get("total") or 0)
        except (TypeError, ValueError) as error:
            raise FeedParseError(f"{FEED}: {shown}: response.total is not a number. The raw payload is "
                                 f"kept at {landed}. What to do: check the API version") from error
        offset += served
        page += 1
        if served < page_size or offset >= total:
            break
    add_computed_intensity(rows, factors, feed=FEED, source=SOURCE, licence=LICENCE,
                           retrieved_at=retrieved_at, load_id=load_id, batch=batch)
    return batch
