-- 成果目標: outcome goal × usage type, each count beside its share of the usage type's active
-- cases; the 総計 column's share is the share of all active cases.
{%- set columns = layout_columns(['usage_type']) %}

with

report_cells as (
    select * from {{ ref('report_cells') }}
),

counts as (
    {{ report_layout('T07') | indent(4) }}
),

-- T01 counts every active case (a blank start timing stays in, as 未定・その他), whereas T07
-- excludes the cases with no outcome goal answered: so a column's shares add up to less than 1
-- by exactly the cases T07's footnote excludes, rather than hiding them.
active_cases as (
    select
        period_end,
        {{- layout_pivot(columns) }}
    from report_cells
    where table_id = 'T01' and measure = 'case_count' and start_timing = '_T'
    group by period_end
),

final as (
    select
        counts.period_end,
        counts.row_order,
        counts.{{ adapter.quote('成果目標') }},
        {%- for column in columns %}
        {%- set name = adapter.quote(column.name) %}
        {%- set share = adapter.quote(column.name ~ '_割合') %}
        counts.{{ name }},
        counts.{{ name }} / nullif(active_cases.{{ name }}, 0) as {{ share }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from counts
    inner join active_cases
        on counts.period_end = active_cases.period_end
)

select * from final
