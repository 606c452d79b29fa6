-- Each cloud workload re-priced in every region of its provider by the one pricing function
-- (int_siting_options_priced: the same year, hourly and fallback rules as the workload itself),
-- ranked by carbon and by water, with the saving against where it ran; where the zones have WattTime's
-- marginal rate, the marginal (consequential) carbon and saving beside the average (attributional) one.
select
    workload_id,
    provider,
    candidate_region,
    candidate_zone_id,
    is_current_region,
    intensity_zone_id,
    intensity_source,
    intensity_g_per_kwh,
    location_kgco2e,
    water_l,
    cast(rank() over (partition by workload_id order by location_kgco2e) as integer) as carbon_rank,
    cast(rank() over (partition by workload_id order by water_l) as integer) as water_rank,
    current_location_kgco2e - location_kgco2e as carbon_saving_kgco2e,
    current_water_l - water_l as water_saving_l,
    marginal_g_per_kwh,
    marginal_basis,
    marginal_kgco2e,
    current_marginal_kgco2e - marginal_kgco2e as marginal_saving_kgco2e
from {{ ref('int_siting_options_priced') }}
