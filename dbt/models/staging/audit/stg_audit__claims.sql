select
    claim_id,
    claim,
    claimed_low,
    claimed_central,
    claimed_high,
    unit,
    known_attribution
from {{ source('audit', 'audit_claims') }}
