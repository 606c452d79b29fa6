with intensities as (

    select * from {{ ref('int_zone_water_intensities') }}

),

zones as (

    select zone_id, zone_name, country_zone_id from {{ ref('dim_grid_zones') }}

)

select
    intensities.zone_id,
    zones.zone_name,
    zones.country_zone_id,
    intensities.granularity,
    cast(intensities.year as integer) as year,
    cast(intensities.hour_start as timestamp) as hour_start,
    intensities.feed,
    intensities.ewif_low_l_per_kwh,
    intensities.ewif_l_per_kwh,
    intensities.ewif_high_l_per_kwh,
    intensities.ewif_excl_hydro_l_per_kwh,
    intensities.hydro_share_pct,
    intensities.mix_covered_pct,
    'consumption' as water_metric,
    'Macknick et al. 2012 operational consumption factors (fleet blend per fuel) x generation mix' as method
from intensities
left join zones on intensities.zone_id = zones.zone_id
