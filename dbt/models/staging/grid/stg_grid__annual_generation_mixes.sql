with source as (

    select * from {{ source('grid', 'grid_annual_generation_mix') }}

),

renamed as (

    select
        zone_id,
        cast(year as integer) as year,
        fuel,
        cast(share_pct as double) as share_pct,
        source,
        vintage,
        licence,
        source_file,
        source_row,
        load_id
    from source

)

select * from renamed
