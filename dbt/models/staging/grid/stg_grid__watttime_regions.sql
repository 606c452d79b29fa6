with source as (

    select * from {{ source('grid', 'grid_watttime_regions') }}

),

renamed as (

    select
        watttime_region,
        region_name,
        nullif(zone_id, '') as zone_id,
        mapping_basis,
        cast(is_exact as boolean) as is_exact,
        source,
        licence
    from source

)

select * from renamed
