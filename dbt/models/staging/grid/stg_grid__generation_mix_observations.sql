with samples as (

    select feed, zone_id, period_start, period_end, fuel, share_pct, generation_mwh, retrieved_at,
           true as is_sample
    from {{ source('grid', 'grid_generation_mix_samples') }}

),

live as (

    select feed, zone_id, period_start, period_end, fuel, share_pct, generation_mwh, retrieved_at,
           false as is_sample
    from ({{ source_if_loaded('grid', 'grid_generation_mix_observations', source('grid', 'grid_generation_mix_samples')) }}) as live_rows

),

ranked as (

    select
        *,
        row_number() over (
            partition by feed, zone_id, period_start, fuel order by is_sample, retrieved_at desc
        ) as rank_in_key
    from (select * from samples union all select * from live) as unioned

)

select
    feed,
    zone_id,
    cast(period_start as timestamp) as period_start,
    cast(period_end as timestamp) as period_end,
    lower(fuel) as source_fuel,
    cast(share_pct as double) as share_pct,
    cast(generation_mwh as double) as generation_mwh,
    is_sample
from ranked
where rank_in_key = 1
