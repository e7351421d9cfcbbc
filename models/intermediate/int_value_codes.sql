-- The normalisation dictionary: one row per distinct (column, raw value, form version, fiscal
-- year) ever landed, with its lookup key and the code it normalises to — or why it does not.
-- Spellings are few even when rows are many, so normalise_code() runs once per distinct value
-- and rows get their codes back by joining on the value (value_code_join). The single place
-- where spellings become codes. Incremental: a run adds only the values it has not decided yet
-- (a change to the rule or the seeds makes `make build` rebuild it in full).
{{ config(materialized='period_incremental', append_only=true) }}

with

submission_columns as (
    select * from {{ ref('submission_columns') }}
),

code_keys as (
    select * from {{ ref('stg_reference__code_keys') }}
),

distinct_values as (
    {%- for column in coded_columns() %}
    select distinct
        '{{ column }}' as column_name,
        {{ column }}_raw as raw_value,
        form_version,
        fiscal_year_reiwa
    from {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as rows_to_read
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

new_values as (
    select distinct_values.*
    from distinct_values
    {%- if is_period_incremental() %}
    where not exists (
        select 1 from {{ this }} as decided
        where
            decided.column_name = distinct_values.column_name
            and decided.raw_value is not distinct from distinct_values.raw_value
            and decided.form_version is not distinct from distinct_values.form_version
            and decided.fiscal_year_reiwa is not distinct from distinct_values.fiscal_year_reiwa
    )
    {%- endif %}
),

folded as (
    select
        *,
        {{ is_blank('raw_value') }} as is_blank,
        {{ normalise_code('raw_value') }} as normalised_value
    from new_values
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
        column_name,
        raw_value,
        form_version,
        fiscal_year_reiwa,
        header_ja,
        code_list,
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
