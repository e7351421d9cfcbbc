-- One row per (landed row, categorical column): the raw value, its lookup key and the code it
-- normalises to — or why it does not. The single place where spellings become codes.
{%- set coded_columns = [
    'ministry', 'usage_type', 'start_timing', 'user_scope', 'stage', 'confidentiality',
    'outcome_goal', 'output_type', 'discontinued', 'risk_incident', 'high_risk'
] %}

with

submission_rows as (
    select * from {{ ref('stg_submissions__rows') }}
),

submission_columns as (
    select * from {{ ref('submission_columns') }}
),

code_keys as (
    select * from {{ ref('stg_reference__code_keys') }}
),

unpivoted as (
    {%- for column in coded_columns %}
    select
        row_key,
        period_end,
        fiscal_year_reiwa,
        form_version,
        '{{ column }}' as column_name,
        {{ column }}_raw as raw_value
    from submission_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

folded as (
    select
        *,
        {{ is_blank('raw_value') }} as is_blank,
        {{ normalise_code('raw_value') }} as normalised_value
    from unpivoted
),

keyed as (
    select
        *,
        {{ relative_year_key('normalised_value', 'fiscal_year_reiwa') }} as lookup_key
    from folded
),

matched as (
    select
        keyed.*,
        submission_columns.header_ja,
        submission_columns.code_list,
        submission_columns.is_required,
        nullif(submission_columns.blank_code, '') as blank_code,
        code_keys.lookup_key is not null as is_known_spelling,
        code_keys.code as matched_code,
        code_keys.note as match_note,
        code_keys.offered_on_form
    from keyed
    inner join submission_columns
        on keyed.column_name = submission_columns.column_name
    left join code_keys
        on
            submission_columns.code_list = code_keys.code_list
            and keyed.lookup_key = code_keys.lookup_key
            and code_keys.form_version in ('*', keyed.form_version)
            and not keyed.is_blank
),

decided as (
    select
        row_key,
        period_end,
        column_name,
        header_ja,
        code_list,
        raw_value,
        is_blank,
        lookup_key,
        case
            when is_blank then blank_code
            when offered_on_form in ('*', form_version) then matched_code
        end as code,
        case
            when is_blank and is_required then 'MISSING_REQUIRED_VALUE'
            when is_blank then null
            when not is_known_spelling and column_name = 'ministry' then 'UNKNOWN_MINISTRY'
            when not is_known_spelling and lookup_key like '%{FY%' then 'WRONG_FISCAL_YEAR'
            when not is_known_spelling then 'UNKNOWN_VALUE'
            when matched_code is null then 'AMBIGUOUS_VALUE'
            when offered_on_form not in ('*', form_version) then 'CODE_NOT_ON_FORM'
        end as value_issue,
        match_note
    from matched
)

select * from decided
