{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='job_key',
          on_schema_change='fail') }}
-- What a flexible job would have saved: for each job priced on hourly data and each flexibility
-- (hours it may wait), the least-carbon start in hindsight and the saving against when it ran, beside
-- the start a scheduler would have picked on the latest forecast issued before the job was submitted,
-- priced on the actual intensity (the saving as decided), and the regret between the two.
-- Incremental: a refresh copies the jobs int_carbon_aware_replays replayed since the last build; a
-- job that lost its replays leaves (post_hook).
select
    replays.job_key,
    jobs.cluster,
    jobs.account,
    jobs.zone_id,
    cast(replays.flexibility_h as integer) as flexibility_h,
    jobs.start_utc as original_start_utc,
    replays.best_start as best_start_utc,
    cast(replays.delay_h as integer) as delay_h,
    replays.original_kgco2e,
    replays.best_kgco2e,
    replays.saving_kgco2e,
    replays.saving_share,
    replays.signal,
    replays.forecast_issued_at,
    replays.decision,
    jobs.submit_utc,
    replays.decided_start as decided_start_utc,
    cast(replays.decided_delay_h as integer) as decided_delay_h,
    replays.decided_kgco2e,
    replays.original_kgco2e - replays.decided_kgco2e as saving_as_decided_kgco2e,
    replays.decided_kgco2e - replays.best_kgco2e as regret_kgco2e,
    replays.loaded_at
from {{ ref('int_carbon_aware_replays') }} as replays
inner join {{ ref('int_jobs_unified') }} as jobs on replays.job_key = jobs.job_key
where replays.flexibility_h is not null  -- a job without a replay keeps one row without a flexibility
{% if is_incremental() %}
    and replays.loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
{% endif %}
