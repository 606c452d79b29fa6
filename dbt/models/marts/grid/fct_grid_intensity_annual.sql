with intensity as (

    select * from {{ ref('stg_grid__annual_intensities') }}

),

countries as (

    select * from {{ ref('stg_grid__countries') }}

),

fossil as (

    select
        zone_id,
        year,
        cast(sum(case when fuel in ('coal', 'gas', 'oil', 'other_fossil') then cast(share_pct as decimal(18, 6)) end) as double) as fossil_share_pct,
        cast(sum(case when fuel not in ('coal', 'gas', 'oil', 'other_fossil') then cast(share_pct as decimal(18, 6)) end) as double) as low_carbon_share_pct
    from {{ ref('stg_grid__annual_generation_mixes') }}
    group by zone_id, year

),

latest as (

    select zone_id, basis, max(year) as latest_year
    from intensity
    group by zone_id, basis

)

select
    intensity.zone_id,
    case when intensity.zone_id = 'WORLD' then 'World' else countries.country_name end as zone_name,
    case when intensity.zone_id = 'WORLD' then 'world' else 'country' end as zone_type,
    countries.iso3,
    intensity.year,
    intensity.basis,
    intensity.gco2e_per_kwh,
    intensity.generation_twh,
    fossil.fossil_share_pct,
    fossil.low_carbon_share_pct,
    intensity.year = latest.latest_year as is_latest_year,
    intensity.source,
    intensity.source_url,
    intensity.vintage,
    intensity.licence,
    intensity.source_file,
    intensity.source_row,
    intensity.load_id
from intensity
left join countries on intensity.zone_id = countries.zone_id
left join fossil on intensity.zone_id = fossil.zone_id and intensity.year = fossil.year
left join latest on intensity.zone_id = latest.zone_id and intensity.basis = latest.basis
