-- GPU energy per hour from the Prometheus sources: the bundled recordings and the live table (which
-- exists once a source's day was read); a live day replaces a recorded one of the same source.
with unioned as (

    select source, host, gpu_uuid, model, namespace, pod, container, method, attribution, hour_start,
           energy_kwh, samples, loaded_at, true as is_sample
    from {{ source('telemetry', 'telemetry_gpu_energy_samples') }}
    union all
    select source, host, gpu_uuid, model, namespace, pod, container, method, attribution, hour_start,
           energy_kwh, samples, loaded_at, false as is_sample
    from ({{ source_if_loaded('telemetry', 'telemetry_gpu_energy', source('telemetry', 'telemetry_gpu_energy_samples')) }})
        as live_rows

)

select
    source,
    host,
    gpu_uuid,
    model as gpu_model,
    namespace,
    pod,
    container,
    method,
    attribution,
    cast(hour_start as timestamp) as hour_start,
    cast(energy_kwh as double) as gpu_energy_kwh,
    cast(samples as bigint) as samples,
    is_sample,
    cast(loaded_at as timestamp) as loaded_at
from unioned
qualify not is_sample or not bool_or(not is_sample) over (partition by source, cast(hour_start as date))
