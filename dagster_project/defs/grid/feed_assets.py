import datetime as dt

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.grid.feed_resource import FeedNotConfigured, GridFeeds
from dagster_project.defs.grid.partitions import feed_day_partitions
from dagster_project.defs.resources import WRITER_POOL
from dagster_project.lib.warehouse import replace_partition
from ingestion.sources.grid.observations import day_window

OBSERVATIONS = dg.AssetKey(["raw", "grid_intensity_observations"])
MIX = dg.AssetKey(["raw", "grid_generation_mix_observations"])
REJECTED = dg.AssetKey(["raw", "grid_observations_rejected"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(OBSERVATIONS, group_name="ingestion", kinds={"duckdb", "polars"}, skippable=True,
                     description="Live hourly feeds (UK NESO, Electricity Maps, EIA-930, ENTSO-E), one "
                                 "partition per UTC day and feed: zone, period, gCO2e/kWh, kind, basis, source. "
                                 "Every payload is kept under data/landing/<feed>/<day>/ before parsing."),
        dg.AssetSpec(MIX, group_name="ingestion", kinds={"duckdb", "polars"}, skippable=True,
                     description="Generation mix per zone and period from the live feeds that publish one."),
        dg.AssetSpec(REJECTED, group_name="ingestion", kinds={"duckdb"}, skippable=True,
                     description="Quarantine: feed records that could not load (unknown zone...), with reason."),
    ],
    partitions_def=feed_day_partitions,
    pool=WRITER_POOL,
)
def grid_feed_day(context: dg.AssetExecutionContext, duckdb: DuckDBResource, grid_feeds: GridFeeds):
    key = context.partition_key.keys_by_dimension
    feed, day = key["feed"], dt.date.fromisoformat(key["date"])
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
    observations, mix, rejected = batch.frames(day)
    if observations.is_empty():
        context.log.warning(f"{feed}: no data for {day}; the partition keeps what it held")
        return
    start, end = day_window(day)
    window = "feed = ? and period_start >= ? and period_start < ?"
    with duckdb.get_connection() as conn:
        replace_partition(conn, "raw", "grid_intensity_observations", observations, window, [feed, start, end])
        replace_partition(conn, "raw", "grid_generation_mix_observations", mix, window, [feed, start, end])
        replace_partition(conn, "raw", "grid_observations_rejected",
                          rejected.with_columns(feed_name=pl.lit(feed), feed_day=pl.lit(day)),
                          "feed_name = ? and feed_day = ?", [feed, day])
    yield dg.MaterializeResult(asset_key=OBSERVATIONS, metadata={
        "dagster/row_count": observations.height,
        "zones": observations["zone_id"].n_unique(),
        "kinds": sorted(set(observations["kind"])),
        "landed": dg.MetadataValue.json(batch.landed),
    })
    yield dg.MaterializeResult(asset_key=MIX, metadata={"dagster/row_count": mix.height})
    yield dg.MaterializeResult(asset_key=REJECTED, metadata={"dagster/row_count": rejected.height})

