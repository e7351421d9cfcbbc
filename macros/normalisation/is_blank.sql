{#- The form's definition of "not answered": empty, whitespace only (full-width included),
    or one of the dashes / 未記入 that ministries type into empty cells. -#}
{% macro is_blank(expr) -%}
    coalesce(
        {{ regexp_replace_all(fold_width(expr), '\\s+', '') }} in ('', '-', '－', '―', '‐', 'ー', '未記入'),
        true
    )
{%- endmacro %}
