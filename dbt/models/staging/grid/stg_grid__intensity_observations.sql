-- A live table written before rows carried loaded_at (lib/warehouse.replace_partition) gets the column,
-- null for its earlier rows, so a warehouse of an earlier version builds without a feed refresh first.
{{ config(pre_hook="alter table if exists " ~ source('grid', 'grid_intensity_observations')
                   ~ " add column if not exists loaded_at timestamp") }}
with samples as (

    select *, true as is_sample from {{ source('grid', 'grid_intensity_samples') }}

),

live as (

    select *, false as is_sample
    from ({{ source_if_loaded('grid', 'grid_intensity_observations', source('grid', 'grid_intensity_samples')) }}) as live_rows

),

unioned as (

    select feed, zone_id, period_start, period_end, resolution_minutes, gco2e_per_kwh, kind, basis,
           estimation_method, source, licence, retrieved_at, load_id, loaded_at, is_sample
    from samples
    union all
    select feed, zone_id, period_start, period_end, resolution_minutes, gco2e_per_kwh, kind, basis,
           estimation_method, source, licence, retrieved_at, load_id, loaded_at, is_sample
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
    cast(loaded_at as timestamp) as loaded_at,
    is_sample
from ranked
where rank_in_key = 1
