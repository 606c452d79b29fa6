-- The marginal emissions rate (WattTime co2_moer, measured afterwards) per grid zone and UTC hour,
-- from the zone's region (int_grid_marginal_regions): what a change in demand in that hour emitted.
select
    zones.zone_id,
    marginal.period_start as hour_start,
    marginal.gco2e_per_kwh,
    marginal.points,
    zones.region,
    zones.is_exact,
    marginal.source,
    marginal.licence,
    marginal.loaded_at
from {{ ref('stg_grid__marginal_observations') }} as marginal
inner join {{ ref('int_grid_marginal_regions') }} as zones on marginal.region = zones.region
where marginal.kind = 'actual'
order by zones.zone_id, hour_start
