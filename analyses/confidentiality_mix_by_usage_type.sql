-- 利用類型別の機密性の構成: share of each confidentiality level within each usage type (T04's
-- population, all start statuses), per period.
with

t04 as (
    select * from {{ ref('report_cells') }}
    where table_id = 'T04' and measure = 'case_count' and start_status = '_T'
)

select
    period_end,
    usage_type,
    confidentiality,
    value as cases,
    value / sum(value) filter (where confidentiality != '_T') over (
        partition by period_end, usage_type
    ) as share_within_usage_type
from t04
where confidentiality != '_T'
order by period_end, usage_type, confidentiality
