select * from {{ ref('int_generation_mixes_hourly') }}
