-- 政府の生成AIシステムの外部向けの利用類型・導入段階: the two external user scopes × stage.
{{ report_layout(
    table_id='T05',
    rows=[('user_scope', '利用者の範囲'), ('stage', '導入段階')],
    columns=['usage_type', 'start_status'],
    prior_row=true,
    prior_column=true
) }}
