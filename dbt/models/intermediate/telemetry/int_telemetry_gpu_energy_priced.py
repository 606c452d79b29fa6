import datetime as dt

import polars as pl

from ingestion.core.attribution import annual_by_zone, build_index, price_hours
from ingestion.core.footprint import annual_ewif
from ingestion.core.incremental import hours_needed, intensities_over
from ingestion.core.log_pricing import with_water


def model(dbt, session):
    """GPU energy from Prometheus per source, host, GPU, namespace, pod and UTC hour, priced as the
    nvidia-smi hours are: at the hour's intensity of the source's zone (else its annual value,
    flagged), facility energy with the source's PUE (else the warehouse default), on-site water with its
    WUE (else the default) and off-site water with the zone's EWIF."""
    dbt.config(materialized="table")
    efficiency = dbt.ref("int_datacenter_efficiencies").pl().filter(pl.col("provider") == "default").sort("year")
    default_pue = efficiency.filter(pl.col("pue_central").is_not_null()).tail(1)
    default_wue = efficiency.filter(pl.col("wue_central_l_per_kwh").is_not_null()).tail(1)
    sources = dbt.ref("stg_telemetry__sources").pl()
    energy = dbt.ref("stg_telemetry__gpu_energy_hourly").pl().join(
        sources.select("source", "zone_id", "pue", "wue_l_per_kwh"), on="source", how="left")
    energy = energy.with_columns(
        pue_source=pl.when(pl.col("pue").is_not_null()).then(pl.lit("source.yaml"))
        .otherwise(pl.lit("default: " + default_pue["pue_source"][0])),
        pue=pl.col("pue").fill_null(float(default_pue["pue_central"][0])),
        wue_l_per_kwh=pl.col("wue_l_per_kwh").fill_null(float(default_wue["wue_central_l_per_kwh"][0])))
    intensities = dbt.ref("int_grid_intensity_hourly_for_pricing")
    hours = energy.select("zone_id", pl.col("hour_start").alias("start"), pl.col("hour_start").alias("end"))
    hourly = intensities_over(session, intensities, hours_needed(hours))
    zones = dbt.ref("int_grid_zones").pl()
    annual = annual_by_zone(dbt.ref("stg_grid__annual_intensities").pl().filter(pl.col("basis") == "lifecycle"), zones)
    priced = price_hours(energy.rename({"gpu_energy_kwh": "energy_kwh"}), build_index(hourly), annual)
    priced = priced.with_columns(it_energy_kwh=pl.col("energy_kwh"), facility_energy_kwh=pl.col("energy_kwh") * pl.col("pue"),
                                 location_kgco2e=pl.col("kgco2e") * pl.col("pue"), day=pl.col("hour_start").dt.date())
    watered = with_water(priced, annual_ewif(dbt.ref("int_zone_water_intensities").pl()), zones)
    return (watered.rename({"energy_kwh": "gpu_energy_kwh"}).drop("kgco2e", "it_energy_kwh", "day")
            .with_columns(loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us")))
            .sort("source", "host", "gpu_uuid", "namespace", "pod", "hour_start"))
