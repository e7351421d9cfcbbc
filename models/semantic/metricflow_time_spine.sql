-- MetricFlow's calendar: one row per day, so metric_time can be read at day, week, month, quarter
-- or year. The range covers every fiscal year the survey can report (seeds/reference/periods.csv
-- starts in FY2024) with room on both sides.
with

days as (
    select cast(calendar.day_start as date) as date_day
    from range(date '2020-01-01', date '2041-01-01', interval 1 day) as calendar (day_start)
)

select date_day
from days
