-- Every answered categorical value either became a code or was rejected with a reason:
-- a value that silently turned into NULL would drop a case out of the tables unnoticed.
-- It reads the private dictionary, so it belongs to the group (set here: partial parsing can
-- drop a group given only in _groups.yml when this file changes).
{{ config(group='genai_report') }}

select
    column_name,
    raw_value,
    form_version,
    fiscal_year_reiwa
from {{ ref('stg_submissions__value_codes') }}
where not is_blank and code is null and value_issue is null
