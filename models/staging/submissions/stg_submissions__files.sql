-- One row per landed file: its period, how it was read, its checksum, and any problem that
-- affects the whole file.
with

landed_files as (
    select * from {{ landed_records() }}
    where record_type = 'file'
),

periods as (
    select * from {{ ref('periods') }}
),

checked as (
    select
        landed_files.source_file,
        coalesce(landed_files.period_folder, '') as period_folder,
        periods.period_end,
        periods.fiscal_year_reiwa,
        periods.form_version,
        landed_files.file_format,
        landed_files.encoding,
        landed_files.sheet_name,
        landed_files.header_row,
        landed_files.data_rows,
        landed_files.empty_rows_skipped,
        landed_files.missing_columns,
        landed_files.unknown_columns,
        landed_files.file_error,
        landed_files.file_checksum,
        case
            -- an entry the loader listed but did not read (genai_report/landing/walk.py words it)
            when landed_files.file_error = 'not read: the file name is not valid UTF-8' then 'INVALID_FILE_NAME'
            when landed_files.file_error like 'not read: %' then 'NOT_A_REGULAR_FILE'
            when landed_files.period_folder is null then 'FILE_OUTSIDE_PERIOD_FOLDER'
            when periods.period_end is null then 'UNKNOWN_PERIOD_FOLDER'
            -- the loader also words a missing column as a file_error; the specific reason wins
            when landed_files.missing_columns is not null then 'MISSING_REQUIRED_COLUMN'
            when landed_files.file_error is not null then 'UNREADABLE_FILE'
        end as file_issue
    from landed_files
    left join periods
        on landed_files.period_folder = cast(periods.period_end as {{ dbt.type_string() }})
)

select * from checked
