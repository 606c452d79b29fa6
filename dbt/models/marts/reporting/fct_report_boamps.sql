-- The fields of a BoAmps energy report (Boavizta's open JSON format for AI energy reports, which
-- CodeCarbon writes) for each declared workload and each job from the logs: one row per report, from
-- which `footprint export --format boamps` writes one JSON file each, validated against the BoAmps
-- JSON Schema. Energy is the IT energy of the task (BoAmps' powerConsumption, in kWh: what a meter on
-- the hardware reads; the PUE is the warehouse's, outside the format); quality follows the basis:
-- measured high (within 10 %), per-request or utilisation estimates medium (25 %), TDP estimates low.
with workloads as (
    select
        'workload' as report_subject,
        footprint.workload_id as subject_id,
        case when footprint.kind = 'inference' then 'inference'
             when declared.finetunes is not null then 'finetuning'
             else 'training' end as task_stage,
        coalesce(declared.description, footprint.kind || ' of ' || footprint.model) as task_description,
        footprint.model,
        served.requests_per_day * served.serving_days as nb_request,
        footprint.accelerator,
        footprint.accelerator_count,
        footprint.power_basis as measurement_method,
        footprint.it_energy_kwh_central + coalesce(footprint.idle_energy_kwh_central, 0) as it_energy_kwh,
        {{ wall_clock_hours('declared.period_start', 'declared.period_end', 'footprint.accelerator_hours',
                            'footprint.accelerator_count') }} * 3600 as measurement_duration_s,
        declared.period_start as measurement_start_utc,
        footprint.provider as cloud_provider,
        footprint.region as cloud_region,
        footprint.country_zone_id as country,
        footprint.zone_id,
        footprint.intensity_g_per_kwh_central as intensity_g_per_kwh,
        declared.source as sources
    from {{ ref('fct_workload_footprint') }} as footprint
    inner join {{ ref('stg_workloads__workloads') }} as declared on footprint.workload_id = declared.workload_id
    left join {{ ref('fct_inference_footprint') }} as served on footprint.workload_id = served.workload_id
),

jobs as (
    select
        'job' as report_subject,
        jobs.job_key as subject_id,
        'other' as task_stage,  -- the logs say what ran, not whether it trained or served
        jobs.log_kind || ' job ' || jobs.job_id || ' of ' || coalesce(jobs.account, '?') || ' on ' || jobs.cluster
            || ' (' || coalesce(jobs.state, 'state not logged') || ')' as task_description,
        cast(null as varchar) as model,
        cast(null as double) as nb_request,
        jobs.accelerator,
        jobs.gpus as accelerator_count,
        jobs.power_basis as measurement_method,
        jobs.it_energy_kwh,
        jobs.hours * 3600 as measurement_duration_s,
        jobs.start_utc as measurement_start_utc,
        cast(null as varchar) as cloud_provider,
        cast(null as varchar) as cloud_region,
        zones.country_zone_id as country,
        jobs.zone_id,
        jobs.intensity_g_per_kwh,
        jobs.source_file as sources
    from {{ ref('fct_job_footprint') }} as jobs
    left join {{ ref('dim_grid_zones') }} as zones on jobs.zone_id = zones.zone_id
),

reports as (
    select * from workloads
    union all by name
    select * from jobs
)

select
    report_subject,
    subject_id,
    task_stage,
    task_description,
    model,
    nb_request,
    accelerator,
    accelerator_count,
    measurement_method,
    it_energy_kwh,
    measurement_duration_s,
    measurement_start_utc,
    case when cloud_provider is not null then 'publicCloud' when report_subject = 'job' then 'onPremise'
         else 'other' end as infra_type,
    cloud_provider,
    cloud_region,
    coalesce(country, zone_id) as country,
    zone_id,
    intensity_g_per_kwh,
    case when measurement_method like 'measured%' then 'high'
         when measurement_method like 'energy per request%' or measurement_method like 'utilisation%'
              or measurement_method like '%given%' then 'medium'
         else 'low' end as quality,
    sources
from reports
