with source as (

    select * from {{ source('grid', 'grid_zones') }}

),

renamed as (

    select zone_id, zone_name, zone_type, parent_zone_id, source, licence
    from source

)

select * from renamed
