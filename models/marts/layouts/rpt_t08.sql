-- 利用廃止となった案件: cases discontinued in the period, user scope × stage × usage type ×
-- start status. The publication prints only the user scopes that have a discontinued case.
{{ report_layout(
    table_id='T08',
    rows=[('user_scope', '利用者の範囲'), ('stage', '導入段階')],
    columns=['usage_type', 'start_status'],
    omit_empty_row_groups=true
) }}
