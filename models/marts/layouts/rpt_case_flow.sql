-- How each usage type's cases moved since the previous report, per period whose previous period
-- is loaded too: new, continuing, reclassified in / out, reactivated, discontinued, not reported,
-- and the stage (検証→常用) and start (開始前→開始済) transitions among cases in both reports.
{%- set flows = [
    ('NEW', 'new_cases'),
    ('CONTINUING', 'continuing_cases'),
    ('RECLASSIFIED', 'reclassified_in_cases'),
    ('RECLASSIFIED_OUT', 'reclassified_out_cases'),
    ('REACTIVATED', 'reactivated_cases'),
    ('DISCONTINUED', 'discontinued_cases'),
    ('NOT_REPORTED', 'not_reported_cases'),
] %}
-- Incremental by period, like int_case_flow.
{{ config(materialized='period_incremental', fingerprint='cells_fingerprint') }}

with

case_flow as (
    select * from {{ ref('int_case_flow') }}
    where {{ in_periods_to_build('period_end') }}
),

code_labels as (
    select * from {{ ref('rpt_code_labels') }}
),

-- A case counts under the usage type it has now, except where only the previous report has it:
-- a case not reported any more counts under its previous usage type, and a reclassified case
-- also counts out of its previous one (so in and out balance over all usage types).
attributed as (
    select
        period_end,
        case when flow = 'NOT_REPORTED' then prior_usage_type else usage_type end as usage_type,
        flow,
        moved_poc_to_production,
        moved_not_started_to_started
    from case_flow
    union all
    select
        period_end,
        prior_usage_type as usage_type,
        'RECLASSIFIED_OUT' as flow,
        false as moved_poc_to_production,
        false as moved_not_started_to_started
    from case_flow
    where flow = 'RECLASSIFIED'
),

counts as (
    select
        period_end,
        case when grouping(usage_type) = 1 then '_T' else usage_type end as usage_type,
        {%- for flow, column in flows %}
        count(*) filter (where flow = '{{ flow }}') as {{ column }},
        {%- endfor %}
        count(*) filter (where moved_poc_to_production) as poc_to_production_cases,
        count(*) filter (where moved_not_started_to_started) as not_started_to_started_cases
    from attributed
    group by period_end, rollup(usage_type)
),

-- Every usage type of every period with flows, zero rows included, then the total.
frame as (
    select
        code_labels.period_end,
        code_labels.code as usage_type,
        code_labels.label_ja as usage_type_ja,
        code_labels.display_order
    from code_labels
    where
        code_labels.code_list = 'usage_type'
        and code_labels.period_end in (select case_flow.period_end from case_flow)
    union all
    select distinct
        period_end,
        '_T' as usage_type,
        '総計' as usage_type_ja,
        null as display_order
    from case_flow
),

final as (
    select
        frame.period_end,
        frame.usage_type,
        frame.usage_type_ja,
        cast(row_number() over (
            partition by frame.period_end
            order by frame.display_order nulls last
        ) as integer) as row_order,
        {%- for flow, column in flows %}
        cast(coalesce(counts.{{ column }}, 0) as bigint) as {{ column }},
        {%- endfor %}
        cast(coalesce(counts.poc_to_production_cases, 0) as bigint) as poc_to_production_cases,
        cast(coalesce(counts.not_started_to_started_cases, 0) as bigint) as not_started_to_started_cases
    from frame
    left join counts
        on frame.period_end = counts.period_end and frame.usage_type = counts.usage_type
)

select * from final
