"""One UTC day of a Prometheus source: GPU energy per host, GPU, namespace, pod and hour.

Both the energy counter and the power gauge of the source's exporter are asked for the day. A series
(one GPU, MIG instance or pod on it) is priced from its counter where the counter has it, else from
its power (core/telemetry.py), then GPUs shared by several series are split (shared_gpu_shares) and
the energy summed per hour. Faults, each with its reason: a metric with no series at all (a wrong
exporter, name or selector: nothing loads, the error says what was asked), the same GPU and pod
reported by two scrape targets (the first kept, the other quarantined), a series without the pod or
namespace label (kept under its host, flagged in `attribution`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingestion.core.attribution import hourly_energy
from ingestion.core.telemetry import counter_intervals, counter_per_hour, power_intervals, shared_gpu_shares
from ingestion.quarantine import Rejection, rejections_frame
from ingestion.sources.grid.observations import day_window
from ingestion.sources.telemetry.prometheus import PrometheusClient
from ingestion.sources.telemetry.source import EXPORTERS, PrometheusSource

FACTS = ("host", "gpu_uuid", "model", "namespace", "pod", "container", "mig_profile")
HOURLY_KEY = ("source", "host", "gpu_uuid", "model", "namespace", "pod", "container", "method", "attribution")
NO_LABEL = "(none)"


REQUEST_KEY = ["source", "namespace", "pod", "model_name"]
REQUEST_SCHEMA = {**{c: pl.String for c in REQUEST_KEY}, "hour_start": pl.Datetime("us"), "requests": pl.Float64}


@dataclass
class TelemetryDay:
    hourly: pl.DataFrame
    rejections: list[Rejection] = field(default_factory=list)
    landed: list[str] = field(default_factory=list)
    requests: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REQUEST_SCHEMA))

    def rejected(self) -> pl.DataFrame:
        return rejections_frame(self.rejections)


def with_facts(samples: pl.DataFrame, source: PrometheusSource) -> pl.DataFrame:
    """The series' labels read into the fact columns (null where the label is absent), and the GPU's own
    series key: the labels without the metric name, so a GPU's counter and power series match."""
    names = source.label_names
    def fact(name: str | None) -> pl.Expr:  # an empty label (dcgm-exporter's pod="" on a GPU no pod holds) is none
        value = pl.col("labels").str.json_path_match(f'$["{name}"]') if name else pl.lit(None, pl.String)
        return pl.when(value != "").then(value)

    # read once per series, not per sample: a day of a fleet is millions of samples of a few hundred series
    transient = EXPORTERS[source.exporter]["transient_labels"]
    dropped = "|".join(("__name__", *transient))
    series = samples.select("series", "labels").unique("series").with_columns(
        *(fact(getattr(names, f)).alias(f) for f in FACTS),
        gpu_series=pl.col("series").str.replace_all(rf"(^|,)({dropped})=[^,]*", ""))
    joined = samples.join(series.drop("labels"), on="series", how="left", maintain_order="left")
    if not transient:
        return joined
    # a label changing at a scrape can leave both label sets at one point (Prometheus's lookback): one reading
    return joined.sort("value").unique(["gpu_series", "ts"], keep="last").sort("gpu_series", "ts")


def _duplicates(frame: pl.DataFrame, landed: str, what: str) -> tuple[pl.DataFrame, list[Rejection]]:
    """The same GPU, MIG instance and pod from two scrape targets: the first series kept."""
    identity = ["gpu_uuid", "mig_profile", "namespace", "pod", "container"]
    firsts = frame.group_by(identity, maintain_order=True).agg(pl.col("gpu_series").first().alias("_keep"))
    marked = frame.join(firsts, on=identity, how="left", nulls_equal=True, maintain_order="left")
    extra = marked.filter(pl.col("gpu_series") != pl.col("_keep")).select("gpu_series", "_keep").unique()
    rejections = [Rejection(landed, 0, row["gpu_series"], "series", row["gpu_series"],
                            f"{what}: the same GPU and pod as series {row['_keep']} (two scrape targets)",
                            "scrape each exporter once (drop the duplicate job or target)", {})
                  for row in extra.sort("gpu_series").to_dicts()]
    return marked.filter(pl.col("gpu_series") == pl.col("_keep")).drop("_keep"), rejections


