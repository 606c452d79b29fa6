import polars as pl

from ingestion.core.attribution import annual_by_zone, build_index, price_hours


def model(dbt, session):
    """nvidia-smi energy per cluster, host, zone and UTC hour (summed per partition at ingestion), priced
    at that hour's intensity (else annual, flagged); facility energy applies the cluster's PUE (else the
    default)."""
    dbt.config(materialized="table")
    hourly = (dbt.ref("int_grid_intensity_hourly_for_pricing").pl()
              .select("zone_id", "hour_start", "gco2e_per_kwh"))
    annual = annual_by_zone(
        dbt.ref("fct_grid_intensity_annual").pl().filter(pl.col("basis") == "lifecycle"),
        dbt.ref("dim_grid_zones").pl())
    energy = dbt.ref("stg_logs__gpu_power_hourly").pl()
    priced = price_hours(energy, build_index(hourly), annual)
    pue = (dbt.ref("stg_logs__clusters").pl().select("cluster", "pue")
           .with_columns(pue_source=pl.when(pl.col("pue").is_not_null()).then(pl.lit("cluster.yaml"))))
    default = (dbt.ref("dim_datacenter_efficiency").pl().filter(pl.col("provider") == "default")
               .sort("year").tail(1))
    return (priced.join(pue, on="cluster", how="left")
            .with_columns(pl.col("pue").fill_null(default["pue_central"][0]),
                          pl.col("pue_source").fill_null("default: " + default["pue_source"][0]))
            .with_columns(gpu_energy_kwh=pl.col("energy_kwh"),
                          facility_energy_kwh=pl.col("energy_kwh") * pl.col("pue"),
                          location_kgco2e=pl.col("kgco2e") * pl.col("pue"))
            .drop("energy_kwh", "kgco2e")
            .sort("cluster", "host", "zone_id", "hour_start"))
