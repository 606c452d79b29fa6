with regions as (

    select * from {{ ref('stg_grid__cloud_regions') }}

),

zones as (

    select * from {{ ref('dim_grid_zones') }}

),

latest_annual as (

    select zone_id, year, gco2e_per_kwh
    from {{ ref('fct_grid_intensity_annual') }}
    where is_latest_year and basis = 'lifecycle'

)

select
    regions.provider,
    regions.region,
    regions.region_name,
    regions.city,
    regions.state,
    regions.grid_zone_id as zone_id,
    zones.zone_name,
    zones.zone_type,
    regions.country_zone_id,
    regions.mapping_basis,
    regions.is_disputed,
    regions.mapping_rank = 1 as is_default_mapping,
    regions.mapping_note,
    cast(latest_annual.year as integer) as country_latest_year,
    latest_annual.gco2e_per_kwh as country_latest_gco2e_per_kwh,
    regions.sources as source,
    regions.licence
from regions
left join zones on regions.grid_zone_id = zones.zone_id
left join latest_annual on regions.country_zone_id = latest_annual.zone_id
