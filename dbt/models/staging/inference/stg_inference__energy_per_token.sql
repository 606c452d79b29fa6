with source as (

    select * from {{ source('inference', 'inference_energy_per_token') }}

)

select
    task,
    model_id,
    nickname,
    gpu_model,
    num_gpus,
    total_params_billions,
    activated_params_billions,
    energy_per_token_j_low,
    energy_per_token_j_central,
    energy_per_token_j_high,
    avg_output_tokens,
    configurations,
    source,
    vintage,
    licence
from source
