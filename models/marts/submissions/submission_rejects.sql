-- Every rejected row or file with the reason a ministry can act on: file, row, column, value.
-- A ministry-facing report; make build also writes it to build/rejects.csv.
select
    source_file,
    row_number,
    period_end,
    column_name,
    header_ja,
    shown_value as raw_value,
    reason,
    detail,
    message_en,
    message_ja
from {{ ref('int_submission_issues') }}
