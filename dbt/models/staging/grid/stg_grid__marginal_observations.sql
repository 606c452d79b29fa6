-- WattTime's marginal emissions rate (ingestion/sources/grid/feeds/watttime.py), hourly already:
-- the actual (issued_at null) and each forecast as issued. The live table exists once the feed has
-- run; no sample is bundled (WattTime's data is not openly licensed), so until then no rows.
select
    feed,
    region,
    signal,
    kind,
    cast(issued_at as timestamp) as issued_at,
    cast(period_start as timestamp) as period_start,
    cast(period_end as timestamp) as period_end,
    cast(points as integer) as points,
    cast(gco2e_per_kwh as double) as gco2e_per_kwh,
    model_date,
    source,
    licence,
    cast(retrieved_at as timestamp) as retrieved_at,
    cast(loaded_at as timestamp) as loaded_at
from ({{ source_or_empty('grid', 'grid_marginal_observations', {
    'feed': 'varchar', 'region': 'varchar', 'signal': 'varchar', 'kind': 'varchar', 'issued_at': 'timestamp',
    'period_start': 'timestamp', 'period_end': 'timestamp', 'points': 'integer', 'gco2e_per_kwh': 'double',
    'model_date': 'varchar', 'source': 'varchar', 'licence': 'varchar', 'retrieved_at': 'timestamp',
    'loaded_at': 'timestamp'}) }}) as live_rows
