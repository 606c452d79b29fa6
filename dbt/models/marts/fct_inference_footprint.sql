with footprint as (

    select * from {{ ref('fct_workload_footprint') }} where kind = 'inference'

),

workloads as (

    select workload_id, coalesce(days_central, 365) as serving_days, requests_per_day_central as requests_per_day
    from {{ ref('stg_workloads__workloads') }}

)

select
    footprint.workload_id,
    footprint.model,
    footprint.accelerator,
    footprint.accelerator_count,
    footprint.zone_id,
    cast(workloads.serving_days as double) as serving_days,
    cast(workloads.requests_per_day as double) as requests_per_day,
    -- per request (Wh, g, mL), per day and per year (kWh, kg, L) of service
    footprint.facility_energy_kwh_central * 1000 / (workloads.requests_per_day * workloads.serving_days)
        as energy_wh_per_request,
    footprint.location_kgco2e_central * 1000 / (workloads.requests_per_day * workloads.serving_days)
        as location_gco2e_per_request,
    footprint.market_kgco2e_central * 1000 / (workloads.requests_per_day * workloads.serving_days)
        as market_gco2e_per_request,
    (footprint.water_onsite_l_central + coalesce(footprint.water_offsite_l_central, 0)) * 1000
        / (workloads.requests_per_day * workloads.serving_days) as water_ml_per_request,
    footprint.facility_energy_kwh_central / workloads.serving_days as energy_kwh_per_day,
    footprint.location_kgco2e_central / workloads.serving_days as location_kgco2e_per_day,
    (footprint.water_onsite_l_central + coalesce(footprint.water_offsite_l_central, 0)) / workloads.serving_days
        as water_l_per_day,
    footprint.facility_energy_kwh_central / workloads.serving_days * 365 as energy_kwh_per_year,
    footprint.location_kgco2e_central / workloads.serving_days * 365 as location_kgco2e_per_year,
    footprint.market_kgco2e_central / workloads.serving_days * 365 as market_kgco2e_per_year,
    (footprint.water_onsite_l_central + coalesce(footprint.water_offsite_l_central, 0)) / workloads.serving_days * 365
        as water_l_per_year,
    footprint.embodied_kgco2e_central / workloads.serving_days * 365 as embodied_kgco2e_per_year
from footprint
inner join workloads on footprint.workload_id = workloads.workload_id
where workloads.requests_per_day > 0
