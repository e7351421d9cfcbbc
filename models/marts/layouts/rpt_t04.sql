-- 政府職員の利用する生成AIシステムの取扱情報の機密性: confidentiality × usage type × start status.
{{ report_layout(
    table_id='T04',
    rows=[('confidentiality', '情報の機密性')],
    columns=['usage_type', 'start_status'],
    prior_row=true,
    prior_column=true
) }}
