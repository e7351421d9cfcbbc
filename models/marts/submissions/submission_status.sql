-- Per loaded period and each of the 25 ministries: files, rows landed/accepted/rejected, and
-- whether the ministry submitted at all (a missing ministry is a warning, not a failure), and how
-- many entries of the period folder were not read.
with

ministries as (
    select * from {{ ref('ministries') }}
),

submission_files as (
    select * from {{ ref('submission_files') }}
),

loaded_periods as (
    select distinct period_end from submission_files
    where period_end is not null
),

per_ministry as (
    select
        period_end,
        ministry_code,
        count(*) as files,
        sum(rows_landed) as rows_landed,
        sum(rows_accepted) as rows_accepted,
        sum(rows_rejected) as rows_rejected
    from submission_files
    where ministry_code is not null
    group by period_end, ministry_code
),

-- Entries the loader listed but did not read (a link, a pipe, a name that is not UTF-8): their content,
-- the only thing that names a ministry, is unknown, so every ministry of the period sees them.
not_read as (
    select
        period_end,
        count(*) as entries
    from submission_files
    where file_issue in ('NOT_A_REGULAR_FILE', 'INVALID_FILE_NAME')
    group by period_end
)

select
    loaded_periods.period_end,
    ministries.ministry_code,
    ministries.ministry_name_ja,
    cast(coalesce(per_ministry.files, 0) as bigint) as files,
    cast(coalesce(per_ministry.rows_landed, 0) as bigint) as rows_landed,
    cast(coalesce(per_ministry.rows_accepted, 0) as bigint) as rows_accepted,
    cast(coalesce(per_ministry.rows_rejected, 0) as bigint) as rows_rejected,
    per_ministry.ministry_code is null as is_missing,
    cast(coalesce(not_read.entries, 0) as bigint) as period_entries_not_read
from loaded_periods
cross join ministries
left join per_ministry
    on loaded_periods.period_end = per_ministry.period_end and ministries.ministry_code = per_ministry.ministry_code
left join not_read
    on loaded_periods.period_end = not_read.period_end
