with published as (

    select * from {{ ref('stg_water__published_ewifs') }}

),

ours as (

    select zone_id, year, ewif_l_per_kwh, ewif_low_l_per_kwh, ewif_high_l_per_kwh, ewif_excl_hydro_l_per_kwh
    from {{ ref('fct_zone_water_intensity') }}
    where granularity = 'annual'

),

latest as (

    select zone_id, max(year) as year from ours group by zone_id

)

-- A published figure without a year is compared with our latest year for that zone.
select
    published.zone_id,
    published.year as published_year,
    cast(ours.year as integer) as our_year,
    published.ewif_l_per_kwh as published_ewif_l_per_kwh,
    ours.ewif_l_per_kwh as our_ewif_l_per_kwh,
    ours.ewif_low_l_per_kwh as our_ewif_low_l_per_kwh,
    ours.ewif_high_l_per_kwh as our_ewif_high_l_per_kwh,
    ours.ewif_excl_hydro_l_per_kwh as our_ewif_excl_hydro_l_per_kwh,
    round((ours.ewif_l_per_kwh - published.ewif_l_per_kwh) / published.ewif_l_per_kwh * 100, 1) as difference_pct,
    published.ewif_l_per_kwh between ours.ewif_low_l_per_kwh and ours.ewif_high_l_per_kwh as published_within_our_range,
    published.method as published_method,
    published.source as published_source
from published
left join latest on published.zone_id = latest.zone_id
left join ours
    on published.zone_id = ours.zone_id
    and ours.year = coalesce(least(published.year, latest.year), latest.year)
