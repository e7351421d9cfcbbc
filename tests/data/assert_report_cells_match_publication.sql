-- Reconciliation with the 令和7年度第3回 publication: every printed figure (seed published_cells)
-- must equal report_cells, except the documented errata cells (seed published_errata), which must
-- equal the value the records give. Applies to the published periods that are loaded; test
-- fixtures that reuse those dates switch it off (macro check_publication(): $GENAI_CHECK_PUBLICATION,
-- or --vars '{check_publication: false}').
{{ config(enabled=check_publication()) }}

{%- set dimensions = report_dimensions() %}

with

published as (
    select * from {{ ref('published_cells') }}
),

errata as (
    select * from {{ ref('published_errata') }}
),

report_cells as (
    select * from {{ ref('report_cells') }}
),

loaded_published as (
    select published.*
    from published
    where published.period_end in (select report_cells.period_end from report_cells)
),

compared as (
    select
        loaded_published.table_id,
        loaded_published.period_end,
        {%- for dimension in dimensions %}
        loaded_published.{{ dimension }},
        {%- endfor %}
        loaded_published.measure,
        loaded_published.value as published_value,
        errata.records_value as errata_value,
        report_cells.value as computed_value
    from loaded_published
    left join report_cells
        on
            loaded_published.table_id = report_cells.table_id
            and loaded_published.period_end = report_cells.period_end
            and loaded_published.measure = report_cells.measure
            {%- for dimension in dimensions %}
            and loaded_published.{{ dimension }} is not distinct from report_cells.{{ dimension }}
            {%- endfor %}
    left join errata
        on
            loaded_published.table_id = errata.table_id
            and loaded_published.period_end = errata.period_end
            and loaded_published.measure = errata.measure
            {%- for dimension in dimensions %}
            and loaded_published.{{ dimension }} is not distinct from errata.{{ dimension }}
            {%- endfor %}
)

select *
from compared
where
    computed_value is null
    or computed_value != coalesce(errata_value, published_value)
