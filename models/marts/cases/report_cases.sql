-- The public case mart: every accepted case of int_cases with its codes, derived fields,
-- populations, table memberships and lineage, and none of the restricted (非公開) columns. The
-- enforced contract in _cases__models.yml lists every column, so a restricted column cannot be
-- added here without failing the build (docs_check's restricted rule reads the seed's flag).
-- A view: a projection of int_cases costs no build time and follows its incremental periods.
{{ config(materialized='view') }}
with

cases as (
    select * from {{ ref('int_cases') }}
),

final as (
    select
        period_end,
        case_key,
        ministry_code,
        case_id,
        {%- for dimension in report_dimensions() %}
        {{ dimension }},
        {%- endfor %}
        start_timing_or_undecided,
        risk_incident,
        {%- for population in report_contract().populations %}
        {{ population }},
        {%- endfor %}
        is_external_scope,
        {%- for table in report_tables() %}
        {{ table.table_id | lower }}_membership,
        {%- endfor %}
        source_file,
        sheet_name,
        row_number,
        row_key
    from cases
)

select * from final
