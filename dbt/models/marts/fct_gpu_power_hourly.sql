-- Measured GPU power (nvidia-smi) per cluster, host, zone and UTC hour, priced at the hour's intensity.
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
    location_kgco2e
from {{ ref('int_gpu_power_hourly') }}
