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

{#- A column of a source table, or a typed null while the table does not have it: a column added by a
    later version appears in a table only when new rows are written, and staging must build before. -#}
{% macro source_column(source_name, table_name, column, type) %}
    {%- set src = source(source_name, table_name) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- set relation = adapter.get_relation(database=src.database, schema=src.schema, identifier=src.identifier) -%}
        {%- if relation is not none -%}
            {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
        {%- endif -%}
    {%- endif -%}
    {{- column if column in names else 'cast(null as ' ~ type ~ ')' -}}
{% endmacro %}
