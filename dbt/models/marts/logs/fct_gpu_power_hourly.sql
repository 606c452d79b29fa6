{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key=['cluster', 'host', 'zone_id', 'hour_start'], on_schema_change='fail') }}
-- Measured GPU power (nvidia-smi) per cluster, host, zone and UTC hour, priced at the hour's intensity.
-- Incremental: a refresh copies the hours int_gpu_power_hourly priced since the last build; hours
-- gone from it leave (post_hook).
select
    cluster,
    host,
    zone_id,
    hour_start,
    cast(samples as bigint) as samples,
    gpu_energy_kwh,
    pue,
    pue_source,
    facility_energy_kwh,
    intensity_g_per_kwh,
    intensity_basis,
    location_kgco2e,
    loaded_at
from {{ ref('int_gpu_power_hourly') }}
{% if is_incremental() %}
where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
{% endif %}
