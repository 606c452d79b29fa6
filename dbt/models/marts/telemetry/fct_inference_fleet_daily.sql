-- Per source, namespace, pod and UTC day: the GPU energy, carbon and water of what the pod served,
-- and, where the source counts requests (source.yaml requests_counter, e.g. vLLM's
-- vllm:request_success_total), the requests and the energy, carbon and water per request.
with energy as (

    select
        source, zone_id, namespace, pod, cast(hour_start as date) as day,
        count(distinct gpu_uuid) as gpus,
        sum(gpu_energy_kwh) as gpu_energy_kwh,
        sum(facility_energy_kwh) as facility_energy_kwh,
        sum(location_kgco2e) as location_kgco2e,
        sum(coalesce(water_onsite_l, 0) + coalesce(water_offsite_l, 0)) as water_l,
        bool_and(intensity_basis = 'hourly') as priced_hourly,
        string_agg(distinct method, ', ' order by method) as methods,
        string_agg(distinct attribution, '; ' order by attribution) as attributions
    from {{ ref('int_telemetry_gpu_energy_priced') }}
    group by all

),

served as (

    select source, namespace, pod, cast(hour_start as date) as day,
           string_agg(distinct model_name, ', ' order by model_name) as served_models, sum(requests) as requests
    from {{ ref('stg_telemetry__requests_hourly') }}
    group by all

)

select
    energy.source,
    energy.zone_id,
    energy.namespace,
    energy.pod,
    energy.day,
    cast(energy.gpus as integer) as gpus,
    energy.gpu_energy_kwh,
    energy.facility_energy_kwh,
    energy.location_kgco2e,
    energy.water_l,
    energy.priced_hourly,
    energy.methods,
    energy.attributions,
    served.served_models,
    served.requests,
    energy.facility_energy_kwh * 1000 / nullif(served.requests, 0) as wh_per_request,
    energy.location_kgco2e * 1000 / nullif(served.requests, 0) as gco2e_per_request,
    energy.water_l * 1000 / nullif(served.requests, 0) as ml_per_request
from energy
left join served
    on energy.source = served.source and energy.namespace = served.namespace and energy.pod = served.pod
    and energy.day = served.day
