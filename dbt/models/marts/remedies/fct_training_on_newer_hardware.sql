-- The "newer hardware" remedy: each training run's work (its FLOPs at a stated utilisation of peak,
-- dbt var training_mfu, default 0.4) re-done on every accelerator of the catalog released after
-- the one it used, at catalog TDP, in the same place (same PUE, intensity, WUE and EWIF), each priced
-- by the one pricing function (int_training_on_newer_hardware_priced, ingestion/core/newer_hardware.py).
-- The original accelerator is priced the same way, so every row compares like with like; the run as
-- declared (its own hours and power) is the second baseline. `flop_basis` says where the FLOPs come from.
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
    facility_energy_kwh,
    location_kgco2e,
    water_l,
    embodied_kgco2e,
    1 - it_energy_kwh / first_value(it_energy_kwh) over (
        partition by workload_id order by is_original desc) as energy_saving_share,
    -- against the run as declared (its own hours and power): hardware and utilisation together
    1 - it_energy_kwh / as_run_it_energy_kwh as energy_saving_vs_as_run_share
from {{ ref('int_training_on_newer_hardware_priced') }}
