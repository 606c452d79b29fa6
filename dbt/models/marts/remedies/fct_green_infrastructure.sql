-- The article's "greener infrastructure" remedy, lever by lever, for every workload: as declared;
-- (b) in the lowest-carbon region of its provider; (c) market-based with a stated carbon-free share
-- (dbt var green_cfe_share, default 0.9); (d) best-in-class fleet PUE and WUE from the reference
-- data (never worse than the workload's own); and all three together. Central values, each lever
-- priced by the one pricing function (int_green_levers_priced, ingestion/core/green.py). Lever (b) on
-- the marginal rate too, where WattTime covers the zones (int_siting_options_priced): what moving to
-- that region avoids, and the region that avoids the most.
with marginal as (

    select workload_id, candidate_region, marginal_kgco2e, current_marginal_kgco2e - marginal_kgco2e as saving
    from {{ ref('int_siting_options_priced') }}
    where marginal_kgco2e is not null and current_marginal_kgco2e is not null

),

lowest_marginal as (

    select workload_id, candidate_region, saving
    from marginal
    qualify row_number() over (partition by workload_id order by marginal_kgco2e, candidate_region) = 1

)

select
    levers.*,
    case when levers.declared_kgco2e > 0 then 1 - levers.greenest_region_kgco2e / levers.declared_kgco2e end
        as greenest_region_saving_share,
    case when levers.declared_kgco2e > 0 then 1 - levers.cfe_kgco2e / levers.declared_kgco2e end as cfe_saving_share,
    case when levers.declared_kgco2e > 0 then 1 - levers.best_efficiency_kgco2e / levers.declared_kgco2e end
        as best_efficiency_saving_share,
    case when levers.declared_kgco2e > 0 then 1 - levers.all_levers_kgco2e / levers.declared_kgco2e end
        as all_levers_saving_share,
    greenest.saving as greenest_region_marginal_saving_kgco2e,
    lowest_marginal.candidate_region as lowest_marginal_region,
    lowest_marginal.saving as lowest_marginal_region_saving_kgco2e
from {{ ref('int_green_levers_priced') }} as levers
left join marginal as greenest
    on levers.workload_id = greenest.workload_id and levers.greenest_region = greenest.candidate_region
left join lowest_marginal on levers.workload_id = lowest_marginal.workload_id
