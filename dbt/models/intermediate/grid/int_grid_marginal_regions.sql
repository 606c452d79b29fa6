-- The WattTime region each grid zone's marginal signal is read from: of the regions mapped to the
-- zone (data/grid/watttime_regions.csv) that have data, an exact mapping (the balancing authority
-- itself) first, then by name. One region per zone, so a zone's series never switches region.
select regions.zone_id, regions.watttime_region as region, regions.is_exact
from {{ ref('stg_grid__watttime_regions') }} as regions
where regions.zone_id is not null
    and regions.watttime_region in (select region from {{ ref('stg_grid__marginal_observations') }})
qualify row_number() over (partition by regions.zone_id order by regions.is_exact desc, regions.watttime_region) = 1
