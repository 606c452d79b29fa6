select
    server_id,
    server,
    accelerators_per_server,
    generation_year,
    embodied_kgco2e,
    scope,
    source,
    source_url,
    vintage,
    licence
from {{ source('audit', 'published_server_embodied') }}
