-- The article's "greener infrastructure" remedy, lever by lever, for every workload: as declared;
-- (b) in the lowest-carbon region of its provider; (c) market-based with a stated carbon-free share
-- (dbt var green_cfe_share, default 0.9); (d) best-in-class fleet PUE and WUE from the reference
-- data (never worse than the workload's own); and all three together. Central values.
with footprints as (select * from {{ ref('fct_workload_footprint') }}),

fleets as (

    select * from {{ ref('dim_datacenter_efficiency') }}
    where scope like 'global%' and provider not in ('default', 'industry')

),

best_pue as (

    select pue_central as pue, provider || ' ' || scope || ' ' || year || ': ' || pue_source as source
    from fleets where pue_central is not null
    order by pue_central, year desc, provider limit 1

),

best_wue as (

    select wue_central_l_per_kwh as wue, provider || ' ' || scope || ' ' || year || ': ' || wue_source as source
    from fleets where wue_central_l_per_kwh is not null
    order by wue_central_l_per_kwh, year desc, provider limit 1

),

greenest as (

    select workload_id, candidate_region, candidate_zone_id, location_kgco2e, water_l, intensity_g_per_kwh
    from {{ ref('fct_siting_options') }}
    where carbon_rank = 1
    qualify row_number() over (partition by workload_id order by candidate_region) = 1

),

levers as (

    select
        footprints.workload_id,
        footprints.kind,
        footprints.provider,
        footprints.region,
        footprints.location_kgco2e_central as declared_kgco2e,
        footprints.water_onsite_l_central + coalesce(footprints.water_offsite_l_central, 0) as declared_water_l,
        greenest.candidate_region as greenest_region,
        least(greenest.location_kgco2e, footprints.location_kgco2e_central) as greenest_region_kgco2e,
        cast({{ var('green_cfe_share', 0.9) }} as double) as cfe_share,
        footprints.location_kgco2e_central * (1 - {{ var('green_cfe_share', 0.9) }}) as cfe_kgco2e,
        least(best_pue.pue, footprints.pue_central) as best_pue,
        least(best_wue.wue, footprints.wue_l_per_kwh_central) as best_wue_l_per_kwh,
        best_pue.source as best_pue_source,
        best_wue.source as best_wue_source,
        footprints.it_energy_kwh_central * least(best_pue.pue, footprints.pue_central)
            * footprints.intensity_g_per_kwh_central / 1000 as best_efficiency_kgco2e,
        footprints.it_energy_kwh_central * least(best_wue.wue, footprints.wue_l_per_kwh_central)
            + footprints.it_energy_kwh_central * least(best_pue.pue, footprints.pue_central)
            * coalesce(footprints.ewif_l_per_kwh_central, 0) as best_efficiency_water_l,
        footprints.it_energy_kwh_central * least(best_pue.pue, footprints.pue_central)
            * least(coalesce(greenest.intensity_g_per_kwh, footprints.intensity_g_per_kwh_central),
                    footprints.intensity_g_per_kwh_central) / 1000
            * (1 - {{ var('green_cfe_share', 0.9) }}) as all_levers_kgco2e
    from footprints
    cross join best_pue
    cross join best_wue
    left join greenest on footprints.workload_id = greenest.workload_id

)

select
    *,
    case when declared_kgco2e > 0 then 1 - greenest_region_kgco2e / declared_kgco2e end as greenest_region_saving_share,
    case when declared_kgco2e > 0 then 1 - cfe_kgco2e / declared_kgco2e end as cfe_saving_share,
    case when declared_kgco2e > 0 then 1 - best_efficiency_kgco2e / declared_kgco2e end as best_efficiency_saving_share,
    case when declared_kgco2e > 0 then 1 - all_levers_kgco2e / declared_kgco2e end as all_levers_saving_share
from levers
