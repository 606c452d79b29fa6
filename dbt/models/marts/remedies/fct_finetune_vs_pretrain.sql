-- The "reuse a pretrained model" remedy: each fine-tune beside the pretraining of its base model,
-- the ratio, and how many such fine-tunes it takes to equal one pretraining (central values).
with footprints as (select * from {{ ref('fct_workload_footprint') }}),

finetunes as (

    select workload_id, finetunes as base_workload_id
    from {{ ref('stg_workloads__workloads') }}
    where finetunes is not null

)

select
    finetunes.workload_id as finetune_workload_id,
    finetune.model as finetune_model,
    finetunes.base_workload_id,
    base.model as base_model,
    finetune.accelerator_hours as finetune_accelerator_hours,
    base.accelerator_hours as base_accelerator_hours,
    finetune.facility_energy_kwh_central as finetune_energy_kwh,
    base.facility_energy_kwh_central as base_energy_kwh,
    finetune.location_kgco2e_central as finetune_kgco2e,
    base.location_kgco2e_central as base_kgco2e,
    finetune.water_onsite_l_central + coalesce(finetune.water_offsite_l_central, 0) as finetune_water_l,
    base.water_onsite_l_central + coalesce(base.water_offsite_l_central, 0) as base_water_l,
    finetune.location_kgco2e_central / base.location_kgco2e_central as carbon_ratio,
    finetune.facility_energy_kwh_central / base.facility_energy_kwh_central as energy_ratio,
    base.location_kgco2e_central / finetune.location_kgco2e_central as finetunes_to_equal_pretraining
from finetunes
inner join footprints as finetune on finetunes.workload_id = finetune.workload_id
inner join footprints as base on finetunes.base_workload_id = base.workload_id
