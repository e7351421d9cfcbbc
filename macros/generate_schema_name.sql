{#- Layers get plain schema names (staging, intermediate, marts, reference, published)
    so analysts type marts.report_cells, not main_marts.report_cells. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
