-- Every workload beside the best share of its location-based carbon each remedy saves: the greenest
-- region of its provider, a stated carbon-free share (market-based, an accounting view), the best
-- fleet PUE and WUE, the most efficient newer accelerator (energy, same work at the stated
-- utilisation), the smallest measured model that serves the same requests, and fine-tuning instead
-- of pretraining. Null where a remedy does not apply. Read by the report, the Dagster UI and the README.
with green as (

    select * from {{ ref('fct_green_infrastructure') }}

),

newer_hardware as (

    select workload_id, max(energy_saving_share) as newer_hardware_saving_share
    from {{ ref('fct_training_on_newer_hardware') }}
    where not is_original
    group by workload_id

),

smaller_model as (

    select workload_id, max(saving_share) as smaller_model_saving_share
    from {{ ref('fct_model_size_tradeoffs') }}
    where size_relation = 'smaller'
    group by workload_id

),

finetune as (

    select finetune_workload_id as workload_id, 1 - carbon_ratio as finetune_instead_saving_share
    from {{ ref('fct_finetune_vs_pretrain') }}

)

select
    green.workload_id,
    green.kind,
    green.declared_kgco2e,
    case when green.greenest_region is not null then green.greenest_region_saving_share end
        as greenest_region_saving_share,
    green.greenest_region,
    green.cfe_saving_share as carbon_free_share_saving_share,
    green.best_efficiency_saving_share,
    newer_hardware.newer_hardware_saving_share,
    smaller_model.smaller_model_saving_share,
    finetune.finetune_instead_saving_share
from green
left join newer_hardware on green.workload_id = newer_hardware.workload_id
left join smaller_model on green.workload_id = smaller_model.workload_id
left join finetune on green.workload_id = finetune.workload_id
