-- The normalisation report: every distinct raw spelling of every categorical column, per period,
-- with the key it folded to, the code it became (or why not) and how many rows carried it.
-- Reviewers read it to see that no spelling was mapped to the wrong code. Blanks are listed too
-- (each landed row is counted once per column).
-- Incremental by period folder: a period's spellings are counted again only when its files change.
{{ config(materialized='period_incremental', period_column='period_folder') }}

with

value_codes as (
    select * from {{ ref('int_value_codes') }}
),

-- 非公開 columns stay out: even counts of 高リスク判定 answers would disclose them.
public_columns as (
    select column_name from {{ ref('submission_columns') }}
    where not is_restricted
),

-- Rows counted per distinct spelling first, so the dictionary is joined once per spelling.
spelling_counts as (
    {%- for column in coded_columns() %}
    select
        period_folder,
        period_end,
        form_version,
        fiscal_year_reiwa,
        '{{ column }}' as column_name,
        {{ column }}_raw as raw_value,
        count(*) as row_count
    from {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as submission_rows
    group by period_folder, period_end, form_version, fiscal_year_reiwa, {{ column }}_raw
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

spellings as (
    select
        spelling_counts.period_folder,
        spelling_counts.period_end,
        spelling_counts.column_name,
        spelling_counts.raw_value,
        value_codes.lookup_key,
        value_codes.code,
        value_codes.value_issue,
        sum(spelling_counts.row_count) as row_count
    from spelling_counts
    inner join value_codes
        on
            spelling_counts.column_name = value_codes.column_name
            and spelling_counts.raw_value is not distinct from value_codes.raw_value
            and spelling_counts.form_version is not distinct from value_codes.form_version
            and spelling_counts.fiscal_year_reiwa is not distinct from value_codes.fiscal_year_reiwa
    where spelling_counts.column_name in (select public_columns.column_name from public_columns)
    group by
        spelling_counts.period_folder,
        spelling_counts.period_end,
        spelling_counts.column_name,
        spelling_counts.raw_value,
        value_codes.lookup_key,
        value_codes.code,
        value_codes.value_issue
)

select
    period_folder,
    period_end,
    column_name,
    raw_value,
    lookup_key,
    code,
    value_issue,
    cast(row_count as bigint) as row_count
from spellings
