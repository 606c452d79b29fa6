with mix as (

    select * from {{ ref('int_generation_mixes_mapped_to_fuels') }}
    where fuel is not null

),

per_period as (

    -- Several source fuels can map to one canonical fuel (ENTSO-E onshore and offshore wind).
    select
        zone_id,
        feed,
        period_start,
        period_end,
        fuel,
        max(fuel_kind) as fuel_kind,
        sum(cast(share_pct as decimal(18, 6))) as share_pct,
        sum(cast(generation_mwh as decimal(18, 6))) as generation_mwh,
        bool_and(is_sample) as is_sample
    from mix
    group by 1, 2, 3, 4, 5

)

select
    zone_id,
    {{ dbt.date_trunc('hour', 'period_start') }} as hour_start,
    feed,
    fuel,
    max(fuel_kind) as fuel_kind,
    -- each period weighted by its length; decimals so rebuilds are identical
    cast(round(sum(share_pct * {{ dbt.datediff('period_start', 'period_end', 'minute') }})
               / sum({{ dbt.datediff('period_start', 'period_end', 'minute') }}), 4) as double) as share_pct,
    cast(round(sum(generation_mwh), 4) as double) as generation_mwh,
    bool_and(is_sample) as is_sample
from per_period
group by 1, 2, 3, 4
