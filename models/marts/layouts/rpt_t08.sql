-- 利用廃止となった案件: cases discontinued in the period, user scope × stage × usage type ×
-- start status. The publication prints only the user scopes that have a discontinued case.
{{ report_layout('T08') }}
