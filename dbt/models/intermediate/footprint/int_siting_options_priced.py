import polars as pl

from ingestion.core.footprint import References
from ingestion.core.siting import siting_options


def model(dbt, session):
    dbt.config(materialized="table")
    refs = References.from_frames(
        accelerators=dbt.ref("int_accelerators_enriched").pl(), zones=dbt.ref("dim_grid_zones").pl(),
        annual=dbt.ref("fct_grid_intensity_annual").pl(), hourly=dbt.ref("int_grid_intensity_hourly_for_pricing").pl(),
        ewif=dbt.ref("fct_zone_water_intensity").pl(), efficiency=dbt.ref("dim_datacenter_efficiency").pl())
    regions = dbt.ref("dim_cloud_regions").pl().filter(pl.col("is_default_mapping"))
    return siting_options(dbt.ref("stg_workloads__workloads").pl(), regions, refs)
