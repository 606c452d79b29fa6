{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key=['feed', 'zone_id', 'basis', 'issued_at', 'hour_start'], on_schema_change='fail') }}
-- Each forecast as issued, per UTC hour (native periods averaged, weighted by length, as the
-- observations are in int_grid_intensity_hourly), with how far ahead of the hour it was issued.
-- Incremental: a forecast once issued never changes, so a refresh adds the forecasts loaded since
-- the last build (a year of hourly NESO refreshes is 7.6 M rows; rebuilt each hour it took 8.7 s).
select
    feed,
    zone_id,
    basis,
    issued_at,
    issued_at_basis,
    {{ dbt.date_trunc('hour', 'period_start') }} as hour_start,
    -- hours from the issue to the hour's start; negative when the hour was under way at issue time
    round(date_diff('second', issued_at, {{ dbt.date_trunc('hour', 'period_start') }}) / 3600.0, 6) as lead_hours,
    -- summed as decimals, as int_grid_intensity_hourly does: rebuilds must match to the bit
    cast(round(sum(cast(gco2e_per_kwh * resolution_minutes as decimal(18, 6))) / sum(resolution_minutes), 6)
         as double) as gco2e_per_kwh,
    cast(sum(resolution_minutes) as bigint) as minutes_covered,
    max(source) as source,
    max(licence) as licence,
    bool_and(is_sample) as is_sample,
    max(loaded_at) as loaded_at
from {{ ref('stg_grid__intensity_forecasts') }}
{% if is_incremental() %}
where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
{% endif %}
group by feed, zone_id, basis, issued_at, issued_at_basis, hour_start
order by zone_id, basis, issued_at, hour_start
