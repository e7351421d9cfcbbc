-- Every published figure that a later publication changed: the first published value of each cell
-- (value and prior_value) against its latest vintage, with the submission files that differ
-- between the two vintages. A view, not a table: the build's publish step appends the vintage it
-- is publishing (genai_report/vintages.py) after dbt has run, in the same building copy, and the
-- view shows it in the very file that is renamed into place.
-- The pre-hook declares the record's tables, so that a fresh warehouse (no publication yet) has
-- them empty; it never alters a table that exists (the record is append-only).
-- depends_on: {{ ref('report_cells') }}
{%- set all_dimensions = report_dimensions() %}
{{ config(
    materialized='view',
    pre_hook=[
        "create schema if not exists vintages",
        "create table if not exists vintages.publications (vintage_id {{ dbt.type_string() }},
            period_end date, published_at {{ dbt.type_timestamp() }}, landing_fingerprint {{ dbt.type_string() }})",
        "create table if not exists vintages.report_cells as
            select cast(null as {{ dbt.type_string() }}) as vintage_id, * from {{ ref('report_cells') }} limit 0",
        "create table if not exists vintages.submission_files (vintage_id {{ dbt.type_string() }},
            period_end date, source_file {{ dbt.type_string() }}, file_checksum {{ dbt.type_string() }})",
    ],
) }}

with

publications as (
    select * from {{ source('vintages', 'publications') }}
),

vintage_cells as (
    select * from {{ source('vintages', 'report_cells') }}
),

vintage_files as (
    select * from {{ source('vintages', 'submission_files') }}
),

periods as (
    select * from {{ ref('periods') }}
),

ranked as (
    select
        vintage_id,
        period_end,
        row_number() over (partition by period_end order by published_at, vintage_id) as from_first,
        row_number() over (partition by period_end order by published_at desc, vintage_id desc) as from_latest
    from publications
),

-- Periods published more than once: their first and latest vintage.
vintage_pairs as (
    select
        first_vintages.period_end,
        first_vintages.vintage_id as first_vintage_id,
        latest_vintages.vintage_id as latest_vintage_id
    from ranked as first_vintages
    inner join ranked as latest_vintages
        on
            first_vintages.period_end = latest_vintages.period_end
            and latest_vintages.from_latest = 1
    where first_vintages.from_first = 1 and latest_vintages.from_first > 1
),

-- Each cell's two figures, value and prior_value, as rows.
figures as (
    {%- for figure in ['value', 'prior_value'] %}
    select
        vintage_id,
        table_id,
        period_end,
        {%- for dimension in all_dimensions %}
        {{ dimension }},
        {%- endfor %}
        measure,
        '{{ figure }}' as figure,
        {{ figure }} as figure_value
    from vintage_cells
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

first_figures as (
    select figures.*
    from figures
    inner join vintage_pairs
        on figures.vintage_id = vintage_pairs.first_vintage_id
),

latest_figures as (
    select figures.*
    from figures
    inner join vintage_pairs
        on figures.vintage_id = vintage_pairs.latest_vintage_id
),

revised as (
    select
        coalesce(first_figures.table_id, latest_figures.table_id) as table_id,
        coalesce(first_figures.period_end, latest_figures.period_end) as period_end,
        {%- for dimension in all_dimensions %}
        coalesce(first_figures.{{ dimension }}, latest_figures.{{ dimension }}) as {{ dimension }},
        {%- endfor %}
        coalesce(first_figures.measure, latest_figures.measure) as measure,
        coalesce(first_figures.figure, latest_figures.figure) as figure,
        first_figures.figure_value as first_value,
        latest_figures.figure_value as latest_value
    from first_figures
    full outer join latest_figures
        on
            first_figures.period_end = latest_figures.period_end
            and first_figures.table_id = latest_figures.table_id
            and first_figures.measure = latest_figures.measure
            and first_figures.figure = latest_figures.figure
            {%- for dimension in all_dimensions %}
            and first_figures.{{ dimension }} is not distinct from latest_figures.{{ dimension }}
            {%- endfor %}
    where first_figures.figure_value is distinct from latest_figures.figure_value
),

-- The period whose submission files a figure is counted from: its own for value, the previous
-- period's for prior_value.
figure_sources as (
    select distinct
        revised.period_end,
        revised.figure,
        case when revised.figure = 'value' then revised.period_end else periods.previous_period_end end
            as files_period_end
    from revised
    inner join periods
        on revised.period_end = periods.period_end
),

-- The files each vintage of a pair counted that figure from.
{%- for side in ['first', 'latest'] %}

{{ side }}_files as (
    select
        figure_sources.period_end,
        figure_sources.figure,
        vintage_files.source_file,
        vintage_files.file_checksum
    from figure_sources
    inner join vintage_pairs
        on figure_sources.period_end = vintage_pairs.period_end
    inner join vintage_files
        on
            vintage_pairs.{{ side }}_vintage_id = vintage_files.vintage_id
            and figure_sources.files_period_end = vintage_files.period_end
),
{%- endfor %}

file_changes as (
    select
        coalesce(first_files.period_end, latest_files.period_end) as period_end,
        coalesce(first_files.figure, latest_files.figure) as figure,
        coalesce(first_files.source_file, latest_files.source_file) as source_file,
        case
            when first_files.source_file is null then 'added'
            when latest_files.source_file is null then 'removed'
            else 'changed'
        end as file_change
    from first_files
    full outer join latest_files
        on
            first_files.period_end = latest_files.period_end
            and first_files.figure = latest_files.figure
            and first_files.source_file = latest_files.source_file
    where first_files.file_checksum is distinct from latest_files.file_checksum
),

file_summaries as (
    select
        period_end,
        figure,
        {{ ordered_string_agg('source_file', ', ', 'source_file', "file_change = 'added'") }} as files_added,
        {{ ordered_string_agg('source_file', ', ', 'source_file', "file_change = 'removed'") }} as files_removed,
        {{ ordered_string_agg('source_file', ', ', 'source_file', "file_change = 'changed'") }} as files_changed
    from file_changes
    group by period_end, figure
),

final as (
    select
        revised.table_id,
        revised.period_end,
        {%- for dimension in all_dimensions %}
        revised.{{ dimension }},
        {%- endfor %}
        revised.measure,
        revised.figure,
        revised.first_value,
        revised.latest_value,
        revised.latest_value - revised.first_value as difference,
        vintage_pairs.first_vintage_id,
        vintage_pairs.latest_vintage_id,
        file_summaries.files_added,
        file_summaries.files_removed,
        file_summaries.files_changed
    from revised
    inner join vintage_pairs
        on revised.period_end = vintage_pairs.period_end
    left join file_summaries
        on
            revised.period_end = file_summaries.period_end
            and revised.figure = file_summaries.figure
)

select * from final
