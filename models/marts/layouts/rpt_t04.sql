-- 政府職員の利用する生成AIシステムの取扱情報の機密性: confidentiality × usage type × start status.
{{ report_layout('T04') }}
