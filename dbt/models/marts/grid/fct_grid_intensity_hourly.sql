{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['zone_id', 'hour_start'],
          on_schema_change='fail') }}
-- Every feed's hourly intensity (intermediate/grid/int_grid_intensity_hourly.sql) beside the annual
-- value of the zone's country for the same year. Incremental: the zone-hours the intermediate model
-- recomputed since the last build, all of their rows; build_warehouse runs with --full-refresh,
-- because the annual values and zones it reloads apply to every hour.
with hourly as (

    select * from {{ ref('int_grid_intensity_hourly') }}
    {% if is_incremental() %}
    where (zone_id, hour_start) in (
        select zone_id, hour_start from {{ ref('int_grid_intensity_hourly') }}
        where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
    )
    {% endif %}

),

zones as (

    select zone_id, country_zone_id from {{ ref('int_grid_zones') }}

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
    hourly.is_preferred,
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
