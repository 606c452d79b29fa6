-- Inference fleets on Kubernetes, measured: GPU energy from Prometheus (NVIDIA DCGM exporter or
-- Kepler) per source, host, GPU, namespace, pod, container and UTC hour, with its location-based
-- carbon at the hour's intensity of the source's zone and its water. `method` says whether the energy
-- came from the GPU's energy counter or its power over the query step; `attribution` how a GPU shared by
-- MIG instances or time-sliced pods was split.
select
    source,
    zone_id,
    host,
    gpu_uuid,
    gpu_model,
    namespace,
    pod,
    container,
    hour_start,
    hour_start + interval '1 hour' as hour_end,
    samples,
    method,
    attribution,
    gpu_energy_kwh,
    pue,
    pue_source,
    facility_energy_kwh,
    intensity_g_per_kwh,
    intensity_basis,
    location_kgco2e,
    wue_l_per_kwh,
    water_onsite_l,
    ewif_l_per_kwh,
    water_offsite_l,
    loaded_at
from {{ ref('int_telemetry_gpu_energy_priced') }}
