"""ENTSO-E Transparency Platform, actual generation per production type (A75/A16), XML.

GET https://web-api.tp.entsoe.eu/api?securityToken=...&documentType=A75&processType=A16
    &in_Domain=<EIC>&periodStart=yyyyMMddHHmm&periodEnd=yyyyMMddHHmm   (UTC)
- one TimeSeries per production type (psrType B01..B25); quantities are average MW per interval;
- resolution PT15M, PT30M or PT60M depending on the country and date;
- curveType A03 omits positions whose value repeats: they are forward-filled to the period end;
- a series with only an outBiddingZone is consumption (pumping) and is not generation;
- "no data" is an Acknowledgement_MarketDocument with reason code 999: an empty answer, not an error.
Intensity per zone and native period is computed from the mix with data/grid/emission_factors.csv.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ingestion.http import FeedHTTP, public_url
from ingestion.quarantine import Rejection
from ingestion.sources.grid.feeds.base import FeedParseError
from ingestion.sources.grid.landing import land_payload
from ingestion.sources.grid.mix_intensity import add_computed_intensity
from ingestion.sources.grid.observations import FeedBatch, utc
from ingestion.sources.grid.reference import GridReference

FEED = "entsoe"
BASE_URL = "https://web-api.tp.entsoe.eu/api"
SOURCE = "ENTSO-E Transparency Platform, actual generation per production type (intensity computed here)"
LICENCE = "ENTSO-E Transparency Platform terms (re-use with attribution)"
NO_DATA_REASON = "999"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ET.Element, name: str) -> ET.Element | None:
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def _text(node: ET.Element, path: str) -> str | None:
    for part in path.split("/"):
        node = _child(node, part) if node is not None else None
    return None if node is None or node.text is None else node.text.strip()


def _minutes(resolution: str) -> int:
    match = re.fullmatch(r"PT(\d+)M", resolution or "")
    if not match:
        raise ValueError(f"unsupported resolution {resolution!r}")
    return int(match.group(1))


def parse_generation(body: bytes, *, url: str, landed: Path, reference: GridReference, retrieved_at,
                     load_id: str, batch: FeedBatch) -> list[dict]:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise FeedParseError(f"{FEED}: {url} returned XML that does not parse ({error}; truncated?). The raw "
                             f"payload is kept at {landed}. What to do: run the partition again") from error
    if _local(root.tag) == "Acknowledgement_MarketDocument":
        code, text = _text(root, "Reason/code"), _text(root, "Reason/text")
        if code == NO_DATA_REASON:
            return []
        raise FeedParseError(f"{FEED}: {url} was refused: reason {code}: {text}. The answer is kept at {landed}. "
                             "What to do: check the area code and the period")
    rows = []
    for series in (child for child in root if _local(child.tag) == "TimeSeries"):
        eic = _text(series, "inBiddingZone_Domain.mRID")
        if eic is None:
            continue  # consumption (e.g. pumped-storage pumping), not generation
        psr = _text(series, "MktPSRType/psrType")
        zone, fuel = reference.entsoe_zones.get(eic), reference.fuel(psr)
        if zone is None or fuel is None:
            field, value = ("inBiddingZone_Domain.mRID", eic) if zone is None else ("psrType", psr)
            batch.rejections.append(Rejection(str(landed), 0, f"{eic} {psr}", field, value,
                                              f"unknown ENTSO-E {'area' if zone is None else 'production type'}",
                                              "add it to data/grid/entsoe_areas.csv or data/grid/fuels.csv", {}))
            continue
        curve = _text(series, "curveType") or "A01"
        for period in (child for child in series if _local(child.tag) == "Period"):
            start = utc(_text(period, "timeInterval/start"))
            end = utc(_text(period, "timeInterval/end"))
            step = _minutes(_text(period, "resolution"))
            count = int((end - start).total_seconds() // 60 // step)
            given = {int(_text(p, "position")): float(_text(p, "quantity"))
                     for p in period if _local(p.tag) == "Point"}
            value = None
            for position in range(1, count + 1):
                if position in given:
                    value = given[position]
                elif curve != "A03":
                    continue  # A01 lists every position: a missing one is a real gap
                if value is None:
                    continue
                a = start + dt.timedelta(minutes=step * (position - 1))
                rows.append({"zone_id": zone, "period_start": a, "period_end": a + dt.timedelta(minutes=step),
                             "resolution_minutes": step, "fuel": fuel, "source_fuel": psr,
                             "generation_mwh": value * step / 60})
                batch.mix.append({"feed": FEED, "zone_id": zone, "period_start": a,
                                  "period_end": a + dt.timedelta(minutes=step), "fuel": psr, "share_pct": None,
                                  "generation_mwh": value * step / 60, "source": SOURCE,
                                  "retrieved_at": retrieved_at, "load_id": load_id})
    return rows


def fetch_day(http: FeedHTTP, day: dt.date, *, areas: list[str], token: str, landing_dir: Path, load_id: str,
              reference: GridReference, factors, base_url: str = BASE_URL) -> FeedBatch:
    batch = FeedBatch(FEED)
    start = dt.datetime.combine(day, dt.time())
    retrieved_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = []
    for eic in areas:
        params = {"securityToken": token, "documentType": "A75", "processType": "A16", "in_Domain": eic,
                  "periodStart": start.strftime("%Y%m%d%H%M"),
                  "periodEnd": (start + dt.timedelta(days=1)).strftime("%Y%m%d%H%M")}
        # ENTSO-E answers "no data" with HTTP 200 or 400 and an Acknowledgement document.
        response = http.get(base_url, params=params, ok=(200, 400))
        landed = land_payload(landing_dir, FEED, day, f"A75_{eic}", response.content, suffix="xml")
        batch.landed.append(str(landed))
        rows += parse_generation(response.content, url=public_url(base_url, params), landed=landed,
                                 reference=reference, retrieved_at=retrieved_at, load_id=load_id, batch=batch)
    add_computed_intensity(rows, factors, feed=FEED, source=SOURCE, licence=LICENCE,
                           retrieved_at=retrieved_at, load_id=load_id, batch=batch)
    return batch
