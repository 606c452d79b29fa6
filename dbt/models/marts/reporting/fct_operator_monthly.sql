-- An operator's monthly report: per cluster, account, user (where the logs carry it: Slurm's User)
-- and UTC month, the GPU-hours, energy, carbon and
-- water of the jobs in the logs, and the share of each spent on jobs that ended FAILED (or NODE_FAIL),
-- CANCELLED, TIMEOUT or OUT_OF_MEMORY: waste, as HPC centres count it. A job that crosses a month
-- counts in each month for the hours it ran in it (int_job_days_attributed splits jobs by UTC day).
-- CodeCarbon runs (logged once they end: COMPLETED) carry no GPU count: their energy is counted, their
-- GPU-hours are not (jobs_without_gpu_count says how many).
with days as (
    select
        cluster,
        account,
        user_name,
        date_trunc('month', day)::date as month,
        job_key,
        gpus * hours as gpu_hours,
        facility_energy_kwh,
        location_kgco2e,
        coalesce(water_onsite_l, 0) + coalesce(water_offsite_l, 0) as water_l,
        case
            when state is null then null
            when upper(state) like 'FAILED%' or upper(state) like 'NODE_FAIL%' then 'failed'
            when upper(state) like 'CANCELLED%' then 'cancelled'
            when upper(state) like 'TIMEOUT%' then 'timeout'
            when upper(state) like 'OUT_OF_ME%' then 'out_of_memory'
        end as waste_kind
    from {{ ref('int_job_days_attributed') }}
),

monthly as (
    select
        cluster,
        account,
        user_name,
        month,
        count(distinct job_key) as jobs,
        count(distinct job_key) filter (where waste_kind is not null) as wasted_jobs,
        {{ exact_sum('gpu_hours') }} as gpu_hours,
        {{ exact_sum('facility_energy_kwh') }} as facility_energy_kwh,
        {{ exact_sum('location_kgco2e') }} as location_kgco2e,
        {{ exact_sum('water_l') }} as water_l,
        {{ exact_sum("case when waste_kind is not null then gpu_hours else 0 end") }} as waste_gpu_hours,
        {{ exact_sum("case when waste_kind is not null then facility_energy_kwh else 0 end") }} as waste_energy_kwh,
        {{ exact_sum("case when waste_kind is not null then location_kgco2e else 0 end") }} as waste_kgco2e,
        {{ exact_sum("case when waste_kind is not null then water_l else 0 end") }} as waste_water_l,
        {% for kind in ['failed', 'cancelled', 'timeout', 'out_of_memory'] %}
        {{ exact_sum("case when waste_kind = '" ~ kind ~ "' then facility_energy_kwh else 0 end") }}
            as {{ kind }}_energy_kwh,
        {% endfor %}
        count(distinct job_key) filter (where gpu_hours is null) as jobs_without_gpu_count
    from days
    group by cluster, account, user_name, month
)

select
    cluster,
    account,
    user_name,
    month,
    jobs,
    wasted_jobs,
    jobs_without_gpu_count,
    gpu_hours,
    facility_energy_kwh,
    location_kgco2e,
    water_l,
    waste_gpu_hours,
    waste_energy_kwh,
    waste_kgco2e,
    waste_water_l,
    waste_energy_kwh / nullif(facility_energy_kwh, 0) as waste_share_of_energy,
    waste_gpu_hours / nullif(gpu_hours, 0) as waste_share_of_gpu_hours,
    {% for kind in ['failed', 'cancelled', 'timeout', 'out_of_memory'] %}
    {{ kind }}_energy_kwh / nullif(facility_energy_kwh, 0) as {{ kind }}_share_of_energy{{ "," if not loop.last }}
    {% endfor %}
from monthly
