with source as (

    select * from {{ source('hardware', 'hardware_accelerators') }}

),

renamed as (

    select
        lower(regexp_replace(trim(canonical_name), '[^A-Za-z0-9]+', '-', 'g')) as accelerator_id,
        trim(canonical_name) as canonical_name,
        vendor,
        family,
        form_factor,
        cast(tdp_w as double) as tdp_w,
        cast(tdp_min_w as double) as tdp_min_w,
        cast(tdp_max_w as double) as tdp_max_w,
        tdp_basis,
        cast(memory_gb as double) as memory_gb,
        cast(die_area_mm2 as double) as die_area_mm2,
        cast(process_nm as double) as process_nm,
        cast(peak_fp32_tflops as double) as peak_fp32_tflops,
        cast(peak_tf32_tflops as double) as peak_tf32_tflops,
        cast(peak_bf16_fp16_tflops as double) as peak_bf16_fp16_tflops,
        cast(peak_fp8_tflops as double) as peak_fp8_tflops,
        cast(release_date as date) as release_date,
        cast(embodied_kgco2e as double) as embodied_kgco2e,
        embodied_source,
        aliases,
        source,
        source_url,
        vintage,
        licence,
        notes,
        source_file,
        source_row,
        load_id
    from source

)

select * from renamed
