with source as (

    select * from {{ source('water', 'water_published_ewif') }}

)

select
    zone_id,
    cast(year as integer) as year,
    cast(ewif_l_per_kwh as double) as ewif_l_per_kwh,
    method,
    source,
    licence
from source
