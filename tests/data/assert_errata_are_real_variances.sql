-- An erratum documents a cell the records cannot match: it must name a printed cell, and its
-- records value must differ from the printed one (otherwise it hides nothing and should go).
{{ config(enabled=check_publication()) }}

select errata.*
from {{ ref('published_errata') }} as errata
left join {{ ref('published_cells') }} as published
    on
        errata.table_id = published.table_id
        and errata.period_end = published.period_end
        and errata.measure = published.measure
        {%- for dimension in report_dimensions() %}
        and errata.{{ dimension }} is not distinct from published.{{ dimension }}
        {%- endfor %}
where
    published.value is null
    or published.value != errata.published_value
    or errata.records_value = errata.published_value
