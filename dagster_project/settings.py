"""The one place that reads environment variables. Read at call time, never at import time.

FOOTPRINT_DUCKDB_PATH      the warehouse DuckDB file (basename must stay footprint.duckdb)
FOOTPRINT_PUBLISHED_DIR    where the read-only copy for BI tools is published
FOOTPRINT_REFERENCE_DIR    bundled reference data (the catalogs under data/)
FOOTPRINT_LANDING_DIR      every input file as read, kept by content hash
FOOTPRINT_LOGS_DIR         job and power logs, one folder per cluster (default: <reference>/logs);
                           the sensor `new_log_files` watches it
DBT_TARGET_PATH            dagster-dbt's own variable: the folder (relative to dbt/) under which each
                           dbt command gets its target folder and dbt's parse state is kept
                           (default: dbt/target)
ELECTRICITY_MAPS_TOKEN, EIA_API_KEY, ENTSOE_TOKEN
                           credentials of the live feeds, read when a feed is fetched (never
                           resource or run config, never logged)
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = REPO_ROOT / "dbt"
WAREHOUSE_FILENAME = "footprint.duckdb"


def _path(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    path = Path(value).expanduser() if value else default
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def warehouse_path() -> Path:
    path = _path("FOOTPRINT_DUCKDB_PATH", REPO_ROOT / "data" / "warehouse" / WAREHOUSE_FILENAME)
    if path.name != WAREHOUSE_FILENAME:
        # dbt-duckdb names the catalog after the file; Dagster's dbt row counts need this name.
        raise ValueError(
            f"FOOTPRINT_DUCKDB_PATH={path}: the file must be named {WAREHOUSE_FILENAME}; "
            "change the directory, not the file name"
        )
    return path


def facts_dir() -> Path:
    """The big facts (power samples per cluster and day, as Parquet) beside the warehouse file: the
    warehouse holds their hourly sums; BI reads the samples from the published copy's parquet/."""
    return warehouse_path().parent / "facts"


def spark_master() -> str | None:
    """FOOTPRINT_SPARK_MASTER: unset (the default) attributes the logs with polars in the run; set, the
    Spark backend does (local[*], spark://host:7077, yarn, k8s://..., or Spark Connect sc://host:15002)."""
    return os.environ.get("FOOTPRINT_SPARK_MASTER") or None


def spark_output_dir() -> Path:
    """Where the Spark backend writes its datasets and the inputs it exports (beside the facts: on a
    cluster, a shared filesystem the Spark executors mount at the same path)."""
    return facts_dir() / "spark"


def published_dir() -> Path:
    return _path("FOOTPRINT_PUBLISHED_DIR", REPO_ROOT / "data" / "published")


def reference_dir() -> Path:
    return _path("FOOTPRINT_REFERENCE_DIR", REPO_ROOT / "data")


def landing_dir() -> Path:
    return _path("FOOTPRINT_LANDING_DIR", REPO_ROOT / "data" / "landing")


def logs_dir() -> Path:
    return _path("FOOTPRINT_LOGS_DIR", reference_dir() / "logs")


def telemetry_dir() -> Path:
    """Prometheus sources, a folder each with its source.yaml (and, bundled, recorded answers)."""
    return _path("FOOTPRINT_TELEMETRY_DIR", reference_dir() / "telemetry")


FEED_CREDENTIALS = {
    "uk_neso": None,  # no key
    "electricity_maps": "ELECTRICITY_MAPS_TOKEN",
    "eia": "EIA_API_KEY",
    "entsoe": "ENTSOE_TOKEN",
}


def credential(variable: str) -> str | None:
    """A feed credential from the environment (empty counts as unset)."""
    return os.environ.get(variable) or None


def credential_configured(variable: str | None) -> bool:
    return variable is None or bool(credential(variable))


def enabled_feeds() -> list[str]:
    """Feeds that can run: no credential needed, or their credential is in the environment."""
    return [feed for feed, variable in FEED_CREDENTIALS.items() if credential_configured(variable)]


def export_for_dbt() -> None:
    """dbt runs in its own process with cwd dbt/: hand it the absolute warehouse path."""
    os.environ["FOOTPRINT_DUCKDB_PATH"] = str(warehouse_path())


def dbt_command_dir() -> Path:
    """Where dagster-dbt puts each dbt command's own target folder and seeds it with the parse state
    (dagster-dbt reads DBT_TARGET_PATH the same way). Two processes building warehouses at different
    paths at once (the test workers) each need their own: dbt keys its parse state on the profile."""
    value = os.environ.get("DBT_TARGET_PATH")
    path = Path(value).expanduser() if value else Path("target")
    return path if path.is_absolute() else DBT_DIR / path


def dbt_executable() -> str:
    """The dbt installed beside this Python, so a venv works without being activated."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
