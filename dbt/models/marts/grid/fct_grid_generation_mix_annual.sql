select
    mix.zone_id,
    mix.year,
    mix.fuel,
    case when mix.fuel in ('coal', 'gas', 'oil', 'other_fossil') then 'fossil'
         when mix.fuel = 'nuclear' then 'low_carbon'
         else 'renewable' end as fuel_kind,
    mix.share_pct,
    mix.source,
    mix.vintage,
    mix.licence,
    mix.source_file,
    mix.source_row,
    mix.load_id
from {{ ref('stg_grid__annual_generation_mixes') }} as mix
