{#- The landing records (the layout of genai_report.landing, RECORD_COLUMNS: one 'file' record per
    landing file, carrying file_checksum = md5 of the file's bytes, one 'row' record per data row).
    Both engines get them from one records function, genai_report.landing.load_landing. On DuckDB
    the loader model base_submissions__landed calls it inside the DAG, on the source
    landing.submission_files; on Spark the landing step of `make build-spark`
    (genai_report.spark_landing) has called it and saved the records as a table before dbt runs, the
    source spark_landing.submission_records. The staging models read them only through here. -#}
{% macro landed_records() -%}
    {{ return(adapter.dispatch('landed_records', 'genai_report')()) }}
{%- endmacro %}

{% macro default__landed_records() -%}
    {{ return(ref('base_submissions__landed')) }}
{%- endmacro %}

{% macro spark__landed_records() -%}
    {{ return(source('spark_landing', 'submission_records')) }}
{%- endmacro %}
