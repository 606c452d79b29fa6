{#- Upkeep of the incremental python models (int_gpu_power_hourly, int_job_days_attributed,
    int_carbon_aware_replays), as post_hooks: delete+insert replaces the keys a refresh recomputed;
    these do what it cannot. Post, not pre: a pre_hook opens dbt's transaction before the python model
    writes its rows (on a cursor of its own), and the transaction would not see them. -#}

{#- Rows whose key is gone from the model's input (a removed log, a job re-logged under another zone)
    leave too; delete+insert would keep them, as it deletes only the keys it inserts. -#}
{% macro delete_rows_gone_from(input, keys) %}
    {%- if is_incremental() -%}
        delete from {{ this }} as kept where not exists (
            select 1 from {{ input }} as current_rows
            where {% for key in keys %}current_rows.{{ key }} = kept.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}
        )
    {%- endif -%}
{% endmacro %}

{#- The newest loaded_at of the hourly intensities the model priced with, kept per model in
    intermediate.incremental_watermarks (its column loaded_at, a load time like every loaded_at); the
    next refresh reprices the jobs and hours touched by the intensities loaded after it. Kept apart
    from the model's rows: a refresh that changed no row still moves it on, so the intensities it
    saw are not read again by every later refresh. -#}
{% macro record_watermark(intensities) %}
    create table if not exists {{ this.schema }}.incremental_watermarks (model varchar primary key, loaded_at timestamp);
    insert or replace into {{ this.schema }}.incremental_watermarks
    select '{{ this.identifier }}', (select max(loaded_at) from {{ intensities }})
{% endmacro %}

{#- dbt-duckdb writes an incremental python model's new rows to a table in the main schema, not to a
    temporary one, and leaves it there (1.11.1): drop it once merged. -#}
{% macro drop_python_batch_tables() %}
    {%- if execute and is_incremental() -%}
        {%- set leftovers = run_query("select table_name from duckdb_tables() where schema_name = 'main' and "
                                      ~ "starts_with(table_name, '" ~ this.identifier ~ "__dbt_tmp')") -%}
        {%- for row in leftovers.rows %}drop table if exists main."{{ row[0] }}";{% endfor -%}
    {%- endif -%}
{% endmacro %}
