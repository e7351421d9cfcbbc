-- Every reason a landed row (or a whole file) cannot be accepted, one row per problem,
-- with the file, row, column and value a ministry needs to fix it.
with

files as (
    select * from {{ ref('stg_submissions__files') }}
),

submission_rows as (
    select * from {{ ref('stg_submissions__rows') }}
),

coded_values as (
    select * from {{ ref('stg_submissions__coded_values') }}
),

submission_columns as (
    select * from {{ ref('submission_columns') }}
),

reject_reasons as (
    select * from {{ ref('reject_reasons') }}
),

file_issues as (
    select
        files.source_file,
        submission_rows.row_key,
        submission_rows.row_number,
        files.period_end,
        case when files.file_issue = 'MISSING_REQUIRED_COLUMN' then files.missing_columns end as column_name,
        case
            when files.file_issue = 'UNREADABLE_FILE' then files.file_error
            when files.file_issue in ('FILE_OUTSIDE_PERIOD_FOLDER', 'UNKNOWN_PERIOD_FOLDER')
                then coalesce(files.period_folder, '(landing root)')
        end as raw_value,
        files.file_issue as reason,
        null as detail
    from files
    left join submission_rows
        on files.source_file = submission_rows.source_file
    where files.file_issue is not null
),

value_issues as (
    select
        submission_rows.source_file,
        coded_values.row_key,
        submission_rows.row_number,
        coded_values.period_end,
        coded_values.column_name,
        coded_values.raw_value,
        coded_values.value_issue as reason,
        coded_values.match_note as detail
    from coded_values
    inner join submission_rows
        on coded_values.row_key = submission_rows.row_key
    where coded_values.value_issue is not null
),

missing_free_text as (
    select
        source_file,
        row_key,
        row_number,
        period_end,
        'case_id' as column_name,
        case_id_raw as raw_value,
        'MISSING_REQUIRED_VALUE' as reason,
        null as detail
    from submission_rows
    where case_id is null and file_issue is null
    union all
    select
        source_file,
        row_key,
        row_number,
        period_end,
        'case_name' as column_name,
        case_name as raw_value,
        'MISSING_REQUIRED_VALUE' as reason,
        null as detail
    from submission_rows
    where case_name is null and file_issue is null
),

case_keys as (
    select
        submission_rows.source_file,
        submission_rows.row_key,
        submission_rows.row_number,
        submission_rows.period_end,
        submission_rows.case_id,
        submission_rows.case_id_raw,
        coded_values.code as ministry_code
    from submission_rows
    inner join coded_values
        on submission_rows.row_key = coded_values.row_key and coded_values.column_name = 'ministry'
    where
        submission_rows.period_end is not null
        and submission_rows.case_id is not null
        and coded_values.code is not null
),

-- Every row of a (period, ministry, case id) with how many rows share it and where they are.
case_key_places as (
    select
        *,
        count(*) over (partition by period_end, ministry_code, case_id) as rows_with_key,
        {{ ordered_string_agg(
            "source_file || ' row ' || row_number", '; ', 'source_file, row_number'
        ) }} over (partition by period_end, ministry_code, case_id) as places
    from case_keys
),

duplicate_cases as (
    select
        source_file,
        row_key,
        row_number,
        period_end,
        'case_id' as column_name,
        case_id_raw as raw_value,
        'DUPLICATE_CASE' as reason,
        'ministry ' || ministry_code || ', case id ' || case_id || ' appears on: ' || places as detail
    from case_key_places
    where rows_with_key > 1
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

described as (
    select
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
        all_issues.detail,
        all_issues.source_file
        || coalesce(', row ' || all_issues.row_number, '')
        || coalesce(
            ', column '
            || coalesce(submission_columns.header_ja || ' (' || all_issues.column_name || ')', all_issues.column_name),
            ''
        )
        || coalesce(
            ', value "'
            || case
                when submission_columns.is_restricted and all_issues.raw_value is not null then '(非公開 / restricted)'
                else all_issues.raw_value
            end
            || '"',
            case when all_issues.row_number is not null then ', value (blank)' else '' end
        )
        || ': ' || reject_reasons.message_en
        || coalesce(' — ' || all_issues.detail, '') as message_en,
        reject_reasons.message_ja
    from all_issues
    left join reject_reasons
        on all_issues.reason = reject_reasons.reason
    left join submission_columns
        on all_issues.column_name = submission_columns.column_name
)

select * from described
