-- 政府職員の生成AIシステムの利用類型・利用者の範囲: user scope × usage type × start status.
-- The ministry-wide row also prints how many distinct ministries its cases come from, 37(18).
{{ report_layout(
    table_id='T02',
    rows=[('user_scope', '利用者の範囲')],
    columns=['usage_type', 'start_status'],
    prior_row=true,
    prior_column=true,
    ministry_count_rows=['SINGLE_MINISTRY_WIDE']
) }}
