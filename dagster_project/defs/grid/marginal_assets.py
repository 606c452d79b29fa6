"""WattTime's marginal emissions rate (MOER), one partition per UTC day, fetched and written as the other
live feeds are (feed_assets.py): login, HTTP, landing and parsing outside the writer pool, the write in it.

Forecasts are kept as issued: each is its own rows, keyed by region and `issued_at`, and a later
forecast or the actual never replaces it. A partition written again replaces its day's actual hours and
the forecasts it fetched again; a forecast stored earlier that the new fetch does not return stays.
Regions the account's plan does not cover are skipped with WattTime's reason (a warning), the others load.
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
from ingestion.sources.grid.feeds import watttime
from ingestion.sources.grid.observations import day_window

MARGINAL = dg.AssetKey(["raw", "grid_marginal_observations"])
MARGINAL_REJECTED = dg.AssetKey(["raw", "grid_marginal_rejected"])
CREDENTIALS = watttime.CREDENTIALS
marginal_day_partitions = dg.DailyPartitionsDefinition(start_date="2020-01-01", timezone="UTC", end_offset=1)


class WattTimeFeed(dg.ConfigurableResource):
    """Where and what to ask WattTime (the credentials come from the environment, never config)."""

    base_url: str = watttime.BASE_URL
    regions: list[str] = Field(default=["CAISO_NORTH"], description=(
        "WattTime regions to fetch (region-from-loc names them). CAISO_NORTH is open to every account; "
        "the others need a plan and are skipped, with WattTime's reason, where it does not cover them."))
    timeout_s: float = 20.0
    connect_timeout_s: float = 5.0
    retries: int = Field(default=4, description="Retries of 429 and 5xx answers (Retry-After honoured).")
    backoff_s: float = 1.0

    def fetch_day(self, day: dt.date, *, load_id: str, today: dt.date | None = None) -> watttime.MarginalBatch:
        username, password = (settings.credential(v) for v in CREDENTIALS)
        http = FeedHTTP(watttime.FEED, timeout_s=self.timeout_s, connect_timeout_s=self.connect_timeout_s,
                        retries=self.retries, backoff_s=self.backoff_s)
        session = watttime.WattTimeSession(http, username, password, base_url=self.base_url)
        return watttime.fetch_day(session, day, regions=self.regions, landing_dir=settings.landing_dir(),
                                  load_id=load_id, today=today)


@dg.op(out=dg.Out(watttime.MarginalBatch, is_required=False),
       description="Log in, fetch, land and parse one UTC day of WattTime (no writer pool).")
def fetch_marginal_day(context: dg.OpExecutionContext, watttime_feed: WattTimeFeed):
    day = dt.date.fromisoformat(context.partition_key)
    missing = [v for v in CREDENTIALS if not settings.credential(v)]
    if missing:
        context.log.info(f"watttime: skipped for {day}: {' and '.join(missing)} not set (README, 'Live feeds')")
        return
    batch = watttime_feed.fetch_day(day, load_id=f"watttime:{day}:{context.run.run_id[:8]}")
    for skipped in batch.skipped:
        context.log.warning(f"watttime: region {skipped}; the other regions load")
    if batch.frames()[0].is_empty():
        context.log.warning(f"watttime: no data for {day}; the partition keeps what it held")
        return
    yield dg.Output(batch)


@dg.op(pool=WRITER_POOL, out={name: dg.Out(dg.Nothing, is_required=False) for name in ("marginal", "rejected")},
       description="Write the day's actual hours and the forecasts fetched, in one transaction per table.")
def write_marginal_day(context: dg.OpExecutionContext, duckdb: DuckDBResource, batch: watttime.MarginalBatch):
    day = dt.date.fromisoformat(context.partition_key)
    rows, rejected = batch.frames()
    start, end = day_window(day)
    table = "raw.grid_marginal_observations"
    with duckdb.get_connection() as conn:
        replace_partition(conn, "raw", "grid_marginal_observations", rows.filter(pl.col("kind") == "actual"),
                          "kind = 'actual' and period_start >= ? and period_start < ?", [start, end])
        # a forecast replaces only itself (same region, signal and issue time), fetched again
        replace_partition(conn, "raw", "grid_marginal_observations", rows.filter(pl.col("kind") == "forecast"),
                          f"kind = 'forecast' and exists (select 1 from _frame f where f.region = {table}.region "
                          f"and f.signal = {table}.signal and f.issued_at = {table}.issued_at)", [])
        replace_partition(conn, "raw", "grid_marginal_rejected", rejected.with_columns(feed_day=pl.lit(day)),
                          "feed_day = ?", [day])
    forecasts = rows.filter(pl.col("kind") == "forecast")
    yield dg.Output(None, "marginal", metadata={
        "dagster/row_count": rows.height,
        "regions": sorted(set(rows["region"])),
        "forecasts_issued": forecasts.select("region", "issued_at").n_unique() if forecasts.height else 0,
        "skipped_regions": dg.MetadataValue.json(batch.skipped),
        "landed": dg.MetadataValue.json(batch.landed),
    })
    yield dg.Output(None, "rejected", metadata={"dagster/row_count": rejected.height})


@dg.graph_multi_asset(
    outs={
        "marginal": dg.AssetOut(
            key=MARGINAL, kinds={"duckdb", "polars"}, is_required=False, dagster_type=dg.Nothing,
            description="WattTime co2_moer per region and hour in gCO2e/kWh (from lbs/MWh; 5-minute points "
                        "averaged, their count kept): the actual, and every forecast with the time it was "
                        "issued. One partition per UTC day; every payload kept under data/landing/watttime/."),
        "rejected": dg.AssetOut(
            key=MARGINAL_REJECTED, kinds={"duckdb"}, is_required=False, dagster_type=dg.Nothing,
            description="Quarantine: WattTime payloads in other units, forecast points before their issue "
                        "time, repeated issue times, with the reason."),
    },
    partitions_def=marginal_day_partitions,
    group_name="ingestion",
)
def grid_marginal_day():
    marginal, rejected = write_marginal_day(fetch_marginal_day())
    return {"marginal": marginal, "rejected": rejected}


MARGINAL_FEED = dg.AssetSelection.assets(MARGINAL, MARGINAL_REJECTED)

refresh_marginal = dg.define_asset_job(
    "refresh_marginal", selection=MARGINAL_FEED,
    description="Fetch one UTC day of WattTime's marginal emissions rate (actual and forecasts as issued).")


@dg.schedule(job=refresh_marginal, cron_schedule="10 * * * *", execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.STOPPED,
             description="Every hour: today (the newest forecast, as issued) and yesterday (the actual) from "
                         "WattTime, where WATTTIME_USERNAME and WATTTIME_PASSWORD are set.")
def hourly_marginal_refresh(context: dg.ScheduleEvaluationContext):
    if not all(settings.credential(v) for v in CREDENTIALS):
        return dg.SkipReason("WATTTIME_USERNAME and WATTTIME_PASSWORD are not both set")
    now = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    return [dg.RunRequest(run_key=f"watttime|{day}|{now:%Y%m%dT%H}", partition_key=day.isoformat())
            for day in (now.date() - dt.timedelta(days=1), now.date())]

