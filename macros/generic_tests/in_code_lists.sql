{#- Every non-null value of each listed column is a code of its code list (seed code_lists), plus
    the extra values given (e.g. '_T' for totals): the seed stays the one place a code list is
    written, and one test checks all of a model's coded columns (one dbt node, not one per column).
    Usage:
        - in_code_lists:
            arguments:
              code_lists: {usage_type: usage_type, start_timing: start_timing}
              extra_values: ['_T']
    Returns each unknown value with its column and the number of rows holding it. -#}
{% test in_code_lists(model, code_lists, extra_values=[]) %}

with

allowed as (
    select
        code_list,
        code
    from {{ ref('code_lists') }}
    {%- for value in extra_values %}
    union all
    select distinct
        code_list,
        '{{ value }}' as code
    from {{ ref('code_lists') }}
    {%- endfor %}
)

{% for column, code_list in code_lists.items() -%}
select
    '{{ column }}' as column_name,
    {{ column }} as unknown_code,
    count(*) as occurrences
from {{ model }}
where
    {{ column }} is not null
    and {{ column }} not in (select allowed.code from allowed where allowed.code_list = '{{ code_list }}')
group by {{ column }}
{% if not loop.last %}union all
{% endif %}
{%- endfor %}

{% endtest %}
