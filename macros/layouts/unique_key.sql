{#- Generic test: no two rows share the same values in `columns` (a layout's key is
    period_end + row_order). Rows returned are the duplicated keys. -#}
{% test unique_key(model, columns) -%}
select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{%- endtest %}
