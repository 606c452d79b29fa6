-- One row per provider, scope, place and year with its PUE and WUE side by side (low, central, high),
-- from the reported values in staging: what pricing reads for a provider's fleet value or the default.
with reported as (

    select *, coalesce(region, location, '') as place
    from {{ ref('stg_water__datacenter_efficiencies') }}

),

pue as (select * from reported where metric = 'PUE'),

wue as (select * from reported where metric = 'WUE'),

keys as (

    select distinct provider, scope, region, location, place, year from reported

)

select
    keys.provider,
    keys.scope,
    keys.region,
    keys.location,
    keys.year,
    keys.provider = 'default' as is_default,
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
