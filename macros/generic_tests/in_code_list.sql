{#- Every non-null value of the column is a code of one code list of seed code_lists (plus the
    extra values given, e.g. '_T' for totals). The built-in relationships test cannot restrict the
    parent to one list, and accepted_values would copy the seed into YAML; this reads the seed, so
    a code list stays one rule in one place. Usage:
        - in_code_list:
            arguments:
              code_list: usage_type
              extra_values: ['_T']
    Returns each unknown value with the number of rows holding it. -#}
{% test in_code_list(model, column_name, code_list, extra_values=[]) %}

with

allowed as (
    select code from {{ ref('code_lists') }}
    where code_list = '{{ code_list }}'
    {%- for value in extra_values %}
    union all
    select '{{ value }}'
    {%- endfor %}
)

select
    {{ column_name }} as unknown_code,
    count(*) as occurrences
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in (select allowed.code from allowed)
group by {{ column_name }}

{% endtest %}
