{#- A sum that does not depend on the order rows arrive in: doubles are summed as decimals (12
    places) and cast back, so parallel aggregation gives byte-identical rebuilds. -#}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 12))) as double)
{%- endmacro %}
