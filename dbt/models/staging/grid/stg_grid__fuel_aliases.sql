with source as (

    select * from {{ source('grid', 'grid_fuel_aliases') }}

)

select alias, fuel, kind as fuel_kind from source
