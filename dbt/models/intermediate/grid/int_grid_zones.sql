-- The zones from staging: countries (ISO 3166-1), sub-national grid zones with their country, and
-- the world. Pricing resolves a zone to its country here; dim_grid_zones publishes it.
with countries as (

    select
        zone_id,
        country_name as zone_name,
        'country' as zone_type,
        cast(null as varchar) as parent_zone_id,
        zone_id as country_zone_id,
        'ISO 3166-1 (codes as used by Electricity Maps)' as source,
        'facts' as licence
    from {{ ref('stg_grid__countries') }}

),

sub_national as (

    select
        zone_id,
        zone_name,
        zone_type,
        parent_zone_id,
        parent_zone_id as country_zone_id,
        source,
        licence
    from {{ ref('stg_grid__zones') }}

),

world as (

    select 'WORLD' as zone_id, 'World' as zone_name, 'world' as zone_type, cast(null as varchar) as parent_zone_id,
           'WORLD' as country_zone_id, 'OWID energy data' as source, 'CC BY 4.0' as licence

)

select * from countries
union all
select * from sub_national
union all
select * from world
