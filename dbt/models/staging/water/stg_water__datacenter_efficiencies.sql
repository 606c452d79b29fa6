with source as (

    select * from {{ source('water', 'water_datacenter_efficiency') }}

),

renamed as (

    select
        provider,
        scope,
        region,
        location,
        cast(year as integer) as year,
        metric,
        cast(low as double) as low,
        cast(central as double) as central,
        cast(high as double) as high,
        unit,
        source,
        source_url,
        licence,
        source_row,
        load_id
    from source

)

select * from renamed
