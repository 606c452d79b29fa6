"""Prometheus HTTP API client: range queries of GPU power and energy, as the NVIDIA DCGM exporter and
Kepler export them, for the inference fleets that run on Kubernetes.

`GET /api/v1/query_range?query=&start=&end=&step=` answers `{status, data: {resultType: "matrix",
result: [{metric: {labels}, values: [[unix seconds, "value"], ...]}]}}`. A range is asked in windows
of at most `MAX_POINTS` steps (Prometheus refuses more than 11,000 points per series), each answer
landed before it is parsed. `status: "error"` (a bad query, a timeout on the server) is a FeedError
naming Prometheus's errorType and error. Auth from the environment (never config):
PROMETHEUS_TOKEN as a Bearer header, else PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD as HTTP Basic.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ingestion.http import FeedError, FeedHTTP, public_url
from ingestion.sources.grid.feeds.base import parse_json
from ingestion.sources.grid.landing import land_payload

FEED = "prometheus"
MAX_POINTS = 10_000  # per series and query; Prometheus's limit is 11,000
TOKEN, USERNAME, PASSWORD = "PROMETHEUS_TOKEN", "PROMETHEUS_USERNAME", "PROMETHEUS_PASSWORD"

SAMPLE_SCHEMA = {"query": pl.String, "series": pl.String, "labels": pl.String, "ts": pl.Datetime("us"),
                 "value": pl.Float64}


@dataclass(frozen=True)
class Credentials:
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def basic(self) -> tuple[str, str] | None:
        return (self.username, self.password) if not self.token and self.username and self.password else None


@dataclass
class RangeAnswer:
    """Every sample of one query over a range: one row per series and timestamp, labels kept as JSON."""

    samples: pl.DataFrame
    landed: list[str]


def windows(start: dt.datetime, end: dt.datetime, step_s: int, max_points: int = MAX_POINTS):
    """[start, end) cut into windows of at most max_points steps, each [a, b] as Prometheus takes it
    (both ends included), so consecutive windows share no timestamp."""
    span = dt.timedelta(seconds=step_s * (max_points - 1))
    at = start
    while at < end:
        last = min(at + span, end - dt.timedelta(seconds=step_s))
        yield at, max(last, at)
        at = last + dt.timedelta(seconds=step_s)


def _unix(moment: dt.datetime) -> str:
    return f"{moment.replace(tzinfo=dt.UTC).timestamp():.3f}"


def parse_matrix(payload: dict, *, query: str, url: str, landed: Path) -> pl.DataFrame:
    """A query_range answer as samples; `status: error` as a FeedError naming Prometheus's reason."""
    if payload.get("status") != "success":
        raise FeedError(FEED, url, payload.get("errorType") or payload.get("status") or "?",
                        "check the query and the time range; a timeout on the server needs a smaller window or "
                        "a larger step", f"{payload.get('errorType')}: {payload.get('error')} (kept at {landed})")
    data = payload.get("data") or {}
    if data.get("resultType") != "matrix":
        raise FeedError(FEED, url, "format", "query_range answers a matrix; check the URL is a Prometheus API",
                        f"resultType {data.get('resultType')!r} (kept at {landed})")
    # series by series in bulk (numpy reads the values' text, "NaN" and "+Inf" included): a day of a big
    # fleet is millions of samples, and a Python step per sample took two thirds of the parse
    names, texts, index, stamps, numbers = [], [], [], [], []
    for result in data.get("result") or []:
        values = result.get("values") or []
        if not values:
            continue
        labels = dict(sorted(result.get("metric", {}).items()))
        names.append(",".join(f"{k}={v}" for k, v in labels.items()))
        texts.append(json.dumps(labels, sort_keys=True))
        moments, readings = zip(*values, strict=True)
        number = np.asarray(readings, dtype=np.float64)
        finite = np.isfinite(number)
        stamps.append(np.round(np.asarray(moments, dtype=np.float64) * 1e6).astype(np.int64)[finite])
        numbers.append(number[finite])
        index.append(np.full(int(finite.sum()), len(names) - 1, dtype=np.int64))
    if not names:
        return pl.DataFrame(schema=SAMPLE_SCHEMA)
    samples = pl.DataFrame({"_series": np.concatenate(index), "ts": np.concatenate(stamps),
                            "value": np.concatenate(numbers)})
    series = pl.DataFrame({"_series": np.arange(len(names), dtype=np.int64), "series": names, "labels": texts})
    return samples.join(series, on="_series", how="left", maintain_order="left").select(
        pl.lit(query).alias("query"), "series", "labels", pl.col("ts").cast(pl.Datetime("us")), "value"
    ).cast(SAMPLE_SCHEMA)


@dataclass
class PrometheusClient:
    http: FeedHTTP
    base_url: str
    credentials: Credentials = field(default_factory=Credentials)
    max_points: int = MAX_POINTS  # per series and query

    def query_range(self, query: str, start: dt.datetime, end: dt.datetime, step_s: int, *,
                    landing_dir: Path, day: dt.date, label: str) -> RangeAnswer:
        """Every sample of `query` in [start, end) (naive UTC) at `step_s`, window by window, each answer
        landed under landing/prometheus/<day>/ before it is parsed."""
        url = f"{self.base_url.rstrip('/')}/api/v1/query_range"
        frames, landed = [], []
        for first, last in windows(start, end, step_s, self.max_points):
            params = {"query": query, "start": _unix(first), "end": _unix(last), "step": f"{step_s}s"}
            response = self.http.get(url, params=params, headers=self.credentials.headers(),
                                     auth=self.credentials.basic(), ok=(200, 400, 422, 503))
            path = land_payload(landing_dir, FEED, day, label, response.content)
            landed.append(str(path))
            shown = public_url(url, params)
            frames.append(parse_matrix(parse_json(FEED, response.content, shown, path), query=query, url=shown,
                                       landed=path))
        samples = pl.concat(frames) if frames else pl.DataFrame(schema=SAMPLE_SCHEMA)
        return RangeAnswer(samples.unique(subset=["series", "ts"], keep="first", maintain_order=True), landed)
