import dagster as dg

from dagster_project.defs.grid.feed_assets import FORECASTS, MIX, OBSERVATIONS, REJECTED
from dagster_project.defs.grid.marginal_assets import MARGINAL_FEED
from dagster_project.lib.check_scope import CHECK_SCOPE_TAG

LIVE_FEEDS = dg.AssetSelection.assets(OBSERVATIONS, MIX, FORECASTS, REJECTED)

# The scheduled refresh: one run per feed and day partition (schedules.py).
refresh_grid_feeds = dg.define_asset_job(
    "refresh_grid_feeds",
    selection=LIVE_FEEDS,
    partitions_def=None,
    tags={CHECK_SCOPE_TAG: "changed"},
    description="Fetch one UTC day of one live feed into raw.grid_intensity_observations (and, for today, "
                "its forward forecasts as issued into raw.grid_intensity_forecasts).",
)

# What a feed refresh (the hourly feeds or WattTime's) changes downstream: the grid models, the
# replays and siting priced on them, and the published copy.
rebuild_after_refresh = dg.define_asset_job(
    "rebuild_after_refresh",
    selection=(LIVE_FEEDS | MARGINAL_FEED).downstream() - LIVE_FEEDS - MARGINAL_FEED,
    tags={CHECK_SCOPE_TAG: "changed"},
    description="dbt models fed by the live feeds (the hourly grid marts incrementally: the zone-hours "
                "retrieved since the last build), their checks, and the published copy.",
)
