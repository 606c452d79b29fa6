-- Each source's fuel names (NESO "biomass", EIA "NG", ENTSO-E "B04"...) mapped to canonical fuels.
select
    mix.feed,
    mix.zone_id,
    mix.period_start,
    mix.period_end,
    mix.source_fuel,
    aliases.fuel,
    aliases.fuel_kind,
    mix.share_pct,
    mix.generation_mwh,
    mix.is_sample
from {{ ref('stg_grid__generation_mix_observations') }} as mix
left join {{ ref('stg_grid__fuel_aliases') }} as aliases on mix.source_fuel = aliases.alias
