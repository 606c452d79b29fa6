"""Every run executes its steps in one process, launched from the UI, a schedule or a sensor alike.

The default executor starts a process per step: about 45 steps, each importing Dagster, polars and
dbt again, made a `build_warehouse` launched from the UI take 10 min 40 s where `footprint build`
(in-process) takes 46 s. The steps gain nothing from processes of their own: every writer waits for
the one DuckDB writer pool anyway, and the heavy work (polars, dbt) is multi-threaded inside a step.
"""

import dagster as dg


@dg.definitions
def run_in_one_process() -> dg.Definitions:
    return dg.Definitions(executor=dg.in_process_executor)
