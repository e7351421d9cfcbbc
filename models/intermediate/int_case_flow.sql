-- Each case of a period set against the same case (ministry, 案件番号) in the previous period:
-- new, continuing, reclassified (usage type changed), reactivated, discontinued, or — a case the
-- previous period listed as active that is missing now — not reported.
-- Incremental by period: rebuilt when the period or the one before it changes.
{{ config(materialized='period_incremental', fingerprint='cells_fingerprint') }}

-- The cases of periods_to_read and of the periods before them, read where they are used, not
-- through a shared CTE: DuckDB materialises a CTE that is referenced more than once
-- (docs/developers.md, "Per-row relations").
{%- set cases_relation -%}
(
    select * from {{ ref('int_cases') }}
    where
        period_end in (select periods_to_read.period_end from periods_to_read)
        or period_end in (select periods_to_read.previous_period_end from periods_to_read)
)
{%- endset %}

with

-- The periods rebuilt now and the periods before them.
periods_to_read as (
    select
        period_end,
        previous_period_end
    from {{ ref('periods') }}
    where {{ in_periods_to_build('period_end') }}
),

loaded_periods as (
    select
        periods.period_end,
        periods.previous_period_end
    from {{ ref('periods') }} as periods
    where periods.period_end in (select cases.period_end from {{ cases_relation }} as cases)
),

paired_periods as (
    select
        current_periods.period_end,
        current_periods.previous_period_end
    from loaded_periods as current_periods
    inner join loaded_periods as previous_periods
        on current_periods.previous_period_end = previous_periods.period_end
    where current_periods.period_end in (select periods_to_read.period_end from periods_to_read)
),

current_side as (
    select
        paired_periods.period_end as flow_period_end,
        cases.*
    from paired_periods
    inner join {{ cases_relation }} as cases
        on paired_periods.period_end = cases.period_end
),

prior_side as (
    select
        paired_periods.period_end as flow_period_end,
        cases.*
    from paired_periods
    inner join {{ cases_relation }} as cases
        on paired_periods.previous_period_end = cases.period_end
),

current_and_prior as (
    select
        coalesce(current_side.flow_period_end, prior_side.flow_period_end) as period_end,
        coalesce(current_side.case_key, prior_side.case_key) as case_key,
        coalesce(current_side.ministry_code, prior_side.ministry_code) as ministry_code,
        coalesce(current_side.case_id, prior_side.case_id) as case_id,
        current_side.case_key is not null as is_listed,
        prior_side.case_key is not null as was_listed,
        current_side.is_discontinued,
        prior_side.is_discontinued as was_discontinued,
        current_side.usage_type,
        prior_side.usage_type as prior_usage_type,
        current_side.stage,
        prior_side.stage as prior_stage,
        current_side.start_status,
        prior_side.start_status as prior_start_status,
        current_side.user_scope,
        prior_side.user_scope as prior_user_scope
    from current_side
    full outer join prior_side
        on
            current_side.flow_period_end = prior_side.flow_period_end
            and current_side.case_key = prior_side.case_key
),

classified as (
    select
        *,
        case
            when not is_listed then 'NOT_REPORTED'
            when is_discontinued then 'DISCONTINUED'
            when not was_listed then 'NEW'
            when was_discontinued then 'REACTIVATED'
            when usage_type != prior_usage_type then 'RECLASSIFIED'
            else 'CONTINUING'
        end as flow,
        was_listed and is_listed and prior_stage = 'POC' and stage = 'PRODUCTION' as moved_poc_to_production,
        was_listed and is_listed and prior_start_status = 'NOT_STARTED' and start_status = 'STARTED'
            as moved_not_started_to_started
    from current_and_prior
    where not (not is_listed and was_discontinued)
)

select * from classified
