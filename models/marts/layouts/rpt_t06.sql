-- 出力データの種類: one count per output type; the publication heads the count 集計 and explains
-- each type in a second label column (その他モダリティの利用を想定しているか).
{{ report_layout(
    table_id='T06',
    rows=[('output_type', '出力データの種類')],
    columns=[],
    prior_column=true,
    total_column='集計',
    detail_column='その他モダリティの利用を想定しているか'
) }}
