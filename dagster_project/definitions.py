from pathlib import Path

import dagster as dg

from dagster_project import settings
from dagster_project.defs.serving.assets import published_warehouse_asset, upstream_of_publication


@dg.definitions
def defs() -> dg.Definitions:
    # Each folder under defs/ holds one source's assets, checks and schedules.
    definitions = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    # The published copy follows every asset that writes a table, whichever folder defines it.
    definitions = dg.Definitions.merge(
        definitions, dg.Definitions(assets=[published_warehouse_asset(upstream_of_publication(definitions))]))
    if settings.spark_master():  # the log attribution on Spark (scale/spark_backend.py)
        from dagster_project.scale.spark_backend import with_spark_backend

        definitions = with_spark_backend(definitions)
    return definitions
