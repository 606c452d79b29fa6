{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['zone_id', 'hour_start'],
          on_schema_change='fail') }}
-- Incremental: a refresh recomputes only the zone-hours with an observation loaded since the last
-- build, all of their rows (the preferred value is chosen within a zone-hour); build_warehouse runs
-- with --full-refresh, because the annual values and zones it reloads apply to every hour. Loaded,
-- not retrieved: feeds are fetched in parallel and written one at a time, in any order.
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

),

zones as (

    select zone_id, country_zone_id from {{ ref('dim_grid_zones') }}

),

annual as (

    select zone_id, year, gco2e_per_kwh, basis
    from {{ ref('fct_grid_intensity_annual') }}
    where basis = 'lifecycle'

),

needed_years as (

    select distinct zones.country_zone_id, extract(year from hourly.hour_start) as hour_year
    from hourly
    inner join zones on hourly.zone_id = zones.zone_id

),

annual_year as (

    -- The zone's annual value for the same year, or its latest earlier year when that is not out yet.
    select needed_years.country_zone_id, needed_years.hour_year, max(annual.year) as annual_year
    from needed_years
    inner join annual on annual.zone_id = needed_years.country_zone_id and annual.year <= needed_years.hour_year
    group by 1, 2

)

select
    hourly.zone_id,
    hourly.hour_start,
    hourly.hour_start + interval '1 hour' as hour_end,
    hourly.feed,
    hourly.kind,
    hourly.basis,
    hourly.gco2e_per_kwh,
    hourly.native_resolution_minutes,
    hourly.minutes_covered,
    hourly.estimation_method,
    row_number() over (
        partition by hourly.zone_id, hourly.hour_start, hourly.basis
        order by case hourly.kind when 'actual' then 1 when 'computed_from_mix' then 2
                                  when 'estimated' then 3 else 4 end, hourly.feed
    ) = 1 as is_preferred,
    zones.country_zone_id,
    cast(annual.year as integer) as annual_year,
    annual.gco2e_per_kwh as annual_gco2e_per_kwh,
    annual.basis as annual_basis,
    round(hourly.gco2e_per_kwh / nullif(annual.gco2e_per_kwh, 0), 6) as ratio_to_annual,
    hourly.source,
    hourly.licence,
    hourly.is_sample,
    hourly.retrieved_at,
    hourly.loaded_at
from hourly
left join zones on hourly.zone_id = zones.zone_id
left join annual_year
    on zones.country_zone_id = annual_year.country_zone_id
    and extract(year from hourly.hour_start) = annual_year.hour_year
left join annual on annual.zone_id = annual_year.country_zone_id and annual.year = annual_year.annual_year
