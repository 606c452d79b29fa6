-- For each model with a training run and a deployment: after how many days and requests the
-- deployment's cumulative footprint equals the training's, and each one's share over a service
-- life of {{ var('service_life_days', 730) }} days (dbt var service_life_days).
with training as (

    select model, workload_id, convention, facility_energy_kwh_central as energy_kwh, location_kgco2e_central as kgco2e,
           water_onsite_l_central + coalesce(water_offsite_l_central, 0) as water_l
    from {{ ref('fct_workload_footprint') }}
    where kind = 'training' and model is not null
        -- a fine-tune trains a derived model: it is not the model's training (fct_finetune_vs_pretrain)
        and workload_id not in (select workload_id from {{ ref('stg_workloads__workloads') }} where finetunes is not null)

),

deployments as (

    select * from {{ ref('fct_inference_footprint') }} where model is not null

)

select
    training.model,
    training.workload_id as training_workload_id,
    training.convention as training_convention,
    deployments.workload_id as inference_workload_id,
    deployments.requests_per_day,
    training.energy_kwh as training_energy_kwh,
    training.kgco2e as training_kgco2e,
    training.water_l as training_water_l,
    training.energy_kwh / deployments.energy_kwh_per_day as breakeven_days_energy,
    training.kgco2e / deployments.location_kgco2e_per_day as breakeven_days_carbon,
    training.water_l / deployments.water_l_per_day as breakeven_days_water,
    training.kgco2e / deployments.location_kgco2e_per_day * deployments.requests_per_day
        as breakeven_requests_carbon,
    cast({{ var('service_life_days', 730) }} as integer) as service_life_days,
    training.energy_kwh / (training.energy_kwh + deployments.energy_kwh_per_day * {{ var('service_life_days', 730) }})
        as training_share_of_energy,
    training.kgco2e / (training.kgco2e + deployments.location_kgco2e_per_day * {{ var('service_life_days', 730) }})
        as training_share_of_carbon,
    training.water_l / (training.water_l + deployments.water_l_per_day * {{ var('service_life_days', 730) }})
        as training_share_of_water
from training
inner join deployments on training.model = deployments.model
