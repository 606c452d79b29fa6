-- Forecasts as issued (ingestion/sources/grid/forecasts.py): the bundled samples and the live
-- table, which exists once a feed has fetched a forward window. A forecast is never rewritten, so
-- the two are only put side by side (a sample's issue time is a recording's, a live one the moment
-- it was fetched: the unique test says if they ever met); no ranking, so a filter on loaded_at
-- reaches each raw table and an hourly refresh reads its new forecasts, not the years before.
with samples as (

    select *, true as is_sample from {{ source('grid', 'grid_intensity_forecast_samples') }}

),

live as (

    select *, false as is_sample
    from ({{ source_if_loaded('grid', 'grid_intensity_forecasts', source('grid', 'grid_intensity_forecast_samples')) }})
        as live_rows

),

unioned as (

    select feed, zone_id, basis, issued_at, issued_at_basis, period_start, period_end, resolution_minutes,
           gco2e_per_kwh, source, licence, retrieved_at, load_id, loaded_at, is_sample
    from samples
    union all
    select feed, zone_id, basis, issued_at, issued_at_basis, period_start, period_end, resolution_minutes,
           gco2e_per_kwh, source, licence, retrieved_at, load_id, loaded_at, is_sample
    from live

)

select
    feed,
    zone_id,
    basis,
    cast(issued_at as timestamp) as issued_at,
    issued_at_basis,
    cast(period_start as timestamp) as period_start,
    cast(period_end as timestamp) as period_end,
    cast(resolution_minutes as integer) as resolution_minutes,
    cast(gco2e_per_kwh as double) as gco2e_per_kwh,
    source,
    licence,
    cast(retrieved_at as timestamp) as retrieved_at,
    load_id,
    cast(loaded_at as timestamp) as loaded_at,
    is_sample
from unioned
