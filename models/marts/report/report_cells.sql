-- The cube: every cell of every report table for every loaded period, zero cells and every
-- partial/grand total (_T) included, with the same cell of the previous period beside it.
-- The only place a report figure is counted; every layout is a view of this model.
-- Incremental by period: a new or changed period gets its cells, and the period after it gets
-- its prior_value again (cells_fingerprint covers both periods); nothing else is recounted.
{{ config(materialized='period_incremental', fingerprint='cells_fingerprint') }}
{%- set all_dimensions = report_dimensions() %}

with

periods as (
    select * from {{ ref('periods') }}
),

-- The periods rebuilt now and the periods before them (for prior_value).
periods_to_count as (
    select period_end from periods
    where {{ in_periods_to_build('period_end') }}
    union
    select previous_period_end as period_end from periods
    where {{ in_periods_to_build('period_end') }}
),

-- The periods that have cases. Each table's cube reads int_cases itself (not a shared CTE, which
-- DuckDB would materialise): a scan reads only the columns its cube counts by.
case_periods as (
    select distinct period_end from {{ ref('int_cases') }}
    where period_end in (select periods_to_count.period_end from periods_to_count)
),

code_lists as (
    select * from {{ ref('code_lists') }}
),

loaded_periods as (
    select distinct
        periods.period_end,
        periods.form_version,
        periods.previous_period_end
    from periods
    inner join case_periods
        on periods.period_end = case_periods.period_end
),

code_list_names as (
    select distinct code_list from code_lists
),

-- The codes each period's form offers for each dimension, plus the total '_T'.
period_codes as (
    select
        loaded_periods.period_end,
        code_lists.code_list,
        code_lists.code
    from loaded_periods
    inner join code_lists
        on code_lists.offered_on_form in ('*', loaded_periods.form_version)
    union all
    select
        loaded_periods.period_end,
        code_list_names.code_list,
        '_T' as code
    from loaded_periods
    cross join code_list_names
),

-- case_count on every cell; ministry_count (distinct ministries) where the table prints it.
measures as (
    {%- for table in report_tables() %}
    select
        '{{ table.table_id }}' as table_id,
        'case_count' as measure
    {%- if table.ministry_count %}
    union all
    select
        '{{ table.table_id }}' as table_id,
        'ministry_count' as measure
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{%- for table in report_tables() %}
{%- set dimensions = table.dimensions.keys() | list %}

{{ table.table_id | lower }}_counts as (
    select
        period_end,
        {%- for dimension, source_column in table.dimensions.items() %}
        case when grouping({{ source_column }}) = 1 then '_T' else {{ source_column }} end as {{ dimension }},
        {%- endfor %}
        count(*) as case_count,
        {%- if table.ministry_count %}
        count(distinct ministry_code) as ministry_count
        {%- else %}
        cast(null as bigint) as ministry_count
        {%- endif %}
    from {{ ref('int_cases') }}
    where
        {{ table.table_id | lower }}_membership = 'INCLUDED'
        and period_end in (select periods_to_count.period_end from periods_to_count)
    group by period_end, cube({{ table.dimensions.values() | join(', ') }})
),

-- Every cell the table's cube has for the period, zero or not. The joins are generated per
-- dimension; their rendered layout varies with the table, hence the layout rules are off here.
-- noqa: disable=LT02,LT05
{{ table.table_id | lower }}_frame as (
    select
        {%- for dimension in dimensions %}
        {{ dimension }}_codes.code as {{ dimension }},
        {%- endfor %}
        loaded_periods.period_end
    from loaded_periods
    {%- for dimension in dimensions %}
    inner join period_codes as {{ dimension }}_codes
        on
            loaded_periods.period_end = {{ dimension }}_codes.period_end
            and {{ dimension }}_codes.code_list = '{{ dimension }}'
            {%- if dimension in table.codes %}
            and {{ dimension }}_codes.code in (
                '_T', '{{ table.codes[dimension] | join("', '") }}'
            )
            {%- endif %}
    {%- endfor %}
),
-- noqa: enable=LT02,LT05

{{ table.table_id | lower }}_cells as (
    select
        '{{ table.table_id }}' as table_id,
        frame.period_end,
        {%- for dimension in all_dimensions %}
        {%- if dimension in dimensions %}
        frame.{{ dimension }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ dimension }},
        {%- endif %}
        {%- endfor %}
        measures.measure,
        coalesce(
            case measures.measure when 'ministry_count' then counts.ministry_count else counts.case_count end, 0
        ) as value
    from {{ table.table_id | lower }}_frame as frame
    inner join measures
        on measures.table_id = '{{ table.table_id }}'
    left join {{ table.table_id | lower }}_counts as counts
        on
            frame.period_end = counts.period_end
            {%- for dimension in dimensions %}
            and frame.{{ dimension }} = counts.{{ dimension }}
            {%- endfor %}
),
{%- endfor %}

cells as (
    {%- for table in report_tables() %}
    select * from {{ table.table_id | lower }}_cells
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

with_prior as (
    select
        cells.table_id,
        cells.period_end,
        {%- for dimension in all_dimensions %}
        cells.{{ dimension }},
        {%- endfor %}
        cells.measure,
        cast(cells.value as bigint) as value,
        cast(prior_cells.value as bigint) as prior_value
    from cells
    inner join loaded_periods
        on cells.period_end = loaded_periods.period_end
    left join cells as prior_cells
        on
            loaded_periods.previous_period_end = prior_cells.period_end
            and cells.table_id = prior_cells.table_id
            and cells.measure = prior_cells.measure
            {%- for dimension in all_dimensions %}
            and cells.{{ dimension }} is not distinct from prior_cells.{{ dimension }}
            {%- endfor %}
    where {{ in_periods_to_build('cells.period_end') }}
)

select * from with_prior
