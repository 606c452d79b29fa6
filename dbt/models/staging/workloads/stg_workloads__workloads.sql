with source as (

    select * from {{ source('workloads', 'workloads') }}

)

select * from source
