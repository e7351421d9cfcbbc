-- The normalisation report: every distinct raw spelling of every categorical column, per period,
-- with the key it folded to, the code it became (or why not) and how many rows carried it.
-- Reviewers read it to see that no spelling was mapped to the wrong code.
with

coded_values as (
    select * from {{ ref('stg_submissions__coded_values') }}
),

-- 非公開 columns stay out: even counts of 高リスク判定 answers would disclose them.
public_columns as (
    select column_name from {{ ref('submission_columns') }}
    where not is_restricted
),

spellings as (
    select
        period_end,
        column_name,
        raw_value,
        lookup_key,
        code,
        value_issue,
        count(*) as row_count
    from coded_values
    where
        (not is_blank or code is not null)
        and column_name in (select public_columns.column_name from public_columns)
    group by period_end, column_name, raw_value, lookup_key, code, value_issue
)

select
    period_end,
    column_name,
    raw_value,
    lookup_key,
    code,
    value_issue,
    cast(row_count as bigint) as row_count
from spellings
