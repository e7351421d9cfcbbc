{#- The landing records (the layout of genai_report.landing: one 'file' record per landing file,
    one 'row' record per data row). On DuckDB the loader model stg_submissions__landed reads the
    files inside the DAG, from the source landing.submission_files; on Spark the landing step of
    `make build-spark` (genai_report.spark_landing) has saved the same records as a table before
    dbt runs, the source spark_landing.submission_records. Staging reads them only through here. -#}
{% macro landed_records() -%}
    {{ return(adapter.dispatch('landed_records', 'genai_report')()) }}
{%- endmacro %}

{% macro default__landed_records() -%}
    {{ return(ref('stg_submissions__landed')) }}
{%- endmacro %}

{% macro spark__landed_records() -%}
    {{ return(source('spark_landing', 'submission_records')) }}
{%- endmacro %}
