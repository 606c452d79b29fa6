-- A source placed by its grid zone, or by its cloud region's default mapping (dim_cloud_regions).
with sources as (select * from {{ source('telemetry', 'telemetry_sources') }}),

regions as (

    select provider || '/' || region as cloud_region, grid_zone_id
    from {{ ref('stg_grid__cloud_regions') }}
    where mapping_rank = 1

)

select
    sources.source,
    sources.exporter,
    coalesce(sources.zone_id, regions.grid_zone_id) as zone_id,
    sources.cloud_region,
    sources.pue,
    sources.wue_l_per_kwh,
    cast(sources.step_s as integer) as step_s,
    sources.requests_counter,
    sources.source_file
from sources
left join regions on sources.cloud_region = regions.cloud_region
