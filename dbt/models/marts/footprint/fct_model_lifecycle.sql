-- The whole lifecycle of each model: its training (every run declared for it, with embodied) beside
-- its use per year at each usage level (the deployment's own request rate and every published usage
-- level declared on it), the year in which use overtakes training, and each one's share over a
-- service life of {{ var('service_life_years', 2) }} years (dbt var service_life_years).
-- Central values; carbon is location-based + embodied (the market-based total beside it).
with footprint as (select * from {{ ref('fct_workload_footprint') }}),

workloads as (select * from {{ ref('stg_workloads__workloads') }}),

training as (

    -- Every run declared for the model, once: another accounting of a run (same_run_as: a model card's
    -- own figure, a paper's convention) is not a second run. Fine-tunes train a derived model and are
    -- counted apart (fct_finetune_vs_pretrain).
    select
        footprint.model,
        count(*) filter (where workloads.finetunes is null) as training_runs,
        string_agg(footprint.workload_id, ', ' order by footprint.workload_id)
            filter (where workloads.finetunes is null) as training_workload_ids,
        sum(footprint.facility_energy_kwh_central) filter (where workloads.finetunes is null) as training_energy_kwh,
        sum(footprint.embodied_kgco2e_central) filter (where workloads.finetunes is null) as training_embodied_kgco2e,
        sum(footprint.total_location_kgco2e_central) filter (where workloads.finetunes is null) as training_kgco2e,
        sum(footprint.total_market_kgco2e_central) filter (where workloads.finetunes is null)
            as training_market_kgco2e,
        sum(footprint.water_onsite_l_central + coalesce(footprint.water_offsite_l_central, 0))
            filter (where workloads.finetunes is null) as training_water_l,
        count(*) filter (where workloads.finetunes is not null) as finetune_runs
    from footprint
    inner join workloads on footprint.workload_id = workloads.workload_id
    where footprint.kind = 'training' and footprint.model is not null and workloads.same_run_as is null
    group by footprint.model

),

levels as (

    select workload_id, 'declared' as usage_level, requests_per_day_central as requests_per_day,
           cast(null as varchar) as usage_source
    from workloads where kind = 'inference'
    union all
    select workload_id, level.id, level.requests_per_day, level.source
    from (select workload_id, unnest(usage_levels) as level from workloads where kind = 'inference')

),

use as (

    select
        deployment.model,
        deployment.workload_id as deployment_workload_id,
        levels.usage_level,
        levels.usage_source,
        levels.requests_per_day,
        deployment.energy_wh_per_request * levels.requests_per_day * 365 / 1000 as use_energy_kwh_per_year,
        deployment.total_location_gco2e_per_request * levels.requests_per_day * 365 / 1000
            as use_kgco2e_per_year,
        (deployment.market_gco2e_per_request + coalesce(deployment.embodied_gco2e_per_request, 0))
            * levels.requests_per_day * 365 / 1000 as use_market_kgco2e_per_year,
        deployment.water_ml_per_request * levels.requests_per_day * 365 / 1e6 as use_water_l_per_year,
        deployment.total_includes_embodied as use_includes_embodied
    from {{ ref('fct_inference_footprint') }} as deployment
    inner join levels on deployment.workload_id = levels.workload_id
    where deployment.model is not null and levels.requests_per_day > 0

)

select
    training.model,
    training.training_runs,
    training.training_workload_ids,
    training.finetune_runs,
    training.training_energy_kwh,
    training.training_embodied_kgco2e,
    training.training_kgco2e,
    training.training_market_kgco2e,
    training.training_water_l,
    use.deployment_workload_id,
    use.usage_level,
    use.usage_source,
    use.requests_per_day,
    case when use.usage_level = 'declared' then 'the deployment as declared'
         else 'the per-request footprint of ' || use.deployment_workload_id
              || ' x the requests of this level (the fleet scaled out at the same utilisation)'
    end as scaling_basis,
    use.use_energy_kwh_per_year,
    use.use_kgco2e_per_year,
    use.use_market_kgco2e_per_year,
    use.use_water_l_per_year,
    use.use_includes_embodied,
    training.training_energy_kwh / use.use_energy_kwh_per_year as years_to_overtake_energy,
    training.training_kgco2e / use.use_kgco2e_per_year as years_to_overtake_carbon,
    training.training_water_l / use.use_water_l_per_year as years_to_overtake_water,
    cast({{ var('service_life_years', 2) }} as double) as service_life_years,
    training.training_energy_kwh / (training.training_energy_kwh
        + use.use_energy_kwh_per_year * {{ var('service_life_years', 2) }}) as training_share_of_energy,
    training.training_kgco2e / (training.training_kgco2e
        + use.use_kgco2e_per_year * {{ var('service_life_years', 2) }}) as training_share_of_carbon,
    training.training_water_l / (training.training_water_l
        + use.use_water_l_per_year * {{ var('service_life_years', 2) }}) as training_share_of_water
from training
inner join use on training.model = use.model
where training.training_runs > 0
