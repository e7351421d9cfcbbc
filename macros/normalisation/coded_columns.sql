{#- The categorical columns of the form (seed submission_columns: the rows with a code_list), in
    the form's order: the columns whose raw values int_value_codes decides. Listed
    here once because models are compiled without a database (sqlfluff, docs), where the seed
    cannot be queried; test_contract.py holds this list equal to the seed. -#}
{%- macro coded_columns() -%}
    {{ return([
        'ministry', 'usage_type', 'start_timing', 'user_scope', 'stage', 'confidentiality',
        'outcome_goal', 'output_type', 'discontinued', 'risk_incident', 'high_risk'
    ]) }}
{%- endmacro -%}


{#- Joins the decided code of one coded column onto rows that carry `<column>_raw`, the period's
    form_version and fiscal_year_reiwa: the one way a row gets its codes back from the
    distinct-value dictionary. Use as `left join ... {{ value_code_join(...) }}`. -#}
{%- macro value_code_join(value_codes, column, rows) -%}
    {{ value_codes }} as {{ column }}_decided
        on
            {{ column }}_decided.column_name = '{{ column }}'
            and {{ rows }}.{{ column }}_raw is not distinct from {{ column }}_decided.raw_value
            and {{ rows }}.form_version is not distinct from {{ column }}_decided.form_version
            and {{ rows }}.fiscal_year_reiwa is not distinct from {{ column }}_decided.fiscal_year_reiwa
{%- endmacro -%}
