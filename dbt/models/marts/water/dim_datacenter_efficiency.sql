-- Datacenter efficiency per provider, scope, place and year (intermediate/water/
-- int_datacenter_efficiencies.sql) with the grid zone of a cloud region.
with efficiencies as (

    select * from {{ ref('int_datacenter_efficiencies') }}

),

regions as (

    select provider, region, zone_id from {{ ref('dim_cloud_regions') }} where is_default_mapping

)

select
    efficiencies.provider,
    efficiencies.scope,
    efficiencies.region,
    efficiencies.location,
    efficiencies.year,
    efficiencies.is_default,
    regions.zone_id,
    efficiencies.pue_low,
    efficiencies.pue_central,
    efficiencies.pue_high,
    efficiencies.pue_source,
    efficiencies.wue_low_l_per_kwh,
    efficiencies.wue_central_l_per_kwh,
    efficiencies.wue_high_l_per_kwh,
    efficiencies.wue_source,
    efficiencies.licence
from efficiencies
left join regions on efficiencies.provider = regions.provider and efficiencies.region = regions.region
