"""The live feeds, one partition per UTC day and feed, as two steps: fetch, then write.

The fetch (HTTP, retries, landing every payload, parsing) runs outside the writer pool; only the
write, a few milliseconds of `replace_partition`, takes it. A feed that is down or slow then delays
its own partition, never the builds and refreshes waiting for the one DuckDB writer.
"""

import datetime as dt

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.grid.feed_resource import FeedNotConfigured, GridFeeds
from dagster_project.defs.grid.partitions import feed_day_partitions
from dagster_project.lib.pools import WRITER_POOL
from dagster_project.lib.warehouse import replace_partition
from ingestion.sources.grid.observations import FeedBatch, day_window

OBSERVATIONS = dg.AssetKey(["raw", "grid_intensity_observations"])
MIX = dg.AssetKey(["raw", "grid_generation_mix_observations"])
REJECTED = dg.AssetKey(["raw", "grid_observations_rejected"])
FORECASTS = dg.AssetKey(["raw", "grid_intensity_forecasts"])
OUTPUTS = ("observations", "mix", "forecasts", "rejected")


def _feed_day(context) -> tuple[str, dt.date]:
    key = context.partition_key.keys_by_dimension
    return key["feed"], dt.date.fromisoformat(key["date"])


@dg.op(out=dg.Out(FeedBatch, is_required=False), description="Fetch, land and parse one feed day (no writer pool).")
def fetch_feed_day(context: dg.OpExecutionContext, grid_feeds: GridFeeds):
    feed, day = _feed_day(context)
    variable = settings.FEED_CREDENTIALS.get(feed)
    if not settings.credential_configured(variable):
        context.log.info(f"{feed}: skipped for {day}: {variable} is not set (see README, 'Live feeds')")
        return
    load_id = f"{feed}:{day}:{context.run.run_id[:8]}"
    try:
        batch = grid_feeds.fetch_day(feed, day, landing_dir=settings.landing_dir(), load_id=load_id,
                                     grid_dir=settings.reference_dir() / "grid")
    except FeedNotConfigured as reason:
        context.log.info(f"{feed}: skipped for {day}: {reason}")
        return
    if batch.frames(day)[0].is_empty() and not batch.forecasts:
        context.log.warning(f"{feed}: no data for {day}; the partition keeps what it held")
        return
    yield dg.Output(batch)


@dg.op(pool=WRITER_POOL, out={name: dg.Out(dg.Nothing, is_required=False) for name in OUTPUTS},
       description="Replace the feed day in the raw tables, in one transaction per table (writer pool); add "
                   "the forward forecasts fetched, each replacing only itself.")
def write_feed_day(context: dg.OpExecutionContext, duckdb: DuckDBResource, batch: FeedBatch):
    feed, day = _feed_day(context)
    observations, mix, rejected = batch.frames(day)
    forecasts = batch.forecast_frame()
    start, end = day_window(day)
    window = "feed = ? and period_start >= ? and period_start < ?"
    table = "raw.grid_intensity_forecasts"
    with duckdb.get_connection() as conn:
        if observations.height:  # a refresh that brought forecasts only leaves the day as it was
            replace_partition(conn, "raw", "grid_intensity_observations", observations, window, [feed, start, end])
            replace_partition(conn, "raw", "grid_generation_mix_observations", mix, window, [feed, start, end])
        # a forecast as issued is never replaced by a later one: only by itself, fetched again
        replace_partition(conn, "raw", "grid_intensity_forecasts", forecasts,
                          f"exists (select 1 from _frame f where f.feed = {table}.feed and f.zone_id = {table}.zone_id "
                          f"and f.basis = {table}.basis and f.issued_at = {table}.issued_at)", [])
        replace_partition(conn, "raw", "grid_observations_rejected",
                          rejected.with_columns(feed_name=pl.lit(feed), feed_day=pl.lit(day)),
                          "feed_name = ? and feed_day = ?", [feed, day])
    yield dg.Output(None, "observations", metadata={
        "dagster/row_count": observations.height,
        "zones": observations["zone_id"].n_unique(),
        "kinds": sorted(set(observations["kind"])),
        "landed": dg.MetadataValue.json(batch.landed),
    })
    yield dg.Output(None, "mix", metadata={"dagster/row_count": mix.height})
    yield dg.Output(None, "forecasts", metadata={
        "dagster/row_count": forecasts.height,
        "forecasts_issued": forecasts.select("zone_id", "issued_at").n_unique() if forecasts.height else 0})
    yield dg.Output(None, "rejected", metadata={"dagster/row_count": rejected.height})


@dg.graph_multi_asset(
    outs={
        "observations": dg.AssetOut(
            key=OBSERVATIONS, kinds={"duckdb", "polars"}, is_required=False,
            dagster_type=dg.Nothing,
            description="Live hourly feeds (UK NESO, Electricity Maps, EIA-930, ENTSO-E), one partition per UTC "
                        "day and feed: zone, period, gCO2e/kWh, kind, basis, source. Every payload is kept under "
                        "data/landing/<feed>/<day>/ before parsing."),
        "mix": dg.AssetOut(key=MIX, kinds={"duckdb", "polars"}, is_required=False,
                           dagster_type=dg.Nothing,
                           description="Generation mix per zone and period from the live feeds that publish one."),
        "forecasts": dg.AssetOut(
            key=FORECASTS, kinds={"duckdb", "polars"}, is_required=False, dagster_type=dg.Nothing,
            description="Forward forecasts kept as issued (UK NESO's 48 hours ahead, fetched by each refresh of "
                        "today): zone, issue time, period, gCO2e/kWh. A later forecast or the actual never "
                        "replaces one; NESO gives no issue time, so it is the time fetched."),
        "rejected": dg.AssetOut(key=REJECTED, kinds={"duckdb"}, is_required=False,
                                dagster_type=dg.Nothing,
                                description="Quarantine: feed records that could not load (unknown zone...), "
                                            "with reason."),
    },
    partitions_def=feed_day_partitions,
    group_name="ingestion",  # graph_multi_asset does not read an AssetOut's group_name
)
def grid_feed_day():
    observations, mix, forecasts, rejected = write_feed_day(fetch_feed_day())
    return {"observations": observations, "mix": mix, "forecasts": forecasts, "rejected": rejected}
