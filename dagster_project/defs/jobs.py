import dagster as dg

from dagster_project.defs.grid.jobs import LIVE_FEEDS
from dagster_project.defs.grid.marginal_assets import MARGINAL_FEED
from dagster_project.defs.logs.power_samples import SAMPLES
from dagster_project.defs.telemetry.live_assets import LIVE_TELEMETRY

# Everything that is not partitioned, in dependency order, with every asset check: what
# `make run` executes offline. The live feeds (partitioned per day and feed) and the Prometheus
# sources (per day and source) run on their schedules (grid/jobs.py, grid/marginal_assets.py,
# telemetry/live_assets.py); the power-sample partitions (per cluster and day) are derived, and
# reported, by job_logs.
build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=(dg.AssetSelection.all() - LIVE_FEEDS - MARGINAL_FEED - LIVE_TELEMETRY
               - dg.AssetSelection.assets(SAMPLES)),
    description="Ingest -> GX checks -> dbt build (with dbt tests) -> GX checks -> publish.",
)
