-- Hardware efficiency over generations: peak dense throughput per watt at each precision, memory
-- per watt, and each accelerator's rank within its vendor's line and within its release year.
select
    canonical_name,
    vendor,
    family,
    release_date,
    release_year,
    tdp_w,
    tdp_basis,
    memory_gb,
    peak_fp32_tflops * 1000 / tdp_w as fp32_gflops_per_w,
    peak_tf32_tflops * 1000 / tdp_w as tf32_gflops_per_w,
    peak_bf16_fp16_tflops * 1000 / tdp_w as bf16_fp16_gflops_per_w,
    peak_fp8_tflops * 1000 / tdp_w as fp8_gflops_per_w,
    memory_gb / tdp_w as memory_gb_per_w,
    cast(case when peak_bf16_fp16_tflops is not null then rank() over (
        partition by vendor, peak_bf16_fp16_tflops is not null
        order by peak_bf16_fp16_tflops / tdp_w desc) end as integer) as bf16_fp16_rank_in_vendor,
    cast(case when peak_bf16_fp16_tflops is not null and release_year is not null then rank() over (
        partition by release_year, peak_bf16_fp16_tflops is not null and release_year is not null
        order by peak_bf16_fp16_tflops / tdp_w desc) end as integer) as bf16_fp16_rank_in_year,
    source
from {{ ref('dim_accelerators') }}
