-- One row per accepted case per period: canonical codes, derived fields, population flags and,
-- for each report table, whether the case is counted or which footnote excludes it.
-- Every rule of docs/spec/report-tables.md that is about a single case lives here.
-- Incremental by period: a period's cases are derived again only when its files change.
{{ config(materialized='period_incremental') }}
{%- set coded_columns = coded_columns() | reject('equalto', 'ministry') | list %}

with

submission_rows as (
    select * from {{ ref('int_submission_rows') }}
    where {{ in_periods_to_build('period_end') }}
),

value_codes as (
    select * from {{ ref('int_value_codes') }}
),

rejected_rows as (
    select distinct row_key from {{ ref('int_submission_issues') }}
    where row_key is not null and {{ in_periods_to_build('period_end') }}
),

model_family_keywords as (
    select * from {{ ref('model_family_keywords') }}
),

-- The joins are generated per coded column; their rendered layout varies, hence LT02 is off here.
-- noqa: disable=LT02
accepted as (
    select
        submission_rows.period_end,
        ministry_decided.code as ministry_code,
        submission_rows.case_id,
        {%- for column in coded_columns %}
        {{ column }}_decided.code as {{ column }},
        {%- endfor %}
        submission_rows.case_name,
        submission_rows.outcome_goal_text,
        submission_rows.model_name,
        submission_rows.source_file,
        submission_rows.sheet_name,
        submission_rows.row_number,
        submission_rows.row_key
    from submission_rows
    {%- for column in ['ministry'] + coded_columns %}
    left join {{ value_code_join('value_codes', column, 'submission_rows') }}
    {%- endfor %}
    where submission_rows.row_key not in (select rejected_rows.row_key from rejected_rows)
),
-- noqa: enable=LT02

-- The family of the first model the free text names: the keyword found earliest wins.
-- Decided once per distinct text (names repeat across cases), then joined back.
-- From the rows, not from accepted: a second reader of accepted would make DuckDB materialise it
-- (docs/developers.md, "Per-row relations"); a rejected row's name only adds an unused match.
model_names as (
    select distinct model_name from {{ ref('int_submission_rows') }}
    where model_name is not null and {{ in_periods_to_build('period_end') }}
),

model_matches as (
    select
        model_names.model_name,
        model_family_keywords.model_family,
        row_number() over (
            partition by model_names.model_name
            order by
                instr(lower(model_names.model_name), model_family_keywords.keyword),
                model_family_keywords.priority,
                model_family_keywords.model_family
        ) as match_rank
    from model_names
    inner join model_family_keywords
        on instr(lower(model_names.model_name), model_family_keywords.keyword) > 0
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
            when accepted.model_name is null then 'UNANSWERED'
            else coalesce(model_matches.model_family, 'OTHER')
        end as model_family,
        case
            when accepted.start_timing = 'STARTED' then 'STARTED'
            when accepted.start_timing is not null then 'NOT_STARTED'
        end as start_status,
        coalesce(accepted.start_timing, 'UNDECIDED') as start_timing_or_undecided,
        accepted.discontinued = 'DISCONTINUED' is true as is_discontinued,
        accepted.discontinued is null as is_active,
        coalesce(
            accepted.user_scope in {{ report_code_group('user_scope_groups', 'external') }}, false
        ) as is_external_scope
    from accepted
    left join model_matches
        on accepted.model_name = model_matches.model_name and model_matches.match_rank = 1
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
