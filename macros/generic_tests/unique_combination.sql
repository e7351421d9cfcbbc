{#- A key made of several columns is unique, NULL counted as a value of its own.
    report_cells is keyed by (table_id, period_end, the nine dimensions, measure) and a NULL
    dimension means "not a dimension of this table", so two cells differing only by NULL vs a code
    are different cells, and two cells with the same NULLs are duplicates. GROUP BY treats NULLs
    as equal, which is exactly that (dbt_utils.unique_combination_of_columns is not installed).
    Usage, on a model or seed:
        data_tests:
          - unique_combination:
              arguments:
                columns: [table_id, period_end, measure]
    Returns one row per duplicated key, with how many times it occurs. -#}
{% test unique_combination(model, columns) %}

select
    {% for column in columns -%}
    {{ column }},
    {% endfor -%}
    count(*) as occurrences
from {{ model }}
group by
    {% for column in columns -%}
    {{ column }}{{ "," if not loop.last }}
    {% endfor -%}
having count(*) > 1

{% endtest %}
