"""A SparkSession for FOOTPRINT_SPARK_MASTER, or a clear error saying what is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

INSTALL = "pip install '.[spark]'  (pyspark 4.3.0; Spark needs Java 17 on PATH or JAVA_HOME)"


class SparkUnavailable(RuntimeError):
    """FOOTPRINT_SPARK_MASTER is set but Spark cannot start here."""


def check_spark_installed(master: str) -> None:
    """Raise SparkUnavailable, naming the variable and the install command, when pyspark or (for a
    local or cluster master; Spark Connect needs no local JVM) Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as missing:
        raise SparkUnavailable(
            f"FOOTPRINT_SPARK_MASTER={master!r} asks for the Spark backend, but pyspark is not installed: "
            f"{INSTALL}; or unset FOOTPRINT_SPARK_MASTER to attribute with polars on this machine") from missing
    if master.startswith("sc://"):
        return
    home = os.environ.get("JAVA_HOME")  # what Spark's launcher uses first, then java on PATH
    java = str(Path(home) / "bin" / "java") if home and (Path(home) / "bin" / "java").exists() else shutil.which("java")
    if java is None or subprocess.run([java, "-version"], check=False, capture_output=True).returncode != 0:
        raise SparkUnavailable(
            f"FOOTPRINT_SPARK_MASTER={master!r} asks for the Spark backend, but no Java runtime was found "
            "(JAVA_HOME, or java on PATH): install Java 17 (Debian: apt-get install openjdk-17-jre-headless); "
            f"{INSTALL}")


def spark_config(master: str, python: str = sys.executable) -> dict[str, str]:
    """The session's settings: the master (or a Spark Connect URL), workers on this venv's Python (so
    they import polars and pyarrow), UTC, Arrow on, and dynamic partition overwrite, so a job
    replaces the partitions it writes and leaves the others, and a failed job replaces none."""
    settings = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.sql.shuffle.partitions": "8",
        "spark.ui.enabled": "false",
    }
    if master.startswith("sc://"):
        return {"spark.remote": master, **settings}
    return {"spark.master": master, "spark.pyspark.python": python, "spark.pyspark.driver.python": python,
            "spark.driver.memory": "2g", **settings}


def spark_session(master: str):
    """A SparkSession for `master` (local[N], spark://host:port, yarn, k8s://..., or sc://host:port)."""
    check_spark_installed(master)
    from pyspark.sql import SparkSession

    if not master.startswith("sc://"):
        # local mode starts its Python workers from PYSPARK_PYTHON (the spark.pyspark.python setting
        # alone is not read there): this venv's, or they cannot import polars and pyarrow
        os.environ["PYSPARK_PYTHON"] = spark_config(master)["spark.pyspark.python"]

    builder = SparkSession.builder.appName("footprint-log-attribution")
    for key, value in spark_config(master).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
