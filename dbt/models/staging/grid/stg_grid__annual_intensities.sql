with source as (

    select * from {{ source('grid', 'grid_annual_intensity') }}

),

renamed as (

    select
        zone_id,
        cast(year as integer) as year,
        cast(gco2e_per_kwh as double) as gco2e_per_kwh,
        basis,
        cast(generation_twh as double) as generation_twh,
        source,
        source_url,
        vintage,
        licence,
        source_file,
        source_row,
        load_id
    from source

)

select * from renamed
