-- The "newer hardware" remedy: each training run's work (its FLOPs at a stated utilisation of peak,
-- dbt var training_mfu, default 0.4) re-done on every accelerator of the catalog released after
-- the one it used, at catalog TDP, in the same place (same PUE, intensity, WUE and EWIF). The
-- original accelerator is priced the same way, so every row compares like with like; the run as
-- declared (its own hours and power) is the second baseline. The FLOPs are the workload's own
-- (`training_flop`, published, or derived from a distillation's tokens), else accelerator-hours x
-- peak dense BF16/FP16 x utilisation; `flop_basis` says which.
with runs as (

    select
        footprints.workload_id,
        footprints.accelerator,
        footprints.accelerator_hours as declared_accelerator_hours,
        footprints.it_energy_kwh_central as as_run_it_energy_kwh,
        footprints.pue_central as pue,
        footprints.intensity_g_per_kwh_central as intensity_g_per_kwh,
        footprints.wue_l_per_kwh_central as wue_l_per_kwh,
        coalesce(footprints.ewif_l_per_kwh_central, 0) as ewif_l_per_kwh,
        used.release_date as used_release_date,
        coalesce(workloads.training_flop, footprints.accelerator_hours * 3600 * used.peak_bf16_fp16_tflops * 1e12
            * {{ var('training_mfu', 0.4) }}) as training_flop,
        coalesce(workloads.training_flop_basis,
            'derived: accelerator-hours x peak dense BF16/FP16 x utilisation (var training_mfu)') as flop_basis,
        -- the share of peak the run achieved as declared, when its FLOPs are published
        case when workloads.training_flop_basis like 'declared%' then
            workloads.training_flop / (footprints.accelerator_hours * 3600 * used.peak_bf16_fp16_tflops * 1e12)
        end as as_run_utilisation
    from {{ ref('fct_workload_footprint') }} as footprints
    inner join {{ ref('stg_workloads__workloads') }} as workloads on footprints.workload_id = workloads.workload_id
    inner join {{ ref('dim_accelerators') }} as used on footprints.accelerator = used.canonical_name
    where footprints.kind = 'training' and footprints.accelerator_hours > 0
      and used.peak_bf16_fp16_tflops is not null

),

candidates as (

    select canonical_name, release_date, tdp_w, peak_bf16_fp16_tflops, embodied_kgco2e
    from {{ ref('dim_accelerators') }}
    where peak_bf16_fp16_tflops is not null and release_date is not null

),

priced as (

    select
        runs.workload_id,
        runs.accelerator as original_accelerator,
        candidates.canonical_name as accelerator,
        candidates.canonical_name = runs.accelerator as is_original,
        candidates.release_date,
        runs.training_flop,
        runs.flop_basis,
        cast({{ var('training_mfu', 0.4) }} as double) as utilisation,
        runs.declared_accelerator_hours,
        runs.as_run_utilisation,
        runs.as_run_it_energy_kwh,
        runs.training_flop / (candidates.peak_bf16_fp16_tflops * 1e12 * {{ var('training_mfu', 0.4) }}) / 3600
            as accelerator_hours,
        runs.training_flop / (candidates.peak_bf16_fp16_tflops * 1e12 * {{ var('training_mfu', 0.4) }}) / 3600
            * candidates.tdp_w / 1000 as it_energy_kwh,
        runs.pue,
        runs.intensity_g_per_kwh,
        runs.wue_l_per_kwh,
        runs.ewif_l_per_kwh,
        candidates.embodied_kgco2e as accelerator_embodied_kgco2e
    from runs
    inner join candidates
        on candidates.release_date > runs.used_release_date or candidates.canonical_name = runs.accelerator

)

select
    workload_id,
    original_accelerator,
    accelerator,
    is_original,
    release_date,
    training_flop,
    utilisation,
    flop_basis,
    declared_accelerator_hours,
    as_run_utilisation,
    accelerator_hours,
    it_energy_kwh,
    it_energy_kwh * pue as facility_energy_kwh,
    it_energy_kwh * pue * intensity_g_per_kwh / 1000 as location_kgco2e,
    it_energy_kwh * wue_l_per_kwh + it_energy_kwh * pue * ewif_l_per_kwh as water_l,
    -- the accelerators' share of their manufacturing footprint over a 4-year life
    accelerator_hours / (4 * 8760) * accelerator_embodied_kgco2e as embodied_kgco2e,
    1 - it_energy_kwh / first_value(it_energy_kwh) over (
        partition by workload_id order by is_original desc) as energy_saving_share,
    -- against the run as declared (its own hours and power): hardware and utilisation together
    1 - it_energy_kwh / as_run_it_energy_kwh as energy_saving_vs_as_run_share
from priced
