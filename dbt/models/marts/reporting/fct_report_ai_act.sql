-- The EU AI Act's model documentation (Annex XI, section 1(2)(d)-(e); the Code of Practice's Model
-- Documentation Form) per training workload: one row per field the form asks, with its unit and the
-- significant figures the form asks (two), whether the figure is measured, estimated or declared by
-- the source, and where it comes from (mart columns and the workload's sources). A figure the
-- warehouse does not have is a row with basis 'missing' and the reason, never an invented value.
with workloads as (
    select
        footprint.workload_id,
        footprint.model,
        footprint.accelerator,
        footprint.accelerator_count,
        footprint.accelerator_hours,
        footprint.power_basis,
        footprint.convention,
        footprint.facility_energy_kwh_low,
        footprint.facility_energy_kwh_central,
        footprint.facility_energy_kwh_high,
        footprint.pue_source,
        footprint.source,
        declared.training_flop,
        declared.training_flop_basis,
        declared.period_start,
        declared.period_end,
        coalesce(declared.source, 'not stated') as workload_source
    from {{ ref('fct_workload_footprint') }} as footprint
    inner join {{ ref('stg_workloads__workloads') }} as declared on footprint.workload_id = declared.workload_id
    where footprint.kind = 'training'
),

fields as (
    select
        workload_id, model, 1 as field_order, 'hardware' as field,
        'Computational resources: hardware used for training (number and type of accelerators)' as form_item,
        cast(null as double) as value,
        case when accelerator is not null then format('{:,} x {}', accelerator_count, accelerator) end as value_text,
        'accelerators' as unit,
        cast(null as integer) as significant_figures,
        case when accelerator is not null then 'declared' else 'missing' end as basis,
        case when accelerator is null then 'the source gives the energy, not the hardware it ran on' end
            as missing_reason,
        'marts.fct_workload_footprint.accelerator, accelerator_count' as mart_columns,
        workload_source as sources
    from workloads

    union all

    select
        workload_id, model, 2, 'training_time',
        'Training time (wall-clock duration of the training run)',
        {{ sig_round('training_hours', 2) }},
        {{ sig_text('training_hours', 2) }},
        'hours', 2,
        case when training_hours is null then 'missing'
             when period_start is not null then 'declared' else 'estimated' end,
        case when training_hours is null then
            'only accelerator-hours are known (accelerator_count 1 stands for the whole fleet): declare '
            || 'period_start and period_end, or the accelerator count' end,
        case when period_start is not null then 'stg_workloads__workloads.period_start, period_end'
             else 'marts.fct_workload_footprint.accelerator_hours / accelerator_count' end,
        workload_source
    from (
        select *,
            {{ wall_clock_hours('period_start', 'period_end', 'accelerator_hours', 'accelerator_count') }}
                as training_hours
        from workloads
    )

    union all

    select
        workload_id, model, 3, 'accelerator_hours',
        'Computational resources: accelerator-hours used for training',
        {{ sig_round('accelerator_hours', 2) }},
        {{ sig_text('accelerator_hours', 2) }},
        'accelerator-hours', 2,
        case when accelerator_hours is null then 'missing' else 'declared' end,
        case when accelerator_hours is null then 'the source gives the energy, not the accelerator-hours' end,
        'marts.fct_workload_footprint.accelerator_hours',
        workload_source
    from workloads

    union all

    select
        workload_id, model, 4, 'training_compute',
        'Amount of computation used for training (floating-point operations)',
        {{ sig_round('training_flop', 2) }},
        printf('%.1e', training_flop),
        'FLOP', 2,
        case when training_flop is null then 'missing'
             when training_flop_basis like 'declared%' then 'declared' else 'estimated' end,
        case when training_flop is null then
            'no training_flop declared for the workload (nor the parameters and tokens to estimate 6 x N x D)' end,
        'stg_workloads__workloads.training_flop (' || coalesce(training_flop_basis, 'none') || ')',
        workload_source
    from workloads

    union all

    select
        workload_id, model, 5, 'energy_consumption',
        'Known or estimated energy consumption of training (facility energy, PUE included)',
        {{ sig_round('facility_energy_kwh_central / 1000', 2) }},
        {{ sig_text('facility_energy_kwh_central / 1000', 2) }}
            || case when facility_energy_kwh_low < facility_energy_kwh_central
                         or facility_energy_kwh_high > facility_energy_kwh_central
                    then ' (range ' || {{ sig_text('facility_energy_kwh_low / 1000', 2) }} || ' to '
                         || {{ sig_text('facility_energy_kwh_high / 1000', 2) }} || ')' else '' end,
        'MWh', 2,
        case when facility_energy_kwh_central is null then 'missing'
             when power_basis like 'measured%' then 'measured'
             when power_basis like 'energy given%' or power_basis like 'facility energy given%' then 'declared'
             else 'estimated' end,
        case when facility_energy_kwh_central is null then 'no energy, power or accelerator-hours to price' end,
        'marts.fct_workload_footprint.facility_energy_kwh_central (low, high)',
        workload_source || '; PUE: ' || coalesce(pue_source, 'none')
    from workloads

    union all

    select
        workload_id, model, 6, 'energy_method',
        'Methodology used to measure or estimate the energy consumption',
        cast(null as double),
        power_basis || '; PUE from ' || coalesce(pue_source, 'none') || '; convention ' || convention,
        cast(null as varchar), cast(null as integer),
        case when power_basis is null then 'missing' else 'declared' end,
        case when power_basis is null then 'no energy basis' end,
        'marts.fct_workload_footprint.power_basis, pue_source, convention',
        workload_source
    from workloads
)

select
    workload_id,
    model,
    field_order,
    field,
    form_item,
    value,
    value_text,
    unit,
    significant_figures,
    basis,
    missing_reason,
    mart_columns,
    sources
from fields
