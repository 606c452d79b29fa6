-- Slurm allocations and CodeCarbon runs as one list of jobs with a constant IT power: measured
-- energy where the log has it (Slurm energy accounting, CodeCarbon), else GPUs x TDP x the
-- cluster's utilisation. PUE and WUE: the cluster's, else the warehouse's stated default.
-- job_version, a hash of the row, tells the incremental pricing models which jobs changed.
with clusters as (select * from {{ ref('stg_logs__clusters') }}),

accelerators as (select canonical_name, tdp_w from {{ ref('int_accelerators_enriched') }}),

default_pue as (

    select pue_central as pue, pue_source
    from {{ ref('int_datacenter_efficiencies') }}
    where provider = 'default' and pue_central is not null
    qualify row_number() over (order by year desc, scope) = 1

),

default_wue as (

    select wue_central_l_per_kwh as wue_l_per_kwh
    from {{ ref('int_datacenter_efficiencies') }}
    where provider = 'default' and wue_central_l_per_kwh is not null
    qualify row_number() over (order by year desc, scope) = 1

),

fleet as (select * from default_pue cross join default_wue),

slurm as (

    select
        'slurm' as log_kind,
        jobs.job_key,
        jobs.cluster,
        jobs.job_id,
        jobs.account,
        jobs.user_name,
        jobs.partition,
        jobs.state,
        jobs.zone_id,
        jobs.submit_utc,
        jobs.start_utc,
        jobs.end_utc,
        jobs.gpus,
        jobs.accelerator,
        case
            when jobs.energy_j is not null then jobs.energy_j / 3.6e6
            else jobs.gpus * coalesce(accelerators.tdp_w, 0) * clusters.gpu_utilisation
                 * date_diff('microsecond', jobs.start_utc, jobs.end_utc) / 3.6e9 / 1000
        end as it_energy_kwh,
        case
            when jobs.energy_j is not null then 'measured by Slurm energy accounting'
            when jobs.gpus > 0 then 'GPUs x catalog TDP x cluster gpu_utilisation ('
                 || cast(clusters.gpu_utilisation as varchar) || ')'
            else 'CPU-only job without measured energy: not counted'
        end as power_basis,
        cast(null as double) as codecarbon_kgco2e,
        jobs.source_file,
        jobs.source_row,
        clusters.pue as cluster_pue,
        clusters.wue_l_per_kwh as cluster_wue_l_per_kwh
    from {{ ref('stg_logs__slurm_jobs') }} as jobs
    inner join clusters on jobs.cluster = clusters.cluster
    left join accelerators on jobs.accelerator = accelerators.canonical_name

),

codecarbon as (

    select
        'codecarbon' as log_kind,
        runs.job_key,
        runs.cluster,
        runs.run_id as job_id,
        runs.project_name as account,
        cast(null as varchar) as user_name,  -- CodeCarbon logs no user
        cast(null as varchar) as partition,
        'COMPLETED' as state,
        runs.zone_id,
        cast(null as timestamp) as submit_utc,  -- CodeCarbon logs no submit time
        runs.start_utc,
        runs.end_utc,
        cast(null as bigint) as gpus,
        runs.gpu_model as accelerator,
        -- CodeCarbon multiplies by its own PUE setting: divide it out to get IT energy
        runs.energy_kwh / runs.codecarbon_pue as it_energy_kwh,
        'measured by CodeCarbon (' || runs.header_generation || ' header)' as power_basis,
        runs.codecarbon_kgco2e,
        runs.source_file,
        runs.source_row,
        clusters.pue as cluster_pue,
        clusters.wue_l_per_kwh as cluster_wue_l_per_kwh
    from {{ ref('stg_logs__codecarbon_runs') }} as runs
    left join clusters on runs.cluster = clusters.cluster

),

jobs as (

    select * from slurm
    union all by name
    select * from codecarbon

),

unified as (

    select
        jobs.* exclude (cluster_pue, cluster_wue_l_per_kwh),
        coalesce(jobs.cluster_pue, fleet.pue) as pue,
        case when jobs.cluster_pue is not null then 'cluster.yaml' else 'default: ' || fleet.pue_source end
            as pue_source,
        coalesce(jobs.cluster_wue_l_per_kwh, fleet.wue_l_per_kwh) as wue_l_per_kwh
    from jobs
    cross join fleet

)

select unified.*, cast(hash(unified) >> 1 as bigint) as job_version  -- 63 bits: Spark has no unsigned type
from unified
