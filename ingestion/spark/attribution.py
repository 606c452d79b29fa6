"""The log attribution on Spark: the same polars functions, inside Spark tasks, on Arrow batches.

Three jobs, each writing a Parquet dataset beside the warehouse that the dbt models read in place of
computing it (`FOOTPRINT_SPARK_MASTER` set; README "Scaling out"):

- power hours: the power-sample partitions (cluster x UTC day, from the power store) grouped by
  partition, each summed per host, zone and hour by core/attribution.hourly_energy;
- job days: the jobs grouped by zone and UTC day of their start, cogrouped with the zone's hourly
  intensities over the group's windows, priced by core/log_pricing.price_job_days;
- replays: the same groups, with windows that reach the longest delay, by log_pricing.replay_jobs.

A task holds one group: memory is bounded by a zone-day of jobs and the hours of their windows, or
by one partition of samples, never by the history. Prices depend only on the hours of a job's window, to the last bit,
so the groups give the rows the whole history gives (tested against the local path). Outputs are
written with dynamic partition overwrite: a job replaces the partitions it wrote, and a failed job
commits none, so a rerun completes them. Spark never writes the DuckDB file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pyarrow as pa

from ingestion.core.attribution import annual_by_zone, hourly_energy
from ingestion.core.log_pricing import HOURLY_SCHEMA, price_job_days, replay_jobs


def _spark_type(dtype: pl.DataType):
    from pyspark.sql import types as T

    if dtype == pl.String or dtype == pl.Categorical:
        return T.StringType()
    if dtype.is_integer():
        return T.LongType()
    if dtype.is_float():
        return T.DoubleType()
    if dtype == pl.Boolean:
        return T.BooleanType()
    if dtype == pl.Date:
        return T.DateType()
    if isinstance(dtype, pl.Datetime):
        return T.TimestampNTZType()
    if dtype == pl.Null:
        return T.StringType()
    raise TypeError(f"no Spark type for polars {dtype}")


def spark_schema(schema: pl.Schema):
    """The Spark schema of a polars schema (integers as 64-bit: Spark has no unsigned types)."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, _spark_type(dtype), True) for name, dtype in schema.items()])


def _arrow(frame: pl.DataFrame, schema) -> pa.Table:
    """`frame` as exactly the Arrow types Spark declared for `schema` (polars gives large_string and
    unsigned integers where Spark expects string and int64)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    target = to_arrow_schema(schema)
    return frame.select(target.names).to_arrow().cast(target)


def _from_spark(table: pa.Table, schema: dict) -> pl.DataFrame:
    """An Arrow batch from Spark as the polars types the core expects."""
    return pl.from_arrow(table).cast({k: v for k, v in schema.items() if k in table.column_names}, strict=False)


def output_schema(compute: Callable[..., pl.DataFrame], *empty_inputs: pl.DataFrame) -> pl.Schema:
    """What `compute` returns, found by running it on empty inputs of the right types."""
    return compute(*empty_inputs).schema


def export_inputs(conn, folder: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The jobs (int_jobs_unified, start/end) and hourly intensities of the warehouse `conn` (a DuckDB
    connection) written to folder/jobs.parquet and folder/hourly.parquet for the Spark jobs, and the
    annual intensities per zone (small: shipped with the tasks). Returns the three frames."""
    jobs = conn.sql('select * rename (start_utc as start, end_utc as "end") from intermediate.int_jobs_unified').pl()
    hourly = conn.sql("select zone_id, hour_start, gco2e_per_kwh from "
                      "intermediate.int_grid_intensity_hourly_for_pricing order by zone_id, hour_start").pl()
    annual = annual_by_zone(
        conn.sql("select * from staging.stg_grid__annual_intensities where basis = 'lifecycle'").pl(),
        conn.sql("select * from intermediate.int_grid_zones").pl())
    folder.mkdir(parents=True, exist_ok=True)
    jobs.write_parquet(folder / "jobs.parquet")
    hourly.write_parquet(folder / "hourly.parquet")
    return jobs, hourly, annual


# --------------------------------------------------------------------------------------------------
# power hours

SAMPLE_COLUMNS = ["cluster", "host", "zone_id", "timestamp", "power_w", "interval_s"]
POWER_HOURLY_SCHEMA = {"cluster": pl.String, "host": pl.String, "zone_id": pl.String,
                       "hour_start": pl.Datetime("us"), "energy_kwh": pl.Float64, "samples": pl.Int64}


