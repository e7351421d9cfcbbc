-- One row per accepted case per period: canonical codes, derived fields, population flags and,
-- for each report table, whether the case is counted or which footnote excludes it.
-- Every rule of report-tables.md that is about a single case lives here.
{%- set coded_columns = [
    'usage_type', 'start_timing', 'user_scope', 'stage', 'confidentiality',
    'outcome_goal', 'output_type', 'discontinued', 'risk_incident', 'high_risk'
] %}

with

submission_rows as (
    select * from {{ ref('stg_submissions__rows') }}
),

coded_values as (
    select * from {{ ref('stg_submissions__coded_values') }}
),

rejected_rows as (
    select distinct row_key from {{ ref('int_submission_issues') }}
    where row_key is not null
),

model_family_keywords as (
    select * from {{ ref('model_family_keywords') }}
),

codes_by_row as (
    select
        row_key,
        {%- for column in coded_columns %}
        max(code) filter (where column_name = '{{ column }}') as {{ column }},
        {%- endfor %}
        max(code) filter (where column_name = 'ministry') as ministry_code
    from coded_values
    group by row_key
),

accepted as (
    select
        submission_rows.period_end,
        codes_by_row.ministry_code,
        submission_rows.case_id,
        {%- for column in coded_columns %}
        codes_by_row.{{ column }},
        {%- endfor %}
        submission_rows.case_name,
        submission_rows.outcome_goal_text,
        submission_rows.model_name,
        submission_rows.source_file,
        submission_rows.sheet_name,
        submission_rows.row_number,
        submission_rows.row_key
    from submission_rows
    inner join codes_by_row
        on submission_rows.row_key = codes_by_row.row_key
    where submission_rows.row_key not in (select rejected_rows.row_key from rejected_rows)
),

-- The family of the first model the free text names: the keyword found earliest wins.
model_matches as (
    select
        accepted.row_key,
        model_family_keywords.model_family,
        row_number() over (
            partition by accepted.row_key
            order by
                instr(lower(accepted.model_name), model_family_keywords.keyword),
                model_family_keywords.priority,
                model_family_keywords.model_family
        ) as match_rank
    from accepted
    inner join model_family_keywords
        on instr(lower(accepted.model_name), model_family_keywords.keyword) > 0
),

derived as (
    select
        accepted.period_end,
        accepted.ministry_code,
        accepted.case_id,
        {%- for column in coded_columns if column != 'discontinued' %}
        accepted.{{ column }},
        {%- endfor %}
        accepted.case_name,
        accepted.outcome_goal_text,
        accepted.model_name,
        accepted.source_file,
        accepted.sheet_name,
        accepted.row_number,
        accepted.row_key,
        case
            when {{ is_blank('accepted.model_name') }} then 'UNANSWERED'
            else coalesce(model_matches.model_family, 'OTHER')
        end as model_family,
        case
            when accepted.start_timing = 'STARTED' then 'STARTED'
            when accepted.start_timing is not null then 'NOT_STARTED'
        end as start_status,
        coalesce(accepted.start_timing, 'UNDECIDED') as start_timing_or_undecided,
        accepted.discontinued = 'DISCONTINUED' is true as is_discontinued,
        accepted.discontinued is null as is_active,
        coalesce(accepted.user_scope in ('EXTERNAL_SPECIFIC', 'EXTERNAL_PUBLIC'), false) as is_external_scope
    from accepted
    left join model_matches
        on accepted.row_key = model_matches.row_key and model_matches.match_rank = 1
),

populations as (
    select
        *,
        is_active and not is_external_scope as is_government_staff,
        is_active and is_external_scope as is_external
    from derived
),

memberships as (
    select
        ministry_code || '/' || case_id as case_key,
        {%- for table in report_tables() %}
        {{ report_membership(table) }} as {{ table.table_id | lower }}_membership,
        {%- endfor %}
        *
    from populations
)

select * from memberships
