{#- None of the listed columns holds a NULL: one query per model instead of one test per column
    (a test costs a dbt node and a scan; a model's non-null columns are checked in one scan).
    Usage, on a model or seed:
        data_tests:
          - not_null_columns:
              arguments:
                columns: [period_end, table_id]
    Returns one row per column that has NULLs, with how many rows. -#}
{% test not_null_columns(model, columns) %}

with

null_counts as (
    select
        {%- for column in columns %}
        count(*) filter (where {{ column }} is null) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
)

{% for column in columns -%}
select
    '{{ column }}' as column_name,
    {{ column }} as null_rows
from null_counts
where {{ column }} > 0
{% if not loop.last %}union all
{% endif %}
{%- endfor %}

{% endtest %}
