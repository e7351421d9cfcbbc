-- 特化型の割合の推移: share of 特化型 (SPECIFIC_1 + SPECIFIC_2) among active cases and among
-- started cases, per period, from the T01 cube.
with

t01 as (
    select * from {{ ref('report_cells') }}
    where table_id = 'T01' and measure = 'case_count'
)

select
    period_end,
    sum(value) filter (
        where usage_type in ('SPECIFIC_1', 'SPECIFIC_2') and start_timing = '_T'
    ) / sum(value) filter (where usage_type = '_T' and start_timing = '_T') as specific_share_of_active,
    sum(value) filter (
        where usage_type in ('SPECIFIC_1', 'SPECIFIC_2') and start_timing = 'STARTED'
    ) / sum(value) filter (where usage_type = '_T' and start_timing = 'STARTED') as specific_share_of_started
from t01
group by period_end
order by period_end
