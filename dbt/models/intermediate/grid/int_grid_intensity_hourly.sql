{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['zone_id', 'hour_start'],
          on_schema_change='fail') }}
-- Every feed's intensity per zone and UTC hour (native periods averaged), and which one is preferred:
-- what fct_grid_intensity_hourly publishes and int_grid_intensity_hourly_for_pricing prices with.
-- Incremental: a refresh recomputes only the zone-hours with an observation loaded since the last
-- build, all of their rows (the preferred value is chosen within a zone-hour); build_warehouse runs
-- with --full-refresh. Loaded, not retrieved: feeds are fetched in parallel and written one at a
-- time, in any order.
with
{% if is_incremental() %}
changed as (

    -- The zone-hours with an observation written since the last build, found in the raw tables: the
    -- staging view would rank every observation of the history to find them.
    select distinct zone_id, date_trunc('hour', period_start) as hour_start
    from (
        select zone_id, period_start, loaded_at
        from ({{ source_if_loaded('grid', 'grid_intensity_observations', source('grid', 'grid_intensity_samples')) }})
            as live_rows
        union all
        select zone_id, period_start, loaded_at from {{ source('grid', 'grid_intensity_samples') }}
    ) as raw_rows
    where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})

),
{% endif %}

observations as (

    select * from {{ ref('stg_grid__intensity_observations') }}
    {% if is_incremental() %}
    where (zone_id, date_trunc('hour', period_start)) in (select zone_id, hour_start from changed)
        -- a bound on a column the view ranks by, which DuckDB applies before ranking: an hourly
        -- refresh ranks the last hours, not the years before them
        and period_start >= (select min(hour_start) from changed)
    {% endif %}

),

hourly as (

    -- Native periods (15, 30 or 60 min) averaged into UTC hours, weighted by their length.
    select
        zone_id,
        {{ dbt.date_trunc('hour', 'period_start') }} as hour_start,
        feed,
        kind,
        basis,
        -- summed as decimals: a parallel sum of doubles adds in any order, and rebuilds must match
        cast(round(sum(cast(gco2e_per_kwh * resolution_minutes as decimal(18, 6)))
                   / sum(resolution_minutes), 6) as double) as gco2e_per_kwh,
        min(resolution_minutes) as native_resolution_minutes,
        cast(sum(resolution_minutes) as bigint) as minutes_covered,
        max(source) as source,
        max(licence) as licence,
        max(estimation_method) as estimation_method,
        bool_and(is_sample) as is_sample,
        max(retrieved_at) as retrieved_at,
        max(loaded_at) as loaded_at
    from observations
    group by 1, 2, 3, 4, 5

)

select
    *,
    row_number() over (
        partition by zone_id, hour_start, basis
        order by case kind when 'actual' then 1 when 'computed_from_mix' then 2 when 'estimated' then 3 else 4 end,
                 feed
    ) = 1 as is_preferred
from hourly
