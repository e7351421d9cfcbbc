-- MetricFlow's calendar: one row per day, so metric_time can be read at day, week, month, quarter
-- or year. The range covers every fiscal year the survey can report (seeds/reference/periods.csv
-- starts in FY2024) with room on both sides. dbt's own date_spine keeps it portable (DuckDB, Spark).
with

days as (
    {{ dbt.date_spine('day', "cast('2020-01-01' as date)", "cast('2041-01-01' as date)") }}
)

select cast(days.date_day as date) as date_day
from days
