select
    cluster,
    host,
    gpu_index,
    accelerator,
    zone_id,
    "timestamp" as sampled_at_utc,
    power_w,
    utilization_pct,
    interval_s,
    source_file,
    source_row
from {{ source('logs', 'gpu_power_samples') }}
