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

{#- Rows of a source table, or no rows of the typed `columns` (name -> SQL type) while it does not
    exist yet: for a live table no bundled sample has the shape of. -#}
{% macro source_or_empty(source_name, table_name, columns) %}
    {%- set src = source(source_name, table_name) -%}
    {%- set relation = adapter.get_relation(database=src.database, schema=src.schema, identifier=src.identifier) -%}
    {%- if relation is not none -%}
        select {{ columns.keys() | join(', ') }} from {{ src }}
    {%- else -%}
        select {% for name, type in columns.items() %}cast(null as {{ type }}) as {{ name }}{{ ', ' if not loop.last }}{% endfor %} where false
    {%- endif -%}
{% endmacro %}
