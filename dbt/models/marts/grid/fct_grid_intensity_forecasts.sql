-- Every forecast as issued, per hour, beside the actual the same feed later measured for that zone,
-- hour and basis: what a scheduler knew at issue time, and how it turned out. On both signals: the
-- average intensity (UK NESO) and the marginal rate (WattTime). The error is given where both the
-- forecast and the actual cover the whole hour.
with forecasts as (

    select 'average' as signal, * from {{ ref('int_grid_forecasts_hourly') }}
    union all by name
    select 'marginal' as signal, * from {{ ref('int_grid_marginal_forecasts_hourly') }}

),

actuals as (

    select 'average' as signal, feed, zone_id, basis, hour_start, gco2e_per_kwh, minutes_covered
    from {{ ref('int_grid_intensity_hourly') }}
    where kind = 'actual'
    union all
    select 'marginal', 'watttime', zone_id, 'direct', hour_start, gco2e_per_kwh, cast(points * 5 as bigint)
    from {{ ref('int_grid_marginal_hourly') }}

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
    forecasts.loaded_at
from forecasts
left join actuals
    on forecasts.signal = actuals.signal
    and forecasts.feed = actuals.feed
    and forecasts.zone_id = actuals.zone_id
    and forecasts.basis = actuals.basis
    and forecasts.hour_start = actuals.hour_start
