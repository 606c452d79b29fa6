select
    cluster || '/' || job_id as job_key,
    cluster,
    job_id,
    account,
    partition,
    state,
    zone_id,
    submit as submit_utc,
    "start" as start_utc,
    "end" as end_utc,
    elapsed_s,
    gpus,
    accelerator,
    energy_j,
    node_list,
    source_file,
    source_row
from {{ source('logs', 'slurm_jobs') }}
