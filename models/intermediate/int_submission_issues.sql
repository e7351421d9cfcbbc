-- Every reason a landed row (or a whole file) cannot be accepted, one row per problem,
-- with the file, row, column and value a ministry needs to fix it.
-- Incremental by period folder: a period's issues are decided again only when its files change.
{{ config(materialized='period_incremental', period_column='period_folder') }}

with

files as (
    select * from {{ ref('stg_submissions__files') }}
    where {{ in_periods_to_build('period_folder') }}
),

-- Only the spellings that were not accepted: the join back to rows stays small.
value_codes_with_issues as (
    select * from {{ ref('int_value_codes') }}
    where value_issue is not null
),

value_codes as (
    select * from {{ ref('int_value_codes') }}
),

submission_columns as (
    select * from {{ ref('submission_columns') }}
),

reject_reasons as (
    select * from {{ ref('reject_reasons') }}
),

file_issues as (
    select
        files.period_folder,
        files.source_file,
        submission_rows.row_key,
        submission_rows.row_number,
        files.period_end,
        case when files.file_issue = 'MISSING_REQUIRED_COLUMN' then files.missing_columns end as column_name,
        case
            when files.file_issue in ('UNREADABLE_FILE', 'NOT_A_REGULAR_FILE', 'INVALID_FILE_NAME')
                then files.file_error
            when files.file_issue in ('FILE_OUTSIDE_PERIOD_FOLDER', 'UNKNOWN_PERIOD_FOLDER')
                then coalesce(nullif(files.period_folder, ''), '(landing root)')
        end as raw_value,
        files.file_issue as reason,
        null as detail
    from files
    left join {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as submission_rows
        on files.source_file = submission_rows.source_file
    where files.file_issue is not null
),

value_issues as (
    {%- for column in coded_columns() %}
    select
        submission_rows.period_folder,
        submission_rows.source_file,
        submission_rows.row_key,
        submission_rows.row_number,
        submission_rows.period_end,
        '{{ column }}' as column_name,
        submission_rows.{{ column }}_raw as raw_value,
        {{ column }}_decided.value_issue as reason,
        {{ column }}_decided.match_note as detail
    from {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as submission_rows
    inner join {{ value_code_join('value_codes_with_issues', column, 'submission_rows') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

missing_free_text as (
    select
        period_folder,
        source_file,
        row_key,
        row_number,
        period_end,
        'case_id' as column_name,
        case_id_raw as raw_value,
        'MISSING_REQUIRED_VALUE' as reason,
        null as detail
    from {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as submission_rows
    where case_id is null and file_issue is null
    union all
    select
        period_folder,
        source_file,
        row_key,
        row_number,
        period_end,
        'case_name' as column_name,
        case_name as raw_value,
        'MISSING_REQUIRED_VALUE' as reason,
        null as detail
    from {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as submission_rows
    where case_name is null and file_issue is null
),

case_keys as (
    select
        submission_rows.period_folder,
        submission_rows.source_file,
        submission_rows.row_key,
        submission_rows.row_number,
        submission_rows.period_end,
        submission_rows.case_id,
        submission_rows.case_id_raw,
        ministry_decided.code as ministry_code
    from {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as submission_rows
    inner join {{ value_code_join('value_codes', 'ministry', 'submission_rows') }}
    where
        submission_rows.period_end is not null
        and submission_rows.case_id is not null
        and ministry_decided.code is not null
),

-- The (period, ministry, case id) keys more than one row carries: counted first, so that only
-- the few duplicated rows are gathered below (a window over every row costs far more).
repeated_keys as (
    select
        period_end,
        ministry_code,
        case_id
    from case_keys
    group by period_end, ministry_code, case_id
    having count(*) > 1
),

-- Every row of a repeated key with where all of the key's rows are.
case_key_places as (
    select
        case_keys.*,
        {{ ordered_string_agg(
            "case_keys.source_file || ' row ' || case_keys.row_number", '; ',
            'case_keys.source_file, case_keys.row_number'
        ) }} over (
            partition by case_keys.period_end, case_keys.ministry_code, case_keys.case_id
        ) as places
    from case_keys
    inner join repeated_keys
        on
            case_keys.period_end = repeated_keys.period_end
            and case_keys.ministry_code = repeated_keys.ministry_code
            and case_keys.case_id = repeated_keys.case_id
),

duplicate_cases as (
    select
        period_folder,
        source_file,
        row_key,
        row_number,
        period_end,
        'case_id' as column_name,
        case_id_raw as raw_value,
        'DUPLICATE_CASE' as reason,
        'ministry ' || ministry_code || ', case id ' || case_id || ' appears on: ' || places as detail
    from case_key_places
),

all_issues as (
    select * from file_issues
    union all
    select * from value_issues
    union all
    select * from missing_free_text
    union all
    select * from duplicate_cases
),

-- The issue with its column's header and the value a message may show.
located as (
    select
        all_issues.period_folder,
        all_issues.source_file,
        all_issues.row_key,
        all_issues.row_number,
        all_issues.period_end,
        all_issues.column_name,
        submission_columns.header_ja,
        all_issues.raw_value,
        -- 非公開 columns (高リスク判定) never show their value in a message or a public mart.
        case
            when submission_columns.is_restricted and all_issues.raw_value is not null then '(非公開 / restricted)'
            else all_issues.raw_value
        end as shown_value,
        all_issues.reason,
        all_issues.detail
    from all_issues
    left join submission_columns
        on all_issues.column_name = submission_columns.column_name
),

-- One message per language, each naming the file, row, column (header and name) and value:
--   2025-12-31/moj.csv, row 5, column 利用類型 (usage_type), value "汎用型9": <reason_en>
--   2025-12-31/moj.csv 5行目 列「利用類型」（usage_type） 値「汎用型9」: <reason_ja>
described as (
    select
        located.*,
        located.source_file
        || coalesce(', row ' || located.row_number, '')
        || coalesce(
            ', column ' || coalesce(located.header_ja || ' (' || located.column_name || ')', located.column_name), ''
        )
        || coalesce(
            ', value "' || located.shown_value || '"',
            case when located.row_number is not null then ', value (blank)' else '' end
        )
        || ': ' || reject_reasons.message_en
        || coalesce(' — ' || located.detail, '') as message_en,
        located.source_file
        || coalesce(' ' || located.row_number || '行目', '')
        || coalesce(
            ' 列' || coalesce('「' || located.header_ja || '」（' || located.column_name || '）', located.column_name), ''
        )
        || coalesce(
            ' 値「' || located.shown_value || '」',
            case when located.row_number is not null then ' 値（空欄）' else '' end
        )
        || ': ' || reject_reasons.message_ja
        || coalesce(' — ' || located.detail, '') as message_ja
    from located
    left join reject_reasons
        on located.reason = reject_reasons.reason
)

select * from described
