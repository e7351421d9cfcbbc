{#- The report-layout marts are views of the cube: report_layout() pivots one table's cells of
    report_cells into the publication's wide table, so no layout counts a case itself. -#}


{#- The codes of a column dimension in display order, with their labels, read from the
    code_lists seed when the model compiles: a column's name is its label, and SQL needs its
    column names before it runs. Only codes every form offers can be columns, since a layout has
    the same columns in every period. Returns [] while dbt parses (execute is false) or when the
    seed is not loaded yet (sqlfluff compiling against an empty warehouse). -#}
{% macro layout_codes(code_list) -%}
    {%- set code_lists = ref('code_lists') -%}
    {%- set relation = load_relation(code_lists) if execute else none -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select code, label_ja
        from {{ relation }}
        where code_list = '{{ code_list }}' and offered_on_form = '*'
        order by display_order
    {%- endset -%}
    {{ return(run_query(query).rows | list) }}
{%- endmacro %}


{#- The printed columns over the given column dimensions: every combination of their codes in
    display order, named by the labels joined with "_" (汎用型1_開始済), then the total over all of
    them (named total_column). Each column is a dict: name, condition (the SQL predicate that
    picks the column's cell out of a row's cells), is_total. -#}
{% macro layout_columns(dimensions, total_column=none) -%}
    {%- set total_column = total_column or report_contract().layout_labels.total_ja -%}
    {%- set state = namespace(columns=[]) -%}
    {%- if dimensions | length > 0 -%}
        {%- set state.columns = [{'name': '', 'conditions': []}] -%}
    {%- endif -%}
    {%- for dimension in dimensions -%}
        {%- set combined = [] -%}
        {%- for column in state.columns -%}
            {%- for code, label in layout_codes(dimension) -%}
                {%- do combined.append({
                    'name': (column.name ~ '_' if column.name else '') ~ label,
                    'conditions': column.conditions + [dimension ~ " = '" ~ code ~ "'"]
                }) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set state.columns = combined -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for column in state.columns -%}
        {%- do columns.append({'name': column.name, 'condition': column.conditions | join(' and '), 'is_total': false}) -%}
    {%- endfor -%}
    {%- set total_conditions = [] -%}
    {%- for dimension in dimensions -%}
        {%- do total_conditions.append(dimension ~ " = '_T'") -%}
    {%- endfor -%}
    {%- do columns.append({
        'name': total_column,
        'condition': total_conditions | join(' and ') if total_conditions else 'true',
        'is_total': true
    }) -%}
    {{ return(columns) }}
{%- endmacro %}


{#- One select-list entry per printed column, for a query grouped by the row's dimensions: the
    value of the row's cell in that column (exactly one cube cell matches, so max() just picks
    it). blank_total prints the total column as NULL, the publication's "-". -#}
{% macro layout_pivot(columns, value='value', blank_total=false) -%}
        {%- for column in columns %}
        {%- if column.is_total and blank_total %}
        cast(null as bigint) as {{ adapter.quote(column.name) }}{{ "," if not loop.last }}
        {%- else %}
        max({{ value }}) filter (where {{ column.condition }}) as {{ adapter.quote(column.name) }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
{%- endmacro %}


{#- A report table as the publication prints it, for every period in the warehouse, laid out as
    the contract's table entry says (vars.report.tables in dbt_project.yml):
    - the table's cells in report_cells (measure case_count);
    - row dimensions (role row, header_ja): body rows are every combination of codes in the cube,
      in display order, labelled as the period's form prints them (rpt_code_labels). The 総計 row
      and the 前回報告件数 row follow them; the first header column carries their names;
    - column dimensions (see layout_columns), then the total column (layout.total_label, 総計);
    - layout.prior_row: the previous period's 総計 row, named layout.prior_label (前回報告件数);
    - layout.prior_column: the previous period's row totals as a column named prior_label;
    - layout.detail_header_ja: a column printing the first row dimension's detail_ja (T06);
    - layout.omit_empty_row_groups: drop the rows of a first-dimension code with no case in any
      of them, as the publication does for the user scopes of T08;
    - ministry_count.rows: codes of the first row dimension whose total (and previous total) is
      printed with the distinct-ministry count in parentheses, 37(18), in text columns
      "<total column>_表示" and "<prior_label>_表示". -#}
{% macro report_layout(table_id) -%}
{%- set table = report_table(table_id) -%}
{%- set layout = table.layout -%}
{%- set rows = [] -%}
{%- for dimension in table.rows -%}
    {%- do rows.append((dimension.name, dimension.header_ja)) -%}
{%- endfor -%}
{%- set columns = table.columns -%}
{%- set prior_row = layout.get('prior_row', false) -%}
{%- set prior_column = layout.get('prior_column', false) -%}
{%- set labels = report_contract().layout_labels -%}
{%- set prior_label = layout.get('prior_label', labels.prior_ja) -%}
{%- set total_column = layout.get('total_label', labels.total_ja) -%}
{%- set detail_column = layout.get('detail_header_ja') -%}
{%- set omit_empty_row_groups = layout.get('omit_empty_row_groups', false) -%}
{%- set ministry_count_rows = table.ministry_count_rows -%}
{%- set row_dimensions = rows | map('first') | list -%}
{%- set printed_columns = layout_columns(columns, total_column) -%}
{%- set total_column_condition = (printed_columns | last).condition -%}
{%- set first_dimension = row_dimensions | first -%}

with

report_cells as (
    select * from {{ ref('report_cells') }}
),

code_labels as (
    select * from {{ ref('rpt_code_labels') }}
),

cells as (
    select *
    from report_cells
    where table_id = '{{ table_id }}' and measure = 'case_count'
),

-- The cube also holds partial totals (e.g. one user scope over both stages); the publication
-- prints only the body rows, where every row dimension is a code, and the 総計 row, where every
-- row dimension is the total.
printed_rows as (
    select
        period_end,
        case when {{ first_dimension }} = '_T' then 'total' else 'body' end as row_kind,
        {%- for dimension in row_dimensions %}
        {{ dimension }},
        {%- endfor %}
        {{- layout_pivot(printed_columns) }}
        {%- if prior_column %},
        {%- if prior_row %}
        -- The previous grand total is printed once, where the 前回報告件数 row meets the
        -- 前回報告件数 column; the 総計 row shows "-" there.
        case
            when {{ first_dimension }} = '_T' then null
            else max(prior_value) filter (where {{ total_column_condition }})
        end as {{ adapter.quote(prior_label) }}
        {%- else %}
        max(prior_value) filter (where {{ total_column_condition }}) as {{ adapter.quote(prior_label) }}
        {%- endif %}
        {%- endif %}
    from cells
    {%- if row_dimensions | length > 1 %}
    where
        ({% for dimension in row_dimensions %}{{ dimension }} != '_T'{{ " and " if not loop.last }}{% endfor %})
        or ({% for dimension in row_dimensions %}{{ dimension }} = '_T'{{ " and " if not loop.last }}{% endfor %})
    {%- endif %}
    group by period_end, {{ row_dimensions | join(', ') }}
),

layout_rows as (
    select * from printed_rows
    {%- if prior_row %}
    union all
    -- The 前回報告件数 row: the previous period's 総計 row, which the cube carries as prior_value.
    select
        period_end,
        'prior' as row_kind,
        {%- for dimension in row_dimensions %}
        {{ dimension }},
        {%- endfor %}
        {{- layout_pivot(printed_columns, 'prior_value', blank_total=prior_column) }}
        {%- if prior_column %},
        max(prior_value) filter (where {{ total_column_condition }}) as {{ adapter.quote(prior_label) }}
        {%- endif %}
    from cells
    where {% for dimension in row_dimensions %}{{ dimension }} = '_T'{{ " and " if not loop.last }}{% endfor %}
    group by period_end, {{ row_dimensions | join(', ') }}
    {%- endif %}
),

{%- if omit_empty_row_groups %}

-- The publication leaves out a row group that has no case in any of its rows.
row_groups as (
    select
        *,
        sum({{ adapter.quote(total_column) }}) over (partition by period_end, {{ first_dimension }}) as row_group_total
    from layout_rows
),

shown_rows as (
    select * from row_groups
    where row_kind != 'body' or row_group_total > 0
),
{%- else %}

shown_rows as (
    select * from layout_rows
),
{%- endif %}
{%- if ministry_count_rows %}

ministry_counts as (
    select
        period_end,
        {%- for dimension in row_dimensions %}
        {{ dimension }},
        {%- endfor %}
        value,
        prior_value
    from report_cells
    where
        table_id = '{{ table_id }}'
        and measure = 'ministry_count'
        and {{ total_column_condition }}
        and {{ first_dimension }} in ('{{ ministry_count_rows | join("', '") }}')
),
{%- endif %}

final as (
    select
        shown_rows.period_end,
        cast(row_number() over (
            partition by shown_rows.period_end
            order by
                case shown_rows.row_kind when 'body' then 1 when 'total' then 2 else 3 end,
                {%- for dimension in row_dimensions %}
                {{ dimension }}_labels.display_order{{ "," if not loop.last }}
                {%- endfor %}
        ) as integer) as row_order,
        {%- for dimension, header in rows %}
        {%- if loop.first %}
        case shown_rows.row_kind
            when 'total' then '{{ labels.total_ja }}'
            when 'prior' then '{{ prior_label }}'
            else {{ dimension }}_labels.printed_label_ja
        end as {{ adapter.quote(header) }},
        {%- else %}
        {{ dimension }}_labels.printed_label_ja as {{ adapter.quote(header) }},
        {%- endif %}
        {%- endfor %}
        {%- if detail_column %}
        {{ first_dimension }}_labels.detail_ja as {{ adapter.quote(detail_column) }},
        {%- endif %}
        {%- for column in printed_columns %}
        shown_rows.{{ adapter.quote(column.name) }}{{ "," if not loop.last or prior_column }}
        {%- endfor %}
        {%- if prior_column %}
        shown_rows.{{ adapter.quote(prior_label) }}
        {%- endif %}
        {%- if ministry_count_rows %}
        {%- for printed, measure in [(total_column, 'value'), (prior_label, 'prior_value')] %},
        case
            when ministry_counts.{{ measure }} is not null
                then shown_rows.{{ adapter.quote(printed) }} || '(' || ministry_counts.{{ measure }} || ')'
            else coalesce(cast(shown_rows.{{ adapter.quote(printed) }} as {{ dbt.type_string() }}), '-')
        end as {{ adapter.quote(printed ~ '_表示') }}
        {%- endfor %}
        {%- endif %}
    from shown_rows
    {%- for dimension in row_dimensions %}
    left join code_labels as {{ dimension }}_labels
        on
            shown_rows.period_end = {{ dimension }}_labels.period_end
            and {{ dimension }}_labels.code_list = '{{ dimension }}'
            and shown_rows.{{ dimension }} = {{ dimension }}_labels.code
    {%- endfor %}
    {%- if ministry_count_rows %}
    left join ministry_counts
        on
            shown_rows.row_kind = 'body'
            and shown_rows.period_end = ministry_counts.period_end
            {%- for dimension in row_dimensions %}
            and shown_rows.{{ dimension }} = ministry_counts.{{ dimension }}
            {%- endfor %}
    {%- endif %}
)

select * from final
{%- endmacro %}
