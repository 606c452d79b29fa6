import pytest


@pytest.fixture(scope="session")
def spark():
    """One local[2] SparkSession for the whole test run (starting one costs seconds)."""
    pytest.importorskip("pyspark", reason="the Spark extra is not installed: pip install '.[spark]'")
    from ingestion.spark.session import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()
