-- The restricted (非公開) answers of each case, kept apart from the public report_cases: only the
-- submission kit reads them, to prefill a ministry's own form with its own cases. A view, like
-- report_cases.
{{ config(materialized='view') }}
select
    period_end,
    case_key,
    case_name,
    outcome_goal_text,
    model_name,
    high_risk
from {{ ref('int_cases') }}
