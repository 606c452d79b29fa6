-- nvidia-smi energy per cluster, host, zone and UTC hour (the samples are Parquet partitions, see the source).
select
    cluster,
    host,
    zone_id,
    hour_start,
    energy_kwh,
    cast(samples as bigint) as samples
from {{ source('logs', 'gpu_power_hourly') }}
