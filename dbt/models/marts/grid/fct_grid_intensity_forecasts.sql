{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key=['signal', 'feed', 'zone_id', 'basis', 'issued_at', 'hour_start'], on_schema_change='fail') }}
-- Every forecast as issued, per hour, beside the actual the same feed later measured for that zone,
-- hour and basis: what a scheduler knew at issue time, and how it turned out. On both signals: the
-- average intensity (UK NESO, Electricity Maps) and the marginal rate (WattTime). The error is given
-- where both the forecast and the actual cover the whole hour.
-- Incremental: a refresh writes the forecasts loaded since the last build and the forecast hours
-- whose actual was loaded since (an actual arrives after its forecasts); loaded_at is the later of
-- the two. build_warehouse runs with --full-refresh.
with forecasts as (

    select 'average' as signal, * from {{ ref('int_grid_forecasts_hourly') }}
    union all by name
    select 'marginal' as signal, * from {{ ref('int_grid_marginal_forecasts_hourly') }}

),

actuals as (

    select 'average' as signal, feed, zone_id, basis, hour_start, gco2e_per_kwh, minutes_covered, loaded_at
    from {{ ref('int_grid_intensity_hourly') }}
    where kind = 'actual'
    union all
    select 'marginal', 'watttime', zone_id, 'direct', hour_start, gco2e_per_kwh, cast(points * 5 as bigint),
           loaded_at
    from {{ ref('int_grid_marginal_hourly') }}

),

picked as (

    select * from forecasts
    {% if is_incremental() %}
    where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
        or (signal, feed, zone_id, basis, hour_start) in (
            select signal, feed, zone_id, basis, hour_start from actuals
            where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }}))
    {% endif %}

)

select
    forecasts.signal,
    forecasts.feed,
    forecasts.zone_id,
    forecasts.basis,
    forecasts.issued_at,
    forecasts.issued_at_basis,
    forecasts.hour_start,
    forecasts.hour_start + interval '1 hour' as hour_end,
    forecasts.lead_hours,
    forecasts.gco2e_per_kwh as forecast_gco2e_per_kwh,
    forecasts.minutes_covered,
    actuals.gco2e_per_kwh as actual_gco2e_per_kwh,
    case when forecasts.minutes_covered = 60 and actuals.minutes_covered = 60
         then round(forecasts.gco2e_per_kwh - actuals.gco2e_per_kwh, 6) end as error_gco2e_per_kwh,
    forecasts.source,
    forecasts.licence,
    forecasts.is_sample,
    greatest(forecasts.loaded_at, actuals.loaded_at) as loaded_at
from picked as forecasts
left join actuals
    on forecasts.signal = actuals.signal
    and forecasts.feed = actuals.feed
    and forecasts.zone_id = actuals.zone_id
    and forecasts.basis = actuals.basis
    and forecasts.hour_start = actuals.hour_start
