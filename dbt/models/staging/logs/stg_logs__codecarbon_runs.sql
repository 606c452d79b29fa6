select
    cluster || '/codecarbon/' || run_id || '/' || strftime("end", '%Y%m%dT%H%M%S') as job_key,
    cluster,
    run_id,
    project_name,
    zone_id,
    "start" as start_utc,
    "end" as end_utc,
    duration_s,
    energy_kwh,
    codecarbon_kgco2e,
    gpu_model,
    coalesce(pue, 1.0) as codecarbon_pue,
    header_generation,
    source_file,
    source_row
from {{ source('logs', 'codecarbon_runs') }}
