-- The footnotes as data: per table and period, how many cases of the table's population each
-- blank excluded, and T01's note that a blank start timing is counted as 未定・その他.
-- Incremental by period, like int_cases.
{{ config(materialized='period_incremental') }}

with

cases as (
    select * from {{ ref('int_cases') }}
    where {{ in_periods_to_build('period_end') }}
),

memberships as (
    {%- for table in report_tables() %}
    select
        '{{ table.table_id }}' as table_id,
        period_end,
        {{ table.table_id | lower }}_membership as membership
    from cases
    where {{ table.table_id | lower }}_membership != 'INCLUDED'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

exclusions as (
    select
        table_id,
        period_end,
        membership as reason,
        'excluded' as treatment,
        count(*) as case_count
    from memberships
    group by table_id, period_end, membership
),

-- Not an exclusion: the case stays in the table, under the contract's undecided_note code.
{%- set note = report_contract().undecided_note %}
notes as (
    select
        '{{ note.table_id }}' as table_id,
        period_end,
        '{{ note.reason }}' as reason,
        'counted_as_undecided' as treatment,
        count(*) as case_count
    from cases
    where {{ note.table_id | lower }}_membership = 'INCLUDED' and {{ note.column }} is null
    group by period_end
),

combined as (
    select * from exclusions
    union all
    select * from notes
)

select
    table_id,
    period_end,
    reason,
    treatment,
    cast(case_count as bigint) as case_count
from combined
