{#- Use the folder's schema exactly (raw, staging, intermediate, marts), not dbt's
    default "<target schema>_<custom schema>", so BI users see the warehouse layers by name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
