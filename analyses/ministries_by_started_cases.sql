-- 府省庁別の利用開始済み案件数: started active cases per ministry and period, most first.
with

cases as (
    select * from {{ ref('int_cases') }}
),

ministries as (
    select * from {{ ref('ministries') }}
)

select
    cases.period_end,
    ministries.ministry_name_ja,
    count(*) filter (where cases.start_status = 'STARTED') as started_cases,
    count(*) as active_cases
from cases
inner join ministries
    on cases.ministry_code = ministries.ministry_code
where cases.is_active
group by cases.period_end, ministries.ministry_name_ja
order by cases.period_end asc, started_cases desc, ministries.ministry_name_ja asc
