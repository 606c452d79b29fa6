"""GPU energy read live from each Prometheus source, one partition per UTC day and source, as the grid
feeds are (grid/feed_assets.py): the fetch (HTTP, landing, parsing, the energy core) outside the writer
pool, the write of the day (milliseconds) in it. A failed fetch or an empty answer leaves the day as it
was. Sources are the folders of the telemetry directory (data/telemetry/README.md): the build adds each
one as a partition of the `telemetry_sources` dimension.
"""

import datetime as dt

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource
from pydantic import Field

from dagster_project import settings
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import replace_partition
from ingestion.http import FeedHTTP
from ingestion.sources.grid.observations import day_window
from ingestion.sources.telemetry import prometheus
from ingestion.sources.telemetry.fleet import TelemetryDay, fetch_day
from ingestion.sources.telemetry.source import read_source

ENERGY = dg.AssetKey(["raw", "telemetry_gpu_energy"])
REQUESTS = dg.AssetKey(["raw", "telemetry_requests"])
REJECTED = dg.AssetKey(["raw", "telemetry_rejected"])
TELEMETRY_SOURCES = dg.DynamicPartitionsDefinition(name="telemetry_sources")
telemetry_day_partitions = dg.MultiPartitionsDefinition({
    "date": dg.DailyPartitionsDefinition(start_date="2020-01-01", timezone="UTC", end_offset=1),
    "source": TELEMETRY_SOURCES,
})


class PrometheusFeed(dg.ConfigurableResource):
    """How to ask the sources (where and what: each source's source.yaml; credentials: the environment)."""

    timeout_s: float = Field(default=60.0, description="Seconds to wait for an answer (a day of a big fleet).")
    connect_timeout_s: float = 5.0
    retries: int = Field(default=4, description="Retries of 429 and 5xx answers (Retry-After honoured).")
    backoff_s: float = 1.0

    def client(self, url: str) -> prometheus.PrometheusClient:
        credentials = prometheus.Credentials(settings.credential(prometheus.TOKEN),
                                             settings.credential(prometheus.USERNAME),
                                             settings.credential(prometheus.PASSWORD))
        return prometheus.PrometheusClient(
            FeedHTTP(prometheus.FEED, timeout_s=self.timeout_s, connect_timeout_s=self.connect_timeout_s,
                     retries=self.retries, backoff_s=self.backoff_s), url, credentials)


def _day_source(context) -> tuple[dt.date, str]:
    key = context.partition_key.keys_by_dimension
    return dt.date.fromisoformat(key["date"]), key["source"]


@dg.op(out=dg.Out(TelemetryDay, is_required=False),
       description="Ask one source for one UTC day: energy counter, power and requests, each answer landed, "
                   "priced into hourly GPU energy (no writer pool).")
def fetch_telemetry_day(context: dg.OpExecutionContext, prometheus_feed: PrometheusFeed):
    day, name = _day_source(context)
    source = read_source(settings.telemetry_dir() / name)
    result = fetch_day(prometheus_feed.client(source.url), source, day, landing_dir=settings.landing_dir())
    for rejection in result.rejections[:20]:
        context.log.warning(rejection.message())
    yield dg.Output(result)


@dg.op(pool=WRITER_POOL, out={n: dg.Out(dg.Nothing, is_required=False) for n in ("energy", "requests", "rejected")},
       description="Replace the source's day in the telemetry tables, one transaction per table (writer pool).")
def write_telemetry_day(context: dg.OpExecutionContext, duckdb: DuckDBResource, result: TelemetryDay):
    day, name = _day_source(context)
    start, end = day_window(day)
    lineage = {"source_file": pl.lit(f"prometheus:{name}:{day}"),
               "source_row": pl.int_range(1, pl.len() + 1, dtype=pl.Int64)}
    energy = result.hourly.with_columns(day=pl.lit(day), **lineage)
    served = result.requests.with_columns(**lineage)
    window = "source = ? and hour_start >= ? and hour_start < ?"
    with duckdb.get_connection() as conn:
        replace_partition(conn, "raw", "telemetry_gpu_energy", energy, window, [name, start, end])
        replace_partition(conn, "raw", "telemetry_requests", served, window, [name, start, end])
        replace_partition(conn, "raw", "telemetry_rejected",
                          result.rejected().with_columns(telemetry_source=pl.lit(name), telemetry_day=pl.lit(day)),
                          "telemetry_source = ? and telemetry_day = ?", [name, day])
    yield dg.Output(None, "energy", metadata={"dagster/row_count": energy.height, "landed": dg.MetadataValue.json(
        result.landed), "gpu_kwh": round(float(energy["energy_kwh"].sum()), 3) if energy.height else 0.0})
    yield dg.Output(None, "requests", metadata={"dagster/row_count": served.height})
    yield dg.Output(None, "rejected", metadata={"dagster/row_count": len(result.rejections)})


@dg.graph_multi_asset(
    outs={
        "energy": dg.AssetOut(key=ENERGY, kinds={"duckdb", "polars"}, is_required=False, dagster_type=dg.Nothing,
                              description="GPU energy read from each Prometheus source per host, GPU, namespace, "
                                          "pod, container and UTC hour, one partition per UTC day and source."),
        "requests": dg.AssetOut(key=REQUESTS, kinds={"duckdb"}, is_required=False, dagster_type=dg.Nothing,
                                description="Requests served per source, namespace, pod, model and UTC hour."),
        "rejected": dg.AssetOut(key=REJECTED, kinds={"duckdb"}, is_required=False, dagster_type=dg.Nothing,
                                description="Quarantine: telemetry series that could not be attributed, with "
                                            "the reason."),
    },
    partitions_def=telemetry_day_partitions,
    group_name="ingestion",
)
def telemetry_day():
    energy, served, rejected = write_telemetry_day(fetch_telemetry_day())
    return {"energy": energy, "requests": served, "rejected": rejected}


LIVE_TELEMETRY = dg.AssetSelection.assets(ENERGY, REQUESTS, REJECTED)
refresh_telemetry = dg.define_asset_job(
    "refresh_telemetry", selection=LIVE_TELEMETRY,
    description="Read one UTC day of one Prometheus source (GPU energy and requests) into the telemetry tables.")


@dg.schedule(job=refresh_telemetry, cron_schedule="20 * * * *", execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.STOPPED,
             description="Every hour: today and yesterday (UTC) of every Prometheus source of the telemetry folder.")
def hourly_telemetry_refresh(context: dg.ScheduleEvaluationContext):
    now = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    sources = context.instance.get_dynamic_partitions(TELEMETRY_SOURCES.name)
    if not sources:
        return dg.SkipReason("no Prometheus source yet: add a folder with a source.yaml to the telemetry folder "
                             "and build once")
    return [dg.RunRequest(run_key=f"{source}|{day}|{now:%Y%m%dT%H}",
                          partition_key=dg.MultiPartitionKey({"date": day.isoformat(), "source": source}))
            for source in sources for day in (now.date() - dt.timedelta(days=1), now.date())]
