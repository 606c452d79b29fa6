with source as (

    select * from {{ source('water', 'water_factors') }}

),

renamed as (

    select
        fuel,
        technology,
        cooling,
        metric,
        cast(low_l_per_kwh as double) as low_l_per_kwh,
        cast(central_l_per_kwh as double) as central_l_per_kwh,
        cast(high_l_per_kwh as double) as high_l_per_kwh,
        cast(is_fuel_default as boolean) as is_fuel_default,
        source,
        note,
        licence
    from source

)

select * from renamed
