-- 政府職員の生成AIシステムの導入段階ごとの利用類型・利用者の範囲: T02's rows split by stage.
-- The publication names this table's previous-period row and column 前報告件数 (not 前回報告件数).
{{ report_layout('T03') }}
