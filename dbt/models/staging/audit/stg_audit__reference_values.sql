select
    reference_id,
    quantity,
    low,
    central,
    high,
    unit,
    year,
    source,
    licence
from {{ source('audit', 'audit_reference_values') }}
