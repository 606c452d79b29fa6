{#- A number rounded to n significant figures (the reporting forms ask figures "to two significant
    figures"), and the same as text: thousands separated, no trailing digits beyond the n. -#}
{% macro sig_round(expression, n) -%}
    case when ({{ expression }}) is null or ({{ expression }}) = 0 then ({{ expression }})
         else round(({{ expression }}), cast({{ n }} - 1 - floor(log10(abs({{ expression }}))) as integer)) end
{%- endmacro %}

{% macro sig_text(expression, n) -%}
    case when ({{ expression }}) is null then null
         when abs({{ expression }}) >= power(10, {{ n }} - 1) or ({{ expression }}) = 0
             then format('{:,.0f}', {{ sig_round(expression, n) }})
         else printf('%.' || cast({{ n }} - 1 - floor(log10(abs({{ expression }}))) as integer) || 'f',
                     {{ sig_round(expression, n) }}) end
{%- endmacro %}
