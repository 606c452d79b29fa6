import polars as pl

from ingestion.core.water import ewif_from_mix


def model(dbt, session):
    dbt.config(materialized="table")
    # One default consumption factor per fuel (Macknick fleet blend; low/high = spread of technologies).
    factors = dbt.ref("stg_water__factors").pl().filter(
        pl.col("is_fuel_default") & (pl.col("metric") == "consumption"))
    annual = ewif_from_mix(dbt.ref("stg_grid__annual_generation_mixes").pl(), factors, ["zone_id", "year"])
    hourly = ewif_from_mix(dbt.ref("int_generation_mixes_hourly").pl(), factors, ["zone_id", "hour_start", "feed"])
    return pl.concat([
        annual.with_columns(granularity=pl.lit("annual"), hour_start=pl.lit(None, pl.Datetime("us")),
                            feed=pl.lit(None, pl.String), year=pl.col("year").cast(pl.Int32)),
        hourly.with_columns(granularity=pl.lit("hourly"), year=pl.col("hour_start").dt.year().cast(pl.Int32),
                            hour_start=pl.col("hour_start").cast(pl.Datetime("us"))),
    ], how="diagonal")
