-- A build with rejected rows or files fails, listing them; `--vars '{quarantine_rejects: true}'`
-- lets an exploratory run continue with the rejects quarantined in submission_rejects.
{{ config(severity = 'warn' if var('quarantine_rejects') else 'error') }}

select message_en
from {{ ref('submission_rejects') }}
