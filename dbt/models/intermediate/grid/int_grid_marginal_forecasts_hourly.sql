{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key=['zone_id', 'issued_at', 'hour_start'], on_schema_change='fail') }}
-- Each marginal-rate forecast as issued (WattTime, generated_at) per grid zone and UTC hour, from the
-- zone's region (int_grid_marginal_regions), with its lead time: the marginal counterpart of
-- int_grid_forecasts_hourly. Incremental like it (WattTime issues a forecast every 5 minutes: a
-- region-year is 2.6 M rows); build_warehouse runs with --full-refresh, which also applies a change
-- of a zone's region.
select
    'watttime' as feed,
    zones.zone_id,
    'direct' as basis,  -- co2_moer: the CO2 the marginal generator emits at the stack
    marginal.issued_at,
    'published' as issued_at_basis,
    marginal.period_start as hour_start,
    round(date_diff('second', marginal.issued_at, marginal.period_start) / 3600.0, 6) as lead_hours,
    marginal.gco2e_per_kwh,
    cast(marginal.points * 5 as bigint) as minutes_covered,  -- 5-minute points
    marginal.source,
    marginal.licence,
    false as is_sample,
    marginal.loaded_at
from {{ ref('stg_grid__marginal_observations') }} as marginal
inner join {{ ref('int_grid_marginal_regions') }} as zones on marginal.region = zones.region
where marginal.kind = 'forecast'
{% if is_incremental() %}
    and marginal.loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
{% endif %}
order by zones.zone_id, marginal.issued_at, hour_start
