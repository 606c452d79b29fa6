-- Each declared inference workload (fct_inference_footprint) beside the measured fleet that serves the
-- same model (fct_inference_fleet_daily, pods serving one model, where requests are counted): energy and
-- carbon per request as declared and as measured. Models match on their name without the organisation
-- and an -instruct/-chat/-hf suffix, lowercased (meta-llama/Llama-3.1-8B-Instruct is llama-3.1-8b).
-- Carbon per request also differs by grid: the energy ratio is the like-for-like comparison.
with served as (

    select *
    from {{ ref('fct_inference_fleet_daily') }}
    where requests > 0 and served_models not like '%,%'  -- a pod serving several models cannot be split

),

measured as (

    select
        lower(regexp_replace(regexp_replace(served_models, '^.*/', ''), '-(instruct|chat|hf)$', '', 'i')) as model_key,
        served_models as served_model,
        string_agg(distinct source, ', ' order by source) as measured_sources,
        cast(count(distinct source || '/' || pod) as integer) as measured_pods,
        min(day) as first_day,
        max(day) as last_day,
        sum(requests) as measured_requests,
        sum(facility_energy_kwh) * 1000 / sum(requests) as measured_wh_per_request,
        sum(location_kgco2e) * 1000 / sum(requests) as measured_gco2e_per_request
    from served
    group by 1, 2

)

select
    declared.workload_id,
    declared.model,
    measured.served_model,
    declared.accelerator as declared_accelerator,
    declared.accelerator_count as declared_accelerator_count,
    declared.energy_wh_per_request as declared_wh_per_request,
    declared.location_gco2e_per_request as declared_gco2e_per_request,
    measured.measured_sources,
    measured.measured_pods,
    measured.first_day,
    measured.last_day,
    measured.measured_requests,
    measured.measured_wh_per_request,
    measured.measured_gco2e_per_request,
    measured.measured_wh_per_request / nullif(declared.energy_wh_per_request, 0) as measured_to_declared_energy
from {{ ref('fct_inference_footprint') }} as declared
inner join measured on lower(declared.model) = measured.model_key