def power_hours(spark, samples_dir: Path, out_dir: Path) -> int:
    """Energy per cluster, host, zone and UTC hour from the power-sample partitions
    (samples_dir/cluster=<c>/day=<d>/data.parquet), one Spark task per partition; written to
    out_dir partitioned by cluster and day. Returns the rows written."""
    from pyspark.sql import functions as F

    schema = spark_schema(pl.Schema({**POWER_HOURLY_SCHEMA, "day": pl.String}))
    sample_types = {"timestamp": pl.Datetime("us"), "power_w": pl.Float64, "interval_s": pl.Float64}

    def task(table: pa.Table) -> pa.Table:
        frame = _from_spark(table, sample_types)
        hourly = hourly_energy(frame.select(SAMPLE_COLUMNS), by=("cluster", "host", "zone_id"))
        return _arrow(hourly.with_columns(day=pl.lit(frame["day"][0] if frame.height else None, pl.String)), schema)

    # the files hold their cluster; their day is the UTC day of their samples (the power store's
    # partitioning), so no partition discovery from the folder names, which would add `cluster` twice
    samples = (spark.read.option("recursiveFileLookup", "true").option("pathGlobFilter", "*.parquet")
               .parquet(str(samples_dir))
               .select(*SAMPLE_COLUMNS, F.date_format("timestamp", "yyyy-MM-dd").alias("day")))
    hourly = samples.groupBy("cluster", "day").applyInArrow(task, schema)
    hourly.write.mode("overwrite").partitionBy("cluster", "day").parquet(str(out_dir))
    return spark.read.parquet(str(out_dir)).count()


# --------------------------------------------------------------------------------------------------
# job days and replays

def _groups(jobs, hourly, extra_hours: int):
    """Jobs keyed by zone and UTC day of start (`_group`), and each group's hourly intensities over the
    windows of its jobs (from the first job's hour to the last end plus `extra_hours`)."""
    from pyspark.sql import functions as F

    keyed = jobs.withColumn("_group", F.concat_ws("|", "zone_id", F.date_format("start", "yyyy-MM-dd")))
    # the bounds' group key is a column of its own: cogrouping two datasets derived from `keyed` by the
    # same column would be an ambiguous self-join
    bounds = keyed.groupBy("_group", "zone_id").agg(
        F.date_trunc("hour", F.min("start")).alias("_first"),
        (F.max("end") + F.make_dt_interval(F.lit(0), F.lit(extra_hours + 1))).alias("_last"),
    ).select(F.col("_group").alias("_hours_group"), "zone_id", "_first", "_last")
    hours = (hourly.join(F.broadcast(bounds), on="zone_id")  # a row per zone-day: small
             .where((F.col("hour_start") >= F.col("_first")) & (F.col("hour_start") <= F.col("_last")))
             .select(F.col("_hours_group").alias("_group"), *HOURLY_SCHEMA))
    return keyed, hours


def _cogrouped(spark, jobs_path: Path, hourly_path: Path, compute, out_dir: Path, extra_hours: int) -> int:
    jobs = spark.read.parquet(str(jobs_path))
    hourly = spark.read.parquet(str(hourly_path))
    sample_jobs = pl.read_parquet(jobs_path, n_rows=0)
    out = output_schema(compute, sample_jobs, pl.DataFrame(schema=HOURLY_SCHEMA))
    schema = spark_schema(out)
    job_schema = dict(sample_jobs.schema)

    def task(job_table: pa.Table, hour_table: pa.Table) -> pa.Table:
        group_jobs = _from_spark(job_table, job_schema).drop("_group", strict=False)
        group_hours = _from_spark(hour_table, HOURLY_SCHEMA).select(*HOURLY_SCHEMA).sort("zone_id", "hour_start")
        return _arrow(compute(group_jobs, group_hours), schema)

    keyed, hours = _groups(jobs, hourly, extra_hours)
    result = keyed.groupBy("_group").cogroup(hours.groupBy("_group")).applyInArrow(task, schema)
    result.write.mode("overwrite").partitionBy("zone_id").parquet(str(out_dir))
    return spark.read.parquet(str(out_dir)).count()


def job_days(spark, jobs_path: Path, hourly_path: Path, annual: pl.DataFrame, out_dir: Path) -> int:
    """price_job_days on Spark: jobs (Parquet of int_jobs_unified, start/end) and hourly intensities
    (Parquet, HOURLY_SCHEMA) in, the priced day pieces out (out_dir, partitioned by zone)."""
    annual_rows = annual.to_dicts()  # small: shipped to every task with the function

    def compute(jobs: pl.DataFrame, hours: pl.DataFrame) -> pl.DataFrame:
        return price_job_days(jobs, hours, pl.DataFrame(annual_rows, schema=annual.schema))

    return _cogrouped(spark, jobs_path, hourly_path, compute, out_dir, 0)


def replays(spark, jobs_path: Path, hourly_path: Path, flexibilities: list[int], out_dir: Path) -> int:
    """replay_jobs on Spark, over windows that reach the longest delay (out_dir, partitioned by zone)."""
    wanted = sorted(set(flexibilities))

    def compute(jobs: pl.DataFrame, hours: pl.DataFrame) -> pl.DataFrame:
        return replay_jobs(jobs, hours, wanted).join(jobs.select("job_key", "zone_id"), on="job_key", how="left")

    return _cogrouped(spark, jobs_path, hourly_path, compute, out_dir, max(wanted))
