with samples as (

    select *, true as is_sample from {{ source('grid', 'grid_intensity_samples') }}

),

live as (

    select *, false as is_sample
    from ({{ source_if_loaded('grid', 'grid_intensity_observations', source('grid', 'grid_intensity_samples')) }}) as live_rows

),

unioned as (

    select feed, zone_id, period_start, period_end, resolution_minutes, gco2e_per_kwh, kind, basis,
           estimation_method, source, licence, retrieved_at, load_id, is_sample
    from samples
    union all
    select feed, zone_id, period_start, period_end, resolution_minutes, gco2e_per_kwh, kind, basis,
           estimation_method, source, licence, retrieved_at, load_id, is_sample
    from live

),

ranked as (

    -- A live observation replaces a bundled sample of the same key; the latest retrieval wins.
    select
        *,
        row_number() over (
            partition by feed, zone_id, period_start, kind, basis
            order by is_sample, retrieved_at desc
        ) as rank_in_key
    from unioned

)

select
    feed,
    zone_id,
    cast(period_start as timestamp) as period_start,
    cast(period_end as timestamp) as period_end,
    cast(resolution_minutes as integer) as resolution_minutes,
    cast(gco2e_per_kwh as double) as gco2e_per_kwh,
    kind,
    basis,
    estimation_method,
    source,
    licence,
    cast(retrieved_at as timestamp) as retrieved_at,
    load_id,
    is_sample
from ranked
where rank_in_key = 1
