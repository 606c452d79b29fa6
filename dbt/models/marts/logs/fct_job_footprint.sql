{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='job_key',
          on_schema_change='fail') }}
-- One row per job from the logs (Slurm allocations, CodeCarbon runs): energy, location-based carbon
-- from the hours and zone it ran in, water, and which intensity was used; the sums of the job's days
-- as int_job_days_attributed priced them (core/log_pricing.py).
-- Incremental: a refresh sums the jobs int_job_days_attributed priced since the last build (all of
-- a job's days are priced together); jobs gone from it leave (post_hook).
with days as (

    select * from {{ ref('int_job_days_attributed') }}
    {% if is_incremental() %}
    where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
    {% endif %}

),

jobs as (

    select
        job_key,
        any_value(log_kind) as log_kind,
        any_value(cluster) as cluster,
        any_value(job_id) as job_id,
        any_value(account) as account,
        any_value(partition) as partition,
        any_value(state) as state,
        any_value(zone_id) as zone_id,
        min(start_utc) as start_utc,
        max(end_utc) as end_utc,
        {{ exact_sum('hours') }} as hours,
        any_value(gpus) as gpus,
        any_value(accelerator) as accelerator,
        any_value(power_basis) as power_basis,
        {{ exact_sum('it_energy_kwh') }} as it_energy_kwh,
        any_value(pue) as pue,
        any_value(pue_source) as pue_source,
        {{ exact_sum('facility_energy_kwh') }} as facility_energy_kwh,
        {{ exact_sum('location_kgco2e') }} as location_kgco2e,
        any_value(codecarbon_kgco2e) as codecarbon_kgco2e,
        any_value(wue_l_per_kwh) as wue_l_per_kwh,
        -- one EWIF per job unless it ran across New Year into another year's value
        case when min(ewif_l_per_kwh) = max(ewif_l_per_kwh) then any_value(ewif_l_per_kwh) end as single_ewif,
        {{ exact_sum('water_onsite_l') }} as water_onsite_l,
        {{ exact_sum('water_offsite_l') }} as water_offsite_l,
        case when bool_and(intensity_basis = 'hourly') then 'hourly'
             when bool_or(intensity_basis = 'hourly') then 'hourly and annual (per day)'
             else 'annual (no hourly data for every hour)' end as intensity_basis,
        any_value(source_file) as source_file,
        any_value(source_row) as source_row,
        max(loaded_at) as loaded_at
    from days
    group by job_key

)

select
    jobs.job_key,
    jobs.log_kind,
    jobs.cluster,
    jobs.job_id,
    jobs.account,
    jobs.partition,
    jobs.state,
    jobs.zone_id,
    jobs.start_utc,
    jobs.end_utc,
    jobs.hours,
    cast(jobs.gpus as bigint) as gpus,
    jobs.accelerator,
    jobs.power_basis,
    jobs.it_energy_kwh,
    jobs.pue,
    jobs.pue_source,
    jobs.facility_energy_kwh,
    case when jobs.facility_energy_kwh > 0 then jobs.location_kgco2e * 1000 / jobs.facility_energy_kwh end
        as intensity_g_per_kwh,
    jobs.intensity_basis,
    jobs.location_kgco2e,
    jobs.codecarbon_kgco2e,
    jobs.wue_l_per_kwh,
    coalesce(jobs.single_ewif, case when jobs.facility_energy_kwh > 0
                                    then jobs.water_offsite_l / jobs.facility_energy_kwh end) as ewif_l_per_kwh,
    jobs.water_onsite_l,
    jobs.water_offsite_l,
    jobs.source_file,
    cast(jobs.source_row as bigint) as source_row,
    jobs.loaded_at
from jobs
