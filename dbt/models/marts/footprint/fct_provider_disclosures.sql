-- Each provider's published footprint of a prompt (or response, or model lifecycle) beside the
-- warehouse's pricing of the same stated energy with its own factors: the difference, and the scope
-- gap that explains it (market- versus location-based carbon, on-site versus total water).
with disclosures as (select * from {{ ref('stg_audit__provider_disclosures') }}),

priced as (select * from {{ ref('fct_inference_footprint') }}),

footprint as (select workload_id, intensity_source, pue_central, wue_source, ewif_source
              from {{ ref('fct_workload_footprint') }})

select
    disclosures.disclosure_id,
    disclosures.provider,
    disclosures.service,
    disclosures.published,
    disclosures.unit_of_use,
    disclosures.scope,
    disclosures.energy_wh as published_energy_wh,
    disclosures.energy_basis as published_energy_basis,
    disclosures.gco2e as published_gco2e,
    disclosures.carbon_basis as published_carbon_basis,
    disclosures.water_ml as published_water_ml,
    disclosures.water_scope as published_water_scope,
    disclosures.workload_id,
    priced.energy_wh_per_request as warehouse_energy_wh,
    priced.location_gco2e_per_request as warehouse_location_gco2e,
    priced.market_gco2e_per_request as warehouse_market_gco2e,
    priced.water_onsite_ml_per_request as warehouse_water_onsite_ml,
    priced.water_offsite_ml_per_request as warehouse_water_offsite_ml,
    priced.water_ml_per_request as warehouse_water_ml,
    priced.energy_wh_per_request / nullif(disclosures.energy_wh, 0) as energy_ratio,
    priced.location_gco2e_per_request / nullif(disclosures.gco2e, 0) as location_carbon_ratio,
    priced.water_onsite_ml_per_request / nullif(disclosures.water_ml, 0) as onsite_water_ratio,
    priced.water_ml_per_request / nullif(disclosures.water_ml, 0) as total_water_ratio,
    abs(priced.energy_wh_per_request / nullif(disclosures.energy_wh, 0) - 1) <= disclosures.relative_rounding
        as energy_within_rounding,
    case
        when disclosures.workload_id is null then
            'no energy published: the figures are a lifecycle analysis''s totals, which the warehouse cannot '
            || 'recompute from stated inputs (' || disclosures.scope || ')'
        else concat_ws('; ',
            case when disclosures.carbon_basis = 'market' then
                'carbon: published market-based (the provider''s contracted clean energy); the warehouse''s '
                || 'location-based figure uses ' || footprint.intensity_source end,
            case when disclosures.carbon_basis is null then 'carbon: not published' end,
            case when disclosures.water_scope = 'on-site' then
                'water: published on site only (cooling); the warehouse adds the off-site water of the '
                || 'electricity (' || footprint.ewif_source || ')' end,
            case when disclosures.water_scope = 'unstated' then
                'water: scope not stated; compared with the warehouse''s on-site figure and its on-site + '
                || 'off-site total' end,
            case when disclosures.energy_basis = 'unstated' then
                'energy: what it includes is not stated; taken as facility energy (PUE '
                || cast(round(footprint.pue_central, 2) as varchar) || ' not applied again)' end)
    end as scope_gap,
    disclosures.source,
    disclosures.source_url
from disclosures
left join priced on disclosures.workload_id = priced.workload_id
left join footprint on disclosures.workload_id = footprint.workload_id
