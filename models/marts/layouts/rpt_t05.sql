-- 政府の生成AIシステムの外部向けの利用類型・導入段階: the two external user scopes × stage.
{{ report_layout('T05') }}
