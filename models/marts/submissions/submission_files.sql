-- Per landed file: how it was read, and every landed row counted as accepted or rejected
-- (rows_landed = rows_accepted + rows_rejected is tested). Warnings name unknown extra columns.
-- Incremental by period folder: a period's files are counted again only when they change.
{{ config(materialized='period_incremental', period_column='period_folder') }}

with

submission_rows as (
    select * from {{ ref('int_submission_rows') }}
    where {{ in_periods_to_build('period_folder') }}
),

files as (
    select * from {{ ref('stg_submissions__files') }}
    where {{ in_periods_to_build('period_folder') }}
),

value_codes as (
    select * from {{ ref('int_value_codes') }}
),

cases as (
    select * from {{ ref('int_cases') }}
    where {{ in_periods_to_build('period_end') }}
),

issues as (
    select * from {{ ref('int_submission_issues') }}
    where {{ in_periods_to_build('period_folder') }}
),

accepted as (
    select
        source_file,
        count(*) as rows_accepted
    from cases
    group by source_file
),

-- The ministry a file comes from: the 府省庁名 its landed rows name, accepted or rejected, so that a
-- ministry whose every row was rejected still has its files, rows and rejects in submission_status.
file_ministries as (
    select
        submission_rows.source_file,
        min(ministry_decided.code) as ministry_code
    from submission_rows
    inner join {{ value_code_join('value_codes', 'ministry', 'submission_rows') }}
    where ministry_decided.code is not null
    group by submission_rows.source_file
),

rejected as (
    select
        source_file,
        count(distinct row_key) as rows_rejected
    from issues
    where row_key is not null
    group by source_file
),

accounted as (
    select
        files.source_file,
        files.period_folder,
        files.period_end,
        file_ministries.ministry_code,
        files.file_format,
        files.encoding,
        files.sheet_name,
        files.header_row,
        files.file_issue,
        files.unknown_columns,
        case
            when files.unknown_columns is not null
                then 'unknown columns kept out of the marts: ' || files.unknown_columns
        end as warning,
        cast(coalesce(files.data_rows, 0) as bigint) as rows_landed,
        cast(coalesce(accepted.rows_accepted, 0) as bigint) as rows_accepted,
        cast(coalesce(rejected.rows_rejected, 0) as bigint) as rows_rejected,
        cast(coalesce(files.empty_rows_skipped, 0) as bigint) as empty_rows_skipped
    from files
    left join accepted
        on files.source_file = accepted.source_file
    left join rejected
        on files.source_file = rejected.source_file
    left join file_ministries
        on files.source_file = file_ministries.source_file
)

select * from accounted
