-- One row per landed period folder with a fingerprint of its files (names and checksums): the
-- decision of which periods a build recomputes, made here for every period-incremental model
-- (materialization period_incremental, macros/incremental/). cells_fingerprint also covers the
-- previous period, for models that compare the two.
with

files as (
    select * from {{ ref('stg_submissions__files') }}
),

periods as (
    select * from {{ ref('periods') }}
),

folders as (
    select
        period_folder,
        max(period_end) as period_end,
        md5({{ ordered_string_agg(
            "source_file || '=' || coalesce(file_checksum, '')", '|', 'source_file'
        ) }}) as period_fingerprint
    from files
    group by period_folder
),

with_previous as (
    select
        folders.period_folder,
        folders.period_end,
        folders.period_fingerprint,
        md5(
            folders.period_fingerprint || '|' || coalesce(previous_folders.period_fingerprint, '')
        ) as cells_fingerprint
    from folders
    left join periods
        on folders.period_end = periods.period_end
    left join folders as previous_folders
        on periods.previous_period_end = previous_folders.period_end
)

select * from with_previous
