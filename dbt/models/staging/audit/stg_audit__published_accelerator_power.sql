select
    accelerator,
    workload,
    measured_avg_w,
    scope,
    reviewed_note,
    source,
    source_url,
    vintage,
    licence
from {{ source('audit', 'published_accelerator_power') }}
