import polars as pl

from ingestion.core.footprint import References, footprints


def model(dbt, session):
    dbt.config(materialized="table")
    refs = References(
        accelerators=dbt.ref("int_accelerators_enriched").pl(),
        zones=dbt.ref("dim_grid_zones").pl().select("zone_id", "country_zone_id"),
        annual=dbt.ref("fct_grid_intensity_annual").pl().filter(pl.col("basis") == "lifecycle")
        .select("zone_id", "year", "gco2e_per_kwh"),
        hourly=dbt.ref("int_grid_intensity_hourly_for_pricing").pl()
              .select("zone_id", "hour_start", "gco2e_per_kwh"),
        ewif=dbt.ref("fct_zone_water_intensity").pl().filter(pl.col("granularity") == "annual")
        .select("zone_id", "year", "ewif_low_l_per_kwh", "ewif_l_per_kwh", "ewif_high_l_per_kwh"),
        efficiency=dbt.ref("dim_datacenter_efficiency").pl(),
    )
    return footprints(dbt.ref("stg_workloads__workloads").pl(), refs)
