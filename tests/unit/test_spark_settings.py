"""FOOTPRINT_SPARK_MASTER selects the backend; without pyspark the error names the variable and the
install command (the extra is installed for the tests, so its absence is simulated)."""

import sys

import pytest

from dagster_project import settings
from ingestion.spark.session import SparkUnavailable, check_spark_installed, spark_config


def test_the_backend_is_off_unless_the_variable_is_set(monkeypatch):
    monkeypatch.delenv("FOOTPRINT_SPARK_MASTER", raising=False)
    assert settings.spark_master() is None
    monkeypatch.setenv("FOOTPRINT_SPARK_MASTER", "")
    assert settings.spark_master() is None
    monkeypatch.setenv("FOOTPRINT_SPARK_MASTER", "spark://head:7077")
    assert settings.spark_master() == "spark://head:7077"
    assert settings.spark_output_dir() == settings.facts_dir() / "spark"


def test_without_pyspark_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(SparkUnavailable, match=r"FOOTPRINT_SPARK_MASTER='local\[\*\]'.*pip install '\.\[spark\]'"):
        check_spark_installed("local[*]")


def test_workers_run_this_python_and_spark_connect_takes_a_remote():
    local = spark_config("local[2]", python="/venv/bin/python")
    assert local["spark.master"] == "local[2]" and local["spark.pyspark.python"] == "/venv/bin/python"
    assert local["spark.sql.sources.partitionOverwriteMode"] == "dynamic"
    remote = spark_config("sc://spark.example.org:15002")
    assert remote["spark.remote"] == "sc://spark.example.org:15002" and "spark.master" not in remote
