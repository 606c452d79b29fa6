-- Requests served per hour, recorded and live (a live day replaces a recorded one of the same source).
with unioned as (

    select source, namespace, pod, model_name, hour_start, requests, loaded_at, true as is_sample
    from {{ source('telemetry', 'telemetry_requests_samples') }}
    union all
    select source, namespace, pod, model_name, hour_start, requests, loaded_at, false as is_sample
    from ({{ source_if_loaded('telemetry', 'telemetry_requests', source('telemetry', 'telemetry_requests_samples')) }})
        as live_rows

)

select
    source,
    namespace,
    pod,
    model_name,
    cast(hour_start as timestamp) as hour_start,
    cast(requests as double) as requests,
    is_sample,
    cast(loaded_at as timestamp) as loaded_at
from unioned
qualify not is_sample or not bool_or(not is_sample) over (partition by source, cast(hour_start as date))
