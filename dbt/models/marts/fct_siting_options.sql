-- Each cloud workload re-priced in every region of its provider: same IT energy and PUE, each
-- region's latest annual grid intensity and off-site water intensity (country values where the
-- region's own zone has none), ranked by carbon, with the saving against where it ran.
with workloads as (

    select * from {{ ref('fct_workload_footprint') }} where provider is not null

),

regions as (

    select provider, region, zone_id, country_zone_id from {{ ref('dim_cloud_regions') }} where is_default_mapping

),

intensity as (

    select zone_id, gco2e_per_kwh, year from {{ ref('fct_grid_intensity_annual') }}
    where is_latest_year and basis = 'lifecycle'

),

ewif as ({{ latest_annual_ewif() }}),

priced as (

    select
        workloads.workload_id,
        workloads.provider,
        regions.region as candidate_region,
        regions.zone_id as candidate_zone_id,
        workloads.region = regions.region as is_current_region,
        coalesce(zone_ci.gco2e_per_kwh, country_ci.gco2e_per_kwh) as intensity_g_per_kwh,
        workloads.facility_energy_kwh_central
            * coalesce(zone_ci.gco2e_per_kwh, country_ci.gco2e_per_kwh) / 1000 as location_kgco2e,
        workloads.water_onsite_l_central
            + workloads.facility_energy_kwh_central * coalesce(zone_ewif.ewif_l_per_kwh, country_ewif.ewif_l_per_kwh)
            as water_l,
        workloads.location_kgco2e_central as current_location_kgco2e,
        workloads.water_onsite_l_central + coalesce(workloads.water_offsite_l_central, 0) as current_water_l
    from workloads
    inner join regions on workloads.provider = regions.provider
    left join intensity as zone_ci on regions.zone_id = zone_ci.zone_id
    left join intensity as country_ci on regions.country_zone_id = country_ci.zone_id
    left join ewif as zone_ewif on regions.zone_id = zone_ewif.zone_id
    left join ewif as country_ewif on regions.country_zone_id = country_ewif.zone_id

)

select
    workload_id,
    provider,
    candidate_region,
    candidate_zone_id,
    is_current_region,
    intensity_g_per_kwh,
    location_kgco2e,
    water_l,
    cast(rank() over (partition by workload_id order by location_kgco2e) as integer) as carbon_rank,
    cast(rank() over (partition by workload_id order by water_l) as integer) as water_rank,
    current_location_kgco2e - location_kgco2e as carbon_saving_kgco2e,
    current_water_l - water_l as water_saving_l
from priced
where location_kgco2e is not null
