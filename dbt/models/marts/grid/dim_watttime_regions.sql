-- WattTime's regions beside the warehouse's zones and the cloud regions drawing from each zone: where a
-- marginal rate (raw.grid_marginal_observations, by WattTime region) meets the warehouse's workloads.
with regions as (

    select * from {{ ref('stg_grid__watttime_regions') }}

),

zones as (

    select * from {{ ref('dim_grid_zones') }}

),

clouds as (

    select zone_id, string_agg(provider || '/' || region, ', ' order by provider, region) as cloud_regions
    from {{ ref('dim_cloud_regions') }}
    where is_default_mapping
    group by zone_id

)

select
    regions.watttime_region,
    regions.region_name,
    regions.zone_id,
    zones.zone_name,
    regions.mapping_basis,
    regions.is_exact,
    clouds.cloud_regions,
    regions.source,
    regions.licence
from regions
left join zones on regions.zone_id = zones.zone_id
left join clouds on regions.zone_id = clouds.zone_id
