-- One intensity per zone and hour to price energy with: the preferred value on the lifecycle basis
-- (what the annual fallback uses), else on the direct basis where the feed publishes only that
-- (UK NESO). Without this, a zone with both bases would be priced twice per hour.
select zone_id, hour_start, gco2e_per_kwh, basis
from {{ ref('fct_grid_intensity_hourly') }}
where is_preferred
qualify row_number() over (partition by zone_id, hour_start order by basis = 'lifecycle' desc, basis) = 1
order by zone_id, hour_start
