import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project import settings
from dagster_project.defs.grid.feed_resource import GridFeeds
from dagster_project.lib.dbt_cli import DbtCoreCli

# Every asset that writes the DuckDB file takes this pool; the instance limits it to 1 writer.
WRITER_POOL = "duckdb_writer"


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
        }
    )
