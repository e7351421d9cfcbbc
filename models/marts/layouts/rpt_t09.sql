-- モデル利用状況: the family of the first model each active case names × usage type.
{{ report_layout(
    table_id='T09',
    rows=[('model_family', 'モデル')],
    columns=['usage_type']
) }}
