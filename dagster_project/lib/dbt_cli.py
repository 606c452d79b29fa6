"""The dbt CLI resource without the 8 s dagster-dbt spends before each dbt command on things unused here.

Before starting `dbt`, DbtCliResource.cli() runs `dbt --version` in a subprocess (3.5 s here, to tell
dbt Fusion from dbt-core) and parses every dbt macro in the Dagster process (4.9 s) to hand an
adapter to `fetch_row_counts()` and `fetch_column_metadata()`. This project pins dbt-core (no Fusion)
and reads row counts over its own DuckDB connection once dbt has exited (transform/assets.py), so
both are skipped: a refresh that changes one hour pays for dbt's own work only.
"""

from __future__ import annotations

from functools import cached_property
from importlib import metadata

from dagster_dbt import DbtCliResource
from packaging import version


class DbtCoreCli(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))  # the pinned package, not `dbt --version`

    def _initialize_dbt_core_adapter(self, args):  # only fetch_row_counts/fetch_column_metadata need it
        return None
