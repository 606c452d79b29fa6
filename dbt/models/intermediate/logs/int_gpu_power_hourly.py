import datetime as dt

import polars as pl

from ingestion.core.attribution import annual_by_zone, build_index, price_hours
from ingestion.core.incremental import hours_needed, intensities_over, loaded_since_last_build
from ingestion.spark.outputs import read_output

KEY = ["cluster", "host", "zone_id", "hour_start"]
ENERGY_SCHEMA = {"cluster": pl.String, "host": pl.String, "zone_id": pl.String, "hour_start": pl.Datetime("us"),
                 "energy_kwh": pl.Float64, "samples": pl.Int64}


def model(dbt, session):
    """nvidia-smi energy per cluster, host, zone and UTC hour (summed per partition at ingestion), priced
    at that hour's intensity (else annual, flagged); facility energy applies the cluster's PUE (else the
    default).

    Incremental (refreshes): only the hours whose energy or PUE changed, or whose intensity was
    loaded since the last build, are priced again; hours gone from the logs leave (post_hook). With
    the Spark backend (FOOTPRINT_SPARK_MASTER), the energy is the hourly sums it computed from the
    power-sample partitions."""
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key=["cluster", "host", "zone_id", "hour_start"])
    intensities = dbt.ref("int_grid_intensity_hourly_for_pricing")
    default = (dbt.ref("int_datacenter_efficiencies").pl().filter(pl.col("provider") == "default")
               .sort("year").tail(1))
    energy, clusters = dbt.ref("stg_logs__gpu_power_hourly"), dbt.ref("stg_logs__clusters")
    if dbt.config.get("attribution_backend") == "spark":
        energy = read_output(session, "gpu_power_hourly", pl.Schema(ENERGY_SCHEMA))  # read by name below
    current = session.sql(
        "select e.cluster, e.host, e.zone_id, e.hour_start, e.energy_kwh, e.samples, c.pue as cluster_pue, "
        "coalesce(c.pue, $default_pue) as pue from energy as e left join clusters as c on c.cluster = e.cluster",
        params={"default_pue": float(default["pue_central"][0])})
    if dbt.is_incremental:
        loaded = loaded_since_last_build(dbt, session, intensities)
        current = session.sql(
            f"select * from current where not exists (select 1 from {dbt.this} as kept where "
            + " and ".join(f"kept.{k} = current.{k}" for k in KEY)
            + " and kept.gpu_energy_kwh = current.energy_kwh and kept.samples = current.samples "
            "and kept.pue = current.pue) "
            "or (zone_id, hour_start) in (select zone_id, hour_start from loaded)")
    rows = current.pl()
    hours = rows.select("zone_id", pl.col("hour_start").alias("start"), pl.col("hour_start").alias("end"))
    hourly = intensities_over(session, intensities, hours_needed(hours))
    annual = annual_by_zone(
        dbt.ref("stg_grid__annual_intensities").pl().filter(pl.col("basis") == "lifecycle"),
        dbt.ref("int_grid_zones").pl())
    priced = price_hours(rows.drop("pue", "cluster_pue"), build_index(hourly), annual)
    pue = rows.select(*KEY, "pue", pue_source=pl.when(pl.col("cluster_pue").is_not_null())
                      .then(pl.lit("cluster.yaml")).otherwise(pl.lit("default: " + default["pue_source"][0])))
    return (priced.join(pue, on=KEY, how="left", maintain_order="left")
            .with_columns(gpu_energy_kwh=pl.col("energy_kwh"),
                          facility_energy_kwh=pl.col("energy_kwh") * pl.col("pue"),
                          location_kgco2e=pl.col("kgco2e") * pl.col("pue"),
                          loaded_at=pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None), pl.Datetime("us")))
            .drop("energy_kwh", "kgco2e")
            .sort("cluster", "host", "zone_id", "hour_start"))
