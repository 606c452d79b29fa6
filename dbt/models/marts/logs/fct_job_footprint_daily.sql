-- Jobs from the logs per UTC day, account and zone; a job that crosses midnight counts in each day
-- for the hours it ran in it.
select
    days.day,
    days.account,
    days.zone_id,
    days.cluster,
    count(distinct days.job_key) as jobs,
    {{ exact_sum('days.hours') }} as job_hours,
    {{ exact_sum('days.it_energy_kwh') }} as it_energy_kwh,
    {{ exact_sum('days.facility_energy_kwh') }} as facility_energy_kwh,
    {{ exact_sum('days.location_kgco2e') }} as location_kgco2e,
    {{ exact_sum('days.water_onsite_l') }} as water_onsite_l,
    {{ exact_sum('days.water_offsite_l') }} as water_offsite_l,
    {{ exact_sum("case when days.intensity_basis = 'hourly' then days.location_kgco2e else 0 end") }}
        as hourly_priced_kgco2e
from {{ ref('int_job_days_attributed') }} as days
group by days.day, days.account, days.zone_id, days.cluster
