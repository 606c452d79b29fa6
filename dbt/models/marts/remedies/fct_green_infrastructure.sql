-- The article's "greener infrastructure" remedy, lever by lever, for every workload: as declared;
-- (b) in the lowest-carbon region of its provider; (c) market-based with a stated carbon-free share
-- (dbt var green_cfe_share, default 0.9); (d) best-in-class fleet PUE and WUE from the reference
-- data (never worse than the workload's own); and all three together. Central values, each lever
-- priced by the one pricing function (int_green_levers_priced, ingestion/core/green.py).
select
    *,
    case when declared_kgco2e > 0 then 1 - greenest_region_kgco2e / declared_kgco2e end as greenest_region_saving_share,
    case when declared_kgco2e > 0 then 1 - cfe_kgco2e / declared_kgco2e end as cfe_saving_share,
    case when declared_kgco2e > 0 then 1 - best_efficiency_kgco2e / declared_kgco2e end as best_efficiency_saving_share,
    case when declared_kgco2e > 0 then 1 - all_levers_kgco2e / declared_kgco2e end as all_levers_saving_share
from {{ ref('int_green_levers_priced') }}
