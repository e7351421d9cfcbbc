{#- Column types are declared once, in DuckDB's names (seed column_types, model contracts).
    Spark has no unbounded varchar: spark_type() reads varchar/text as string and leaves the
    other names (bigint, integer, date, boolean, double) alone, which both engines share. -#}
{% macro spark_type(type) -%}
    {{ return('string' if type | trim | lower in ('varchar', 'text') else type) }}
{%- endmacro %}


{#- Contracts stay enforced on Spark: dbt checks a contract by casting NULL to each declared type
    and comparing the result with the model's columns, so the declared types are read through
    spark_type() first. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_columns = {} -%}
    {%- for name in columns -%}
        {%- set column = columns[name] -%}
        {%- if column['data_type'] is defined and column['data_type'] is not none -%}
            {%- do spark_columns.update({name: dict(column, data_type=spark_type(column['data_type']))}) -%}
        {%- else -%}
            {%- do spark_columns.update({name: column}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(default__get_empty_schema_sql(spark_columns)) }}
{%- endmacro %}
