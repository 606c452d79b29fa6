-- The Green Software Foundation's SCI for AI (Software Carbon Intensity, ISO/IEC 21031:2024) per
-- workload and functional unit: SCI = (E x I + M) per R, with
--   E  energy of the software within the boundary, kWh (facility energy: IT x PUE),
--   I  location-based carbon intensity of that energy, gCO2e/kWh (market-based figures, which the
--      specification excludes from the score, are shown beside it, never in it),
--   M  embodied emissions of the hardware apportioned to the workload, gCO2e,
--   R  functional units (one training run; requests or thousands of tokens served in the period).
-- Training runs are scored at the provider boundary, inference per request (and per 1,000 tokens
-- where tokens per request are declared) at the consumer boundary. Where M is not known the score is
-- left empty (sci_missing_reason says why) and the operational part E x I / R is still given.
with training as (
    select
        workload_id,
        model,
        kind,
        'training run' as functional_unit,
        1.0 as r_units,
        facility_energy_kwh_central as e_kwh,
        intensity_g_per_kwh_central as i_g_per_kwh,
        intensity_source as i_source,
        embodied_kgco2e_central * 1000 as m_gco2e,
        market_kgco2e_central * 1000 as market_operational_gco2e,
        'provider: the training run''s accelerators and host overhead as declared, facility overhead (PUE), '
        || 'embodied share of accelerators and servers; excludes data preparation, storage, networking, '
        || 'experiments and failed runs not declared' as boundary,
        embodied_source as m_source
    from {{ ref('fct_workload_footprint') }}
    where kind = 'training'
),

inference as (
    select
        served.workload_id,
        served.model,
        'inference' as kind,
        served.requests_per_day * served.serving_days as requests,
        served.energy_wh_per_request / 1000 as e_kwh_per_request,
        served.location_gco2e_per_request * 1000 / nullif(served.energy_wh_per_request, 0) as i_g_per_kwh,
        footprint.intensity_source as i_source,
        served.embodied_gco2e_per_request as m_gco2e_per_request,
        served.market_gco2e_per_request,
        served.embodied_source as m_source,
        declared.tokens_per_request_central as tokens_per_request
    from {{ ref('fct_inference_footprint') }} as served
    inner join {{ ref('fct_workload_footprint') }} as footprint on served.workload_id = footprint.workload_id
    inner join {{ ref('stg_workloads__workloads') }} as declared on served.workload_id = declared.workload_id
),

inference_units as (
    select
        workload_id, model, kind, 'request' as functional_unit, requests as r_units,
        e_kwh_per_request * requests as e_kwh, i_g_per_kwh, i_source,
        m_gco2e_per_request * requests as m_gco2e, market_gco2e_per_request * requests as market_operational_gco2e,
        m_source
    from inference
    union all
    select
        workload_id, model, kind, '1,000 tokens', requests * tokens_per_request / 1000,
        e_kwh_per_request * requests, i_g_per_kwh, i_source,
        m_gco2e_per_request * requests, market_gco2e_per_request * requests, m_source
    from inference
    where tokens_per_request > 0
),

scored as (
    select workload_id, model, kind, functional_unit, r_units, e_kwh, i_g_per_kwh, i_source, m_gco2e,
           market_operational_gco2e, boundary, m_source
    from training
    union all
    select workload_id, model, kind, functional_unit, r_units, e_kwh, i_g_per_kwh, i_source, m_gco2e,
           market_operational_gco2e,
           'consumer: serving accelerators and host overhead as declared, facility overhead (PUE), embodied '
           || 'share of the serving hardware over the period; excludes the training of the model (see '
           || 'fct_model_lifecycle), networking and end-user devices', m_source
    from inference_units
)

select
    workload_id,
    model,
    kind,
    functional_unit,
    r_units,
    e_kwh,
    i_g_per_kwh,
    i_source,
    m_gco2e,
    m_source,
    e_kwh * i_g_per_kwh / nullif(r_units, 0) as operational_gco2e_per_unit,
    m_gco2e / nullif(r_units, 0) as embodied_gco2e_per_unit,
    (e_kwh * i_g_per_kwh + m_gco2e) / nullif(r_units, 0) as sci_gco2e_per_unit,
    case
        when e_kwh is null then 'no energy for the workload'
        when i_g_per_kwh is null then 'no location-based intensity for its zone'
        when m_gco2e is null then 'embodied emissions (M) not known for its hardware: the score would omit M'
    end as sci_missing_reason,
    (market_operational_gco2e + m_gco2e) / nullif(r_units, 0) as market_based_gco2e_per_unit,
    boundary
from scored
