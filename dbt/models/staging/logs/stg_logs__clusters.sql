select
    name as cluster,
    time_zone,
    zone as zone_declared,
    zone_id,
    default_gpu,
    gpu_utilisation,
    pue,
    wue_l_per_kwh
from {{ source('logs', 'log_clusters') }}
