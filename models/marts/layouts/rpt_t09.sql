-- モデル利用状況: the family of the first model each active case names × usage type.
{{ report_layout('T09') }}
