"""The dbt CLI resource without the 8 s dagster-dbt spends before each dbt command on things unused here,
and with dbt's parse state kept for the next command.

Before starting `dbt`, DbtCliResource.cli() runs `dbt --version` in a subprocess (3.5 s here, to tell
dbt Fusion from dbt-core) and parses every dbt macro in the Dagster process (4.9 s) to hand an
adapter to `fetch_row_counts()` and `fetch_column_metadata()`. This project pins dbt-core (no Fusion)
and reads row counts over its own DuckDB connection once dbt has exited (transform/assets.py), so
both are skipped: a refresh that changes one hour pays for dbt's own work only.

dagster-dbt gives each command a fresh target folder seeded with the project's
target/partial_parse.msgpack. dbt keys that state on the profile, which holds the warehouse path: with
FOOTPRINT_DUCKDB_PATH set elsewhere than where `make manifest` parsed, every command parsed the whole
project again ("Unable to do partial parsing because profile has changed", 4.3 s per refresh here).
keep_parse_state() puts the state a command leaves back where the next command is seeded from.
"""

from __future__ import annotations

import os
import uuid
from functools import cached_property
from importlib import metadata
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

PARTIAL_PARSE = "partial_parse.msgpack"


class DbtCoreCli(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))  # the pinned package, not `dbt --version`

    def _initialize_dbt_core_adapter(self, args):  # only fetch_row_counts/fetch_column_metadata need it
        return None


def keep_parse_state(command_target: Path, project_target: Path) -> bool:
    """Copy the parse state a dbt command wrote (in its own target folder) to the project's target
    folder, by rename, when it differs; returns whether it did. Two commands finishing together each
    leave a complete file (the last one wins: both are valid states)."""
    written, kept = Path(command_target) / PARTIAL_PARSE, Path(project_target) / PARTIAL_PARSE
    if not written.is_file():
        return False
    state = written.read_bytes()
    if kept.is_file() and kept.read_bytes() == state:
        return False
    staged = kept.with_name(f".{PARTIAL_PARSE}.{uuid.uuid4().hex}")
    kept.parent.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(state)
    os.replace(staged, kept)
    return True
