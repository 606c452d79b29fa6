import polars as pl

from ingestion.core.footprint import References
from ingestion.core.siting import siting_options


def model(dbt, session):
    dbt.config(materialized="table")
    refs = References.from_frames(
        accelerators=dbt.ref("int_accelerators_enriched").pl(), zones=dbt.ref("int_grid_zones").pl(),
        annual=dbt.ref("stg_grid__annual_intensities").pl(), hourly=dbt.ref("int_grid_intensity_hourly_for_pricing").pl(),
        ewif=dbt.ref("int_zone_water_intensities").pl(), efficiency=dbt.ref("int_datacenter_efficiencies").pl())
    regions = (dbt.ref("stg_grid__cloud_regions").pl().filter(pl.col("mapping_rank") == 1)
               .rename({"grid_zone_id": "zone_id"}))
    marginal = dbt.ref("int_grid_marginal_hourly").pl().select("zone_id", "hour_start", "gco2e_per_kwh")
    return siting_options(dbt.ref("stg_workloads__workloads").pl(), regions, refs, marginal)
