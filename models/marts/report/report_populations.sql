-- Per table and period: the population the table describes, how many of its cases are counted,
-- and how many the footnotes exclude (population = included + excluded).
-- Incremental by period, like int_cases.
{{ config(materialized='period_incremental') }}

with

periods as (
    select distinct period_end from {{ rows_to_build(ref('int_cases'), 'period_end') }} as cases
),

populations as (
    {%- for table in report_tables() %}
    select
        '{{ table.table_id }}' as table_id,
        periods.period_end,
        count(cases.case_key) as population_cases,
        count(cases.case_key) filter (
            where cases.{{ table.table_id | lower }}_membership = 'INCLUDED'
        ) as included_cases,
        count(cases.case_key) filter (
            where cases.{{ table.table_id | lower }}_membership != 'INCLUDED'
        ) as excluded_cases
    from periods
    left join {{ rows_to_build(ref('int_cases'), 'period_end') }} as cases
        on periods.period_end = cases.period_end and cases.{{ table.table_id | lower }}_membership is not null
    group by periods.period_end
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    table_id,
    period_end,
    cast(population_cases as bigint) as population_cases,
    cast(included_cases as bigint) as included_cases,
    cast(excluded_cases as bigint) as excluded_cases
from populations
