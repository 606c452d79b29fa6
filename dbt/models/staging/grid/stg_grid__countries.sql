with source as (

    select * from {{ source('grid', 'grid_countries') }}

),

renamed as (

    select
        iso2 as zone_id,
        iso3,
        name as country_name
    from source

)

select * from renamed
