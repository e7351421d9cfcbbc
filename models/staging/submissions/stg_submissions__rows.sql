-- One row per landed data row: canonical column names, the period of its folder, raw values as
-- typed. Free-text blanks (empty, '-', 未記入 …) become NULL like every other blank.
-- The case id is compared as text after width folding and trimming ("001" and "1" differ).
-- A view: int_submission_rows (which adds the file's problem) keeps the rows of the periods it
-- rebuilds, and every later model reads them there, so each row is folded once.
{{ config(materialized='view') }}

with

landed_rows as (
    select * from {{ landed_records() }}
    where record_type = 'row'
),

periods as (
    select * from {{ ref('periods') }}
),

renamed as (
    select
        landed_rows.source_file || '#' || landed_rows.row_number as row_key,
        landed_rows.source_file,
        landed_rows.sheet_name,
        landed_rows.row_number,
        coalesce(landed_rows.period_folder, '') as period_folder,
        periods.period_end,
        periods.fiscal_year_reiwa,
        periods.form_version,
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
    left join periods
        on landed_rows.period_folder = cast(periods.period_end as {{ dbt.type_string() }})
)

select * from renamed
