{#- Seeds on Spark. dbt-spark's session connection pastes seed values into its INSERT unescaped
    (a quote or a backslash breaks the statement, an empty cell arrives as the text 'None'), so
    these overrides of its seed macros write each value as a proper literal, and read the seeds'
    column types (written in DuckDB's names) through spark_type(). -#}


{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_types = spark_seed_column_types(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(column_name | string, quote_seed_column) }} {{ column_types[loop.index0] }}
            {{- "," if not loop.last }}
            {%- endfor %}
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{% endmacro %}


{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_types = spark_seed_column_types(model, agate_table) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                cast({{ spark_seed_literal(value) }} as {{ column_types[loop.index0] }})
                {{- ", " if not loop.last }}
                {%- endfor -%}
            ){{ "," if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{% macro spark_seed_column_types(model, agate_table) %}
    {%- set declared = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- set type = declared.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
        {%- do types.append(spark_type(type)) -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}


{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {{ text_literal(value | string) }}
    {%- endif -%}
{%- endmacro %}
