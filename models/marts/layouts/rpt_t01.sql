-- 利用類型・利用時期: start timing × usage type over every active case, with the previous
-- period's 総計 as the 前回報告件数 row. The row numbers follow the period's form (the forms
-- with 令和N年中 have five start-timing rows).
{{ report_layout('T01') }}
