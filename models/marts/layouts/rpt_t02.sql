-- 政府職員の生成AIシステムの利用類型・利用者の範囲: user scope × usage type × start status.
-- The ministry-wide row also prints how many distinct ministries its cases come from, 37(18).
{{ report_layout('T02') }}
