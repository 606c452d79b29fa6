{#- Rows of a source table, or no rows (with the columns of `like`) while it does not exist yet:
    live feed tables appear only once a feed partition has run, but the marts must build offline. -#}
{% macro source_if_loaded(source_name, table_name, like) %}
    {%- set src = source(source_name, table_name) -%}
    {%- set relation = adapter.get_relation(database=src.database, schema=src.schema, identifier=src.identifier) -%}
    {%- if relation is not none -%}
        select * from {{ src }}
    {%- else -%}
        select * from {{ like }} where 1 = 0
    {%- endif -%}
{% endmacro %}
