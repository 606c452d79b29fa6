import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.grid.feed_resource import GridFeeds
from dagster_project.defs.grid.marginal_assets import WattTimeFeed
from dagster_project.defs.telemetry.live_assets import PrometheusFeed
from dagster_project.lib.dbt_cli import DbtCoreCli

@dg.definitions
def resources() -> dg.Definitions:
    warehouse = settings.warehouse_path()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return dg.Definitions(
        resources={
            "duckdb": DuckDBResource(database=str(warehouse)),
            "dbt": DbtCoreCli(
                project_dir=str(settings.DBT_DIR),
                profiles_dir=str(settings.DBT_DIR),
                dbt_executable=settings.dbt_executable(),
            ),
            "grid_feeds": GridFeeds(),
            "watttime_feed": WattTimeFeed(),
            "prometheus_feed": PrometheusFeed(),
        }
    )
