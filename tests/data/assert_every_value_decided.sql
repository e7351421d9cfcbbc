-- Every answered categorical value either became a code or was rejected with a reason:
-- a value that silently turned into NULL would drop a case out of the tables unnoticed.
-- The group is set here, not only in models/_groups.yml: dbt's partial parsing loses a yml-patched
-- group when a file using env_var() is re-parsed (GENAI_LANDING_DIR changed since the last run).
{{ config(group='genai_report') }}

select
    column_name,
    raw_value,
    form_version,
    fiscal_year_reiwa
from {{ ref('int_value_codes') }}
where not is_blank and code is null and value_issue is null
