-- One row per landed data row, as stg_submissions__rows reads it, with its file's problem: the
-- rows kept once per period for the dictionary, the rejects and the submission marts.
-- Incremental by period folder: only the folders whose files changed are read again.
{{ config(materialized='period_incremental', period_column='period_folder') }}

with

file_problems as (
    select
        source_file,
        file_issue,
        missing_columns
    from {{ ref('stg_submissions__files') }}
    where {{ in_periods_to_build('period_folder') }}
),

landed_rows as (
    select * from {{ ref('stg_submissions__rows') }}
    where {{ in_periods_to_build('period_folder') }}
),

with_file as (
    select
        landed_rows.*,
        file_problems.file_issue,
        file_problems.missing_columns
    from landed_rows
    inner join file_problems
        on landed_rows.source_file = file_problems.source_file
)

select * from with_file
