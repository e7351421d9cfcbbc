-- One row per landed data row: canonical column names, the file's period, raw values as typed.
-- Free-text blanks (empty, '-', 未記入 …) become NULL like every other blank.
-- The case id is compared as text after width folding and trimming ("001" and "1" differ).
-- Incremental by period folder: only the folders whose files changed are read again.
{{ config(
    materialized=period_materialization(),
    pre_hook="{{ delete_periods_to_rebuild('period_folder') }}",
    post_hook="{{ record_built_periods() }}",
) }}

with

landed_rows as (
    select * from {{ landed_records() }}
    where record_type = 'row'
),

files as (
    select * from {{ ref('stg_submissions__files') }}
),

periods_to_build as (
    {{ periods_to_build() }}
),

renamed as (
    select
        landed_rows.source_file || '#' || landed_rows.row_number as row_key,
        landed_rows.source_file,
        landed_rows.sheet_name,
        landed_rows.row_number,
        files.period_folder,
        files.period_end,
        files.fiscal_year_reiwa,
        files.form_version,
        files.file_issue,
        files.missing_columns,
        nullif({{ regexp_replace_all(fold_width('landed_rows.case_id'), '^\\s+|\\s+$', '') }}, '') as case_id,
        landed_rows.ministry as ministry_raw,
        landed_rows.case_id as case_id_raw,
        case
            when not {{ is_blank('landed_rows.case_name') }} then landed_rows.case_name
        end as case_name,
        landed_rows.usage_type as usage_type_raw,
        landed_rows.start_timing as start_timing_raw,
        landed_rows.user_scope as user_scope_raw,
        landed_rows.stage as stage_raw,
        landed_rows.confidentiality as confidentiality_raw,
        landed_rows.outcome_goal as outcome_goal_raw,
        case
            when not {{ is_blank('landed_rows.outcome_goal_text') }} then landed_rows.outcome_goal_text
        end as outcome_goal_text,
        landed_rows.output_type as output_type_raw,
        case
            when not {{ is_blank('landed_rows.model_name') }} then landed_rows.model_name
        end as model_name,
        landed_rows.discontinued as discontinued_raw,
        landed_rows.risk_incident as risk_incident_raw,
        landed_rows.high_risk as high_risk_raw,
        landed_rows.extra_values_json
    from landed_rows
    inner join files
        on landed_rows.source_file = files.source_file
    where files.period_folder in (select periods_to_build.period_folder from periods_to_build)
)

select * from renamed
