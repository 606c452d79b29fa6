with source as (

    select * from {{ source('grid', 'grid_emission_factors') }}

)

select fuel, basis, cast(gco2e_per_kwh as double) as gco2e_per_kwh, source, licence from source
