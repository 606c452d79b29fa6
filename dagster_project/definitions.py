from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    # Each folder under defs/ holds one source's assets, checks and schedules.
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
