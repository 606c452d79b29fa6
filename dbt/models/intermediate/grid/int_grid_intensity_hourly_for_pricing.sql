{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['zone_id', 'hour_start'],
          on_schema_change='fail') }}
-- One intensity per zone and hour to price energy with: the preferred value on the lifecycle basis
-- (what the annual fallback uses), else on the direct basis where the feed publishes only that
-- (UK NESO). Without this, a zone with both bases would be priced twice per hour.
-- Incremental like int_grid_intensity_hourly: the zone-hours it recomputed since the last build.
select zone_id, hour_start, gco2e_per_kwh, basis, retrieved_at, loaded_at
from {{ ref('int_grid_intensity_hourly') }}
where is_preferred
{% if is_incremental() %}
    and (zone_id, hour_start) in (
        select zone_id, hour_start from {{ ref('int_grid_intensity_hourly') }}
        where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
    )
{% endif %}
qualify row_number() over (partition by zone_id, hour_start order by basis = 'lifecycle' desc, basis) = 1
order by zone_id, hour_start
