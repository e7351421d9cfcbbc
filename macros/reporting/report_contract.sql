{#- The report contract (vars.report in dbt_project.yml, docs/spec/report-tables.md) as the models
    iterate over it. genai_report/contract.py reads the same entries for Python. -#}
{% macro report_contract() -%}
    {{ return(var('report')) }}
{%- endmacro %}


{#- The tables, each as a dict:
    - table_id, population (a boolean column of int_cases), blank_excludes, title_ja, layout;
    - dimensions: report_cells dimension -> int_cases column that feeds it, in printed order;
    - rows / columns: the dimension entries with that role (name, header_ja, ...);
    - codes: dimension -> the codes its cube covers, where the contract restricts them;
    - ministry_count: whether the cube carries distinct ministries per cell;
    - ministry_count_rows: the first row dimension's codes that print that count. -#}
{% macro report_tables() -%}
    {%- set contract = report_contract() -%}
    {%- set tables = [] -%}
    {%- for entry in contract.tables -%}
        {%- set dimensions = {} -%}
        {%- set codes = {} -%}
        {%- for dimension in entry.dimensions -%}
            {%- do dimensions.update({dimension.name: dimension.get('source', dimension.name)}) -%}
            {%- if dimension.get('codes') -%}
                {%- do codes.update({dimension.name: contract.user_scope_groups[dimension.codes]}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do tables.append({
            'table_id': entry.table_id,
            'title_ja': entry.title_ja,
            'population': entry.population,
            'blank_excludes': entry.blank_excludes,
            'dimensions': dimensions,
            'rows': entry.dimensions | selectattr('role', 'equalto', 'row') | list,
            'columns': entry.dimensions | selectattr('role', 'equalto', 'column') | map(attribute='name') | list,
            'codes': codes,
            'ministry_count': entry.get('ministry_count') is not none,
            'ministry_count_rows': (entry.get('ministry_count') or {}).get('rows', []),
            'layout': entry.get('layout') or {},
        }) -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}


{#- One table of report_tables() by its id. -#}
{% macro report_table(table_id) -%}
    {{ return(report_tables() | selectattr('table_id', 'equalto', table_id) | first) }}
{%- endmacro %}


{#- Every dimension column of report_cells, in the cube's column order. -#}
{% macro report_dimensions() -%}
    {{ return(report_contract().dimensions | map(attribute='name') | list) }}
{%- endmacro %}


{#- A group of codes the contract names (user_scope_groups, usage_type_groups) as a SQL list:
    ('SPECIFIC_1', 'SPECIFIC_2'). -#}
{% macro report_code_group(groups, group) -%}
    ('{{ report_contract()[groups][group] | join("', '") }}')
{%- endmacro %}


{#- The footnote rule (contract: exclusion_order): a case missing one of the table's own
    dimensions is excluded once, under its first blank.
    Returns NULL outside the population, 'INCLUDED', or the exclusion reason. -#}
{% macro report_membership(table) -%}
    case
        when not {{ table.population }} then null
        {%- if table.blank_excludes %}
        {%- for blank in report_contract().exclusion_order %}
        {%- if blank.dimensions | select('in', table.dimensions) | list | length > 0 %}
        when {{ blank.column }} is null then '{{ blank.reason }}'
        {%- endif %}
        {%- endfor %}
        {%- endif %}
        else 'INCLUDED'
    end
{%- endmacro %}
