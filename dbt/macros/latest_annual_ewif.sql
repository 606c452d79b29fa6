{#- One off-site water intensity per zone: its latest annual value (EWIF, L per kWh generated).
    Callers fall back to the zone's country where the zone itself has none. -#}
{% macro latest_annual_ewif() %}
    select zone_id, ewif_l_per_kwh
    from {{ ref('fct_zone_water_intensity') }}
    where granularity = 'annual'
    qualify row_number() over (partition by zone_id order by year desc) = 1
{% endmacro %}
