{#- How long a declared run lasted, in hours: its period where the workload declares one, else its
    accelerator-hours over its accelerators; null where one accelerator stands for a whole fleet (a
    source that gives GPU-hours only). The AI Act export and the BoAmps reports both read it. -#}
{% macro wall_clock_hours(period_start, period_end, accelerator_hours, accelerator_count) -%}
    case when {{ period_start }} is not null and {{ period_end }} is not null
             then epoch({{ period_end }} - {{ period_start }}) / 3600.0
         when {{ accelerator_count }} > 1 then {{ accelerator_hours }} / {{ accelerator_count }} end
{%- endmacro %}