def energy_hourly(counter: pl.DataFrame, power: pl.DataFrame, source: PrometheusSource, *,
                  landed: str = "") -> TelemetryDay:
    """counter, power: query_range samples (series, labels, ts, value) of the exporter's energy and power
    metrics. Energy per hour and group of HOURLY_KEY, in kWh, with its method and attribution."""
    exporter = EXPORTERS[source.exporter]
    rejections: list[Rejection] = []
    counter, found = _duplicates(with_facts(counter, source), landed, exporter["energy"])
    rejections += found
    power, found = _duplicates(with_facts(power, source), landed, exporter["power"])
    rejections += found
    from_power = power.join(counter.select("gpu_series").unique(), on="gpu_series", how="anti")
    facts = pl.concat([counter, power]).select("gpu_series", *FACTS).unique("gpu_series", keep="first")
    intervals = pl.concat([
        counter_intervals(counter.rename({"series": "_s", "gpu_series": "series"}), source.step_s,
                          exporter["energy_joules_per_unit"]).with_columns(method=pl.lit("counter")),
        power_intervals(from_power.rename({"series": "_s", "gpu_series": "series"}), source.step_s)
        .with_columns(method=pl.lit("power x step")),
    ]).join(facts.rename({"gpu_series": "series"}), on="series", how="left")
    if intervals.is_empty():
        return TelemetryDay(pl.DataFrame(schema={**{c: pl.String for c in HOURLY_KEY}, "hour_start": pl.Datetime("us"),
                                                 "energy_kwh": pl.Float64, "samples": pl.UInt32}), rejections)
    shared = shared_gpu_shares(intervals.with_columns(pl.col("gpu_uuid").fill_null(pl.col("series"))))
    unlabelled = pl.col("pod").is_null() | pl.col("namespace").is_null()
    shared = shared.with_columns(
        attribution=pl.when(unlabelled).then(pl.format("{}; no pod or namespace label: kept under its host",
                                                       "attribution")).otherwise("attribution"),
        source=pl.lit(source.name),
        **{c: pl.col(c).fill_null(NO_LABEL) for c in ("host", "model", "namespace", "pod", "container")})
    # sorted: hourly_energy's row order follows its categorical codes, i.e. the order rows met, and a
    # rebuild must give the same rows in the same order (their source_row is their position)
    return TelemetryDay(hourly_energy(shared, HOURLY_KEY).sort(*HOURLY_KEY, "hour_start"), rejections)


def requests_hourly(samples: pl.DataFrame, source: PrometheusSource) -> pl.DataFrame:
    """The requests counter (e.g. vLLM's vllm:request_success_total) per namespace, pod and served model
    (its `model_name` label) and UTC hour."""
    def label(name: str) -> pl.Expr:
        value = pl.col("labels").str.json_path_match(f'$["{name}"]')
        return pl.when(value != "").then(value).otherwise(pl.lit(NO_LABEL)).alias(name)

    labelled = samples.with_columns(label("namespace"), label("pod"), label("model_name"),
                                    source=pl.lit(source.name))
    return counter_per_hour(labelled, source.step_s, REQUEST_KEY).rename({"count": "requests"})


def day_ranges(source: PrometheusSource, day: dt.date) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """The [start, end) each kind is asked for a UTC day. Power points stand for one step each, so the
    day's points are its own; a counter's energy is the rise between points, so its range takes the next
    day's first point too, the end of the day's last interval (else each day lost its last step)."""
    start, end = day_window(day)
    step = dt.timedelta(seconds=source.step_s)
    ranges = {"energy": (start, end + step), "power": (start, end)}
    return {**ranges, "requests": (start, end + step)} if source.requests_counter else ranges


def fetch_day(client: PrometheusClient, source: PrometheusSource, day: dt.date, *,
              landing_dir: Path) -> TelemetryDay:
    """The day's energy and power series (and requests, where the source counts them), each answer
    landed, priced into hourly energy. A metric with no series for the whole day is an error naming the
    query (a wrong exporter, metric or selector)."""
    answers = {kind: client.query_range(source.query(kind), start, end, source.step_s, landing_dir=landing_dir,
                                        day=day, label=f"{source.name}_{kind}")
               for kind, (start, end) in day_ranges(source, day).items()}
    if answers["energy"].samples.is_empty() and answers["power"].samples.is_empty():
        raise ValueError(f"prometheus source {source.name}: no series for {source.query('energy')} nor "
                         f"{source.query('power')} on {day}: check `exporter` and `selector` in its source.yaml, "
                         "and that the exporter is scraped")
    result = energy_hourly(answers["energy"].samples, answers["power"].samples, source,
                           landed=answers["energy"].landed[0] if answers["energy"].landed else "")
    if "requests" in answers:
        result.requests = requests_hourly(answers["requests"].samples, source)
    result.landed = [p for a in answers.values() for p in a.landed]
    return result
