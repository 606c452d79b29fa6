with reported as (

    select *, coalesce(region, location, '') as place
    from {{ ref('stg_water__datacenter_efficiencies') }}

),

pue as (select * from reported where metric = 'PUE'),

wue as (select * from reported where metric = 'WUE'),

keys as (

    select distinct provider, scope, region, location, place, year from reported

),

regions as (

    select provider, region, zone_id from {{ ref('dim_cloud_regions') }} where is_default_mapping

)

select
    keys.provider,
    keys.scope,
    keys.region,
    keys.location,
    keys.year,
    keys.provider = 'default' as is_default,
    regions.zone_id,
    pue.low as pue_low,
    pue.central as pue_central,
    pue.high as pue_high,
    pue.source as pue_source,
    wue.low as wue_low_l_per_kwh,
    wue.central as wue_central_l_per_kwh,
    wue.high as wue_high_l_per_kwh,
    wue.source as wue_source,
    coalesce(pue.licence, wue.licence) as licence
from keys
left join pue
    on keys.provider = pue.provider and keys.scope = pue.scope and keys.place = pue.place and keys.year = pue.year
left join wue
    on keys.provider = wue.provider and keys.scope = wue.scope and keys.place = wue.place and keys.year = wue.year
left join regions on keys.provider = regions.provider and keys.region = regions.region
