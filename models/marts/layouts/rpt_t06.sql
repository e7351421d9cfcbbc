-- 出力データの種類: one count per output type; the publication heads the count 集計 and explains
-- each type in a second label column (その他モダリティの利用を想定しているか).
{{ report_layout('T06') }}
