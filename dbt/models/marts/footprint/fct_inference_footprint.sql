-- Each inference deployment per request, per day and per year of service (central values), from
-- the one pricing of fct_workload_footprint: energy, carbon, embodied and water divided by the
-- requests served.
with footprint as (

    select * from {{ ref('fct_workload_footprint') }} where kind = 'inference'

),

workloads as (

    select workload_id, coalesce(days_central, 365) as serving_days, requests_per_day_central as requests_per_day
    from {{ ref('stg_workloads__workloads') }}

),

served as (

    select
        footprint.*,
        workloads.serving_days,
        workloads.requests_per_day,
        workloads.requests_per_day * workloads.serving_days as requests,
        footprint.water_onsite_l_central + coalesce(footprint.water_offsite_l_central, 0) as water_l
    from footprint
    inner join workloads on footprint.workload_id = workloads.workload_id
    where workloads.requests_per_day > 0

)

select
    workload_id,
    model,
    accelerator,
    accelerator_count,
    zone_id,
    cast(serving_days as double) as serving_days,
    cast(requests_per_day as double) as requests_per_day,
    energy_floor_basis,
    -- per request (Wh, g, mL)
    it_energy_kwh_central * 1000 / requests as it_energy_wh_per_request,
    facility_energy_kwh_central * 1000 / requests as energy_wh_per_request,
    location_kgco2e_central * 1000 / requests as location_gco2e_per_request,
    market_kgco2e_central * 1000 / requests as market_gco2e_per_request,
    embodied_kgco2e_central * 1000 / requests as embodied_gco2e_per_request,
    total_location_kgco2e_central * 1000 / requests as total_location_gco2e_per_request,
    total_includes_embodied,
    water_onsite_l_central * 1000 / requests as water_onsite_ml_per_request,
    water_offsite_l_central * 1000 / requests as water_offsite_ml_per_request,
    water_l * 1000 / requests as water_ml_per_request,
    requests / nullif(water_l, 0) as requests_per_litre,
    -- per day and per year of service (kWh, kg, L)
    facility_energy_kwh_central / serving_days as energy_kwh_per_day,
    location_kgco2e_central / serving_days as location_kgco2e_per_day,
    water_l / serving_days as water_l_per_day,
    facility_energy_kwh_central / serving_days * 365 as energy_kwh_per_year,
    location_kgco2e_central / serving_days * 365 as location_kgco2e_per_year,
    market_kgco2e_central / serving_days * 365 as market_kgco2e_per_year,
    water_l / serving_days * 365 as water_l_per_year,
    embodied_kgco2e_central / serving_days * 365 as embodied_kgco2e_per_year,
    embodied_source
from served
