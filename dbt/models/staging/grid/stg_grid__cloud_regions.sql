with source as (

    select * from {{ source('grid', 'grid_cloud_regions') }}

),

renamed as (

    select
        lower(provider) as provider,
        region,
        region_name,
        city,
        state,
        country_zone_id,
        grid_zone_id,
        mapping_basis,
        cast(mapping_rank as integer) as mapping_rank,
        cast(is_disputed as boolean) as is_disputed,
        mapping_note,
        sources,
        licence
    from source

)

select * from renamed
