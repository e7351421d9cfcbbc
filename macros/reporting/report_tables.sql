{#- The report's tables as data the models iterate over: population, dimensions, and the codes
    each dimension's cube covers. docs/spec/report-tables.md is the source of every entry.
    - population: a boolean column of int_cases.
    - dimensions: report_cells dimension -> int_cases column that feeds it.
    - blank_excludes: whether a blank in a dimension excludes the case (T01 counts a blank start
      timing as UNDECIDED instead; T06 and T09 have an explicit "unanswered" code).
    - codes: restricts a dimension's cube to these codes (default: the whole code list). -#}
{% macro report_tables() -%}
    {%- set government_scopes = [
        'SINGLE_DIVISION', 'SINGLE_BUREAU', 'SINGLE_MINISTRY_WIDE', 'MULTI_MINISTRY', 'GOV_RELATED', 'OTHER'
    ] -%}
    {%- set external_scopes = ['EXTERNAL_SPECIFIC', 'EXTERNAL_PUBLIC'] -%}
    {{ return([
        {'table_id': 'T01', 'population': 'is_active', 'blank_excludes': false,
         'dimensions': {'usage_type': 'usage_type', 'start_timing': 'start_timing_or_undecided'}, 'codes': {}},
        {'table_id': 'T02', 'population': 'is_government_staff', 'blank_excludes': true,
         'dimensions': {'usage_type': 'usage_type', 'start_status': 'start_status', 'user_scope': 'user_scope'},
         'codes': {'user_scope': government_scopes}, 'ministry_count': true},
        {'table_id': 'T03', 'population': 'is_government_staff', 'blank_excludes': true,
         'dimensions': {'usage_type': 'usage_type', 'start_status': 'start_status', 'user_scope': 'user_scope', 'stage': 'stage'},
         'codes': {'user_scope': government_scopes}},
        {'table_id': 'T04', 'population': 'is_government_staff', 'blank_excludes': true,
         'dimensions': {'usage_type': 'usage_type', 'start_status': 'start_status', 'confidentiality': 'confidentiality'},
         'codes': {}},
        {'table_id': 'T05', 'population': 'is_external', 'blank_excludes': true,
         'dimensions': {'usage_type': 'usage_type', 'start_status': 'start_status', 'user_scope': 'user_scope', 'stage': 'stage'},
         'codes': {'user_scope': external_scopes}},
        {'table_id': 'T06', 'population': 'is_active', 'blank_excludes': true,
         'dimensions': {'output_type': 'output_type'}, 'codes': {}},
        {'table_id': 'T07', 'population': 'is_active', 'blank_excludes': true,
         'dimensions': {'usage_type': 'usage_type', 'outcome_goal': 'outcome_goal'}, 'codes': {}},
        {'table_id': 'T08', 'population': 'is_discontinued', 'blank_excludes': true,
         'dimensions': {'usage_type': 'usage_type', 'start_status': 'start_status', 'user_scope': 'user_scope', 'stage': 'stage'},
         'codes': {}},
        {'table_id': 'T09', 'population': 'is_active', 'blank_excludes': true,
         'dimensions': {'usage_type': 'usage_type', 'model_family': 'model_family'}, 'codes': {}},
    ]) }}
{%- endmacro %}


{#- Every dimension column of report_cells, in the layout's order. -#}
{% macro report_dimensions() -%}
    {{ return([
        'usage_type', 'start_timing', 'start_status', 'user_scope', 'stage',
        'confidentiality', 'output_type', 'outcome_goal', 'model_family'
    ]) }}
{%- endmacro %}


{#- The footnote rule: a case missing one of the table's own dimensions is excluded once, under
    its first blank in the order start_timing, user_scope, stage, confidentiality, outcome_goal.
    start_status is derived from start_timing, so its blank is a blank start timing.
    Returns NULL outside the population, 'INCLUDED', or the exclusion reason. -#}
{% macro report_membership(table) -%}
    {%- set blank_order = [
        ('start_timing', ['start_timing', 'start_status']),
        ('user_scope', ['user_scope']),
        ('stage', ['stage']),
        ('confidentiality', ['confidentiality']),
        ('outcome_goal', ['outcome_goal']),
    ] -%}
    case
        when not {{ table.population }} then null
        {%- if table.blank_excludes %}
        {%- for source_column, dimensions in blank_order %}
        {%- if dimensions | select('in', table.dimensions) | list | length > 0 %}
        when {{ source_column }} is null then '{{ source_column | upper }}_BLANK'
        {%- endif %}
        {%- endfor %}
        {%- endif %}
        else 'INCLUDED'
    end
{%- endmacro %}
