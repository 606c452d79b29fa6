-- How good the forecasts a scheduler decides on are: per signal, feed, zone, basis and lead time (whole
-- hours from issue to the hour's start; 0 is the hour under way or starting within the hour), the
-- error against the actual over every forecast hour that has one (fct_grid_intensity_forecasts).
-- A zone whose feed publishes no actual (NESO's regions) has forecast hours and no error.
select
    signal,
    feed,
    zone_id,
    basis,
    cast(greatest(floor(lead_hours), 0) as integer) as lead_hour,
    count(*) as forecast_hours,
    count(error_gco2e_per_kwh) as hours_with_actual,
    count(distinct issued_at) as forecasts_issued,
    round(avg(error_gco2e_per_kwh), 3) as mean_error_gco2e_per_kwh,
    round(avg(abs(error_gco2e_per_kwh)), 3) as mean_absolute_error_gco2e_per_kwh,
    round(sqrt(avg(error_gco2e_per_kwh * error_gco2e_per_kwh)), 3) as rmse_gco2e_per_kwh,
    round(avg(abs(error_gco2e_per_kwh) / nullif(actual_gco2e_per_kwh, 0)), 4) as mean_absolute_percentage_error,
    min(issued_at) as first_issued_at,
    max(issued_at) as last_issued_at,
    bool_and(is_sample) as is_sample
from {{ ref('fct_grid_intensity_forecasts') }}
group by signal, feed, zone_id, basis, lead_hour
order by signal, feed, zone_id, basis, lead_hour
