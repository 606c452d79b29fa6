-- The "smaller or distilled model" remedy: each deployment priced from measured energy per token,
-- re-served (same requests, same tokens per request, same datacenter and grid) by every other model
-- measured on the same task and GPU model, in that model's most efficient measured setup. Every
-- operational term (IT and facility energy, carbon, water) is proportional to IT energy, so the
-- alternative is the deployment scaled by the ratio of energies per token. A distillation that
-- trains the alternative from the deployed model is counted against the saving: break-even requests.
with workloads as (select * from {{ ref('stg_workloads__workloads') }}),

footprints as (select * from {{ ref('fct_workload_footprint') }}),

measured as (select * from {{ ref('stg_inference__energy_per_token') }}),

deployments as (

    select
        workloads.workload_id,
        workloads.model,
        workloads.energy_task,
        workloads.energy_gpu_model,
        workloads.energy_model_id,
        workloads.energy_num_gpus,
        workloads.tokens_per_request_central as tokens_per_request,
        workloads.requests_per_day_central as requests_per_day,
        coalesce(workloads.days_central, 365) as serving_days,
        footprints.facility_energy_kwh_central as facility_energy_kwh,
        footprints.location_kgco2e_central as location_kgco2e,
        footprints.market_kgco2e_central as market_kgco2e,
        footprints.water_onsite_l_central + coalesce(footprints.water_offsite_l_central, 0) as water_l
    from workloads
    inner join footprints on workloads.workload_id = footprints.workload_id
    where workloads.kind = 'inference' and workloads.energy_model_id is not null
        and workloads.requests_per_day_central > 0

),

-- Each model's most efficient measured setup per task and GPU model (fewest GPUs on a tie).
best_setups as (

    select *
    from measured
    qualify row_number() over (
        partition by task, gpu_model, model_id order by energy_per_token_j_central, num_gpus
    ) = 1

),

deployed_setups as (

    select
        deployments.*,
        measured.energy_per_token_j_central as deployed_j,
        measured.avg_output_tokens as deployed_tokens,
        measured.total_params_billions as deployed_params
    from deployments
    inner join measured
        on measured.task = deployments.energy_task and measured.gpu_model = deployments.energy_gpu_model
        and measured.model_id = deployments.energy_model_id and measured.num_gpus = deployments.energy_num_gpus

),

-- the deployment as declared (its own measured setup), then every other model on the same task and GPU
option_setups as (

    select deployed_setups.workload_id, true as is_as_deployed, measured.*
    from deployed_setups
    inner join measured
        on measured.task = deployed_setups.energy_task and measured.gpu_model = deployed_setups.energy_gpu_model
        and measured.model_id = deployed_setups.energy_model_id
        and measured.num_gpus = deployed_setups.energy_num_gpus
    union all
    select deployed_setups.workload_id, false as is_as_deployed, best_setups.*
    from deployed_setups
    inner join best_setups
        on best_setups.task = deployed_setups.energy_task and best_setups.gpu_model = deployed_setups.energy_gpu_model
        and best_setups.model_id <> deployed_setups.energy_model_id

),

distillations as (

    select
        workloads.workload_id as distillation_workload_id,
        workloads.distills_teacher_model_id,
        workloads.distills_student_model_id,
        footprints.location_kgco2e_central + coalesce(footprints.embodied_kgco2e_central, 0) as distillation_kgco2e
    from workloads
    inner join footprints on workloads.workload_id = footprints.workload_id
    where workloads.distills_teacher_model_id is not null

),

priced as (

    select
        deployed_setups.*,
        option_setups.is_as_deployed,
        option_setups.model_id as option_model_id,
        option_setups.nickname as option_model,
        option_setups.num_gpus as option_num_gpus,
        option_setups.total_params_billions as option_total_params_billions,
        option_setups.activated_params_billions as option_activated_params_billions,
        option_setups.energy_per_token_j_central as option_j_per_token,
        option_setups.avg_output_tokens as option_tokens,
        option_setups.energy_per_token_j_central / deployed_setups.deployed_j as energy_ratio,
        deployed_setups.requests_per_day * deployed_setups.serving_days as requests_served
    from deployed_setups
    inner join option_setups on deployed_setups.workload_id = option_setups.workload_id

)

select
    priced.workload_id,
    priced.model,
    priced.energy_task,
    priced.energy_gpu_model as gpu_model,
    priced.energy_model_id as deployed_model_id,
    priced.energy_num_gpus as deployed_num_gpus,
    priced.deployed_j as deployed_j_per_token,
    priced.option_model_id,
    priced.option_model,
    priced.option_num_gpus,
    priced.option_total_params_billions,
    priced.option_activated_params_billions,
    case
        when priced.option_total_params_billions < priced.deployed_params then 'smaller'
        when priced.option_total_params_billions > priced.deployed_params then 'larger'
        else 'same size'
    end as size_relation,
    priced.is_as_deployed,
    priced.option_j_per_token,
    cast(priced.requests_per_day as double) as requests_per_day,
    priced.tokens_per_request,
    priced.energy_ratio,
    -- per request (Wh, g, mL) and per 365 days of service (kWh, kg, L), facility basis
    priced.facility_energy_kwh * priced.energy_ratio * 1000 / priced.requests_served as energy_wh_per_request,
    priced.location_kgco2e * priced.energy_ratio * 1000 / priced.requests_served as location_gco2e_per_request,
    priced.water_l * priced.energy_ratio * 1000 / priced.requests_served as water_ml_per_request,
    priced.facility_energy_kwh * priced.energy_ratio / priced.serving_days * 365 as energy_kwh_per_year,
    priced.location_kgco2e * priced.energy_ratio / priced.serving_days * 365 as location_kgco2e_per_year,
    priced.market_kgco2e * priced.energy_ratio / priced.serving_days * 365 as market_kgco2e_per_year,
    priced.water_l * priced.energy_ratio / priced.serving_days * 365 as water_l_per_year,
    priced.location_kgco2e / priced.serving_days * 365 as deployed_location_kgco2e_per_year,
    priced.location_kgco2e * (1 - priced.energy_ratio) / priced.serving_days * 365 as saving_kgco2e_per_year,
    1 - priced.energy_ratio as saving_share,
    -- answers differ in length between models; this is the alternative at its own measured mean length
    priced.option_tokens / priced.deployed_tokens as answer_length_ratio,
    priced.location_kgco2e * priced.energy_ratio * priced.option_tokens / priced.deployed_tokens
        / priced.serving_days * 365 as location_kgco2e_per_year_at_measured_length,
    distillations.distillation_workload_id,
    distillations.distillation_kgco2e,
    -- requests until the distillation's footprint (operational + embodied) is paid back by the saving
    case when priced.energy_ratio < 1 then
        distillations.distillation_kgco2e * priced.requests_served
        / (priced.location_kgco2e * (1 - priced.energy_ratio))
    end as break_even_requests,
    case when priced.energy_ratio < 1 then
        distillations.distillation_kgco2e * priced.serving_days
        / (priced.location_kgco2e * (1 - priced.energy_ratio))
    end as break_even_days
from priced
left join distillations
    on distillations.distills_teacher_model_id = priced.energy_model_id
    and distillations.distills_student_model_id = priced.option_model_id
    and not priced.is_as_deployed
