{#- The one switch for every check against the 令和7年度第3回 publication (the dbt tests
    assert_report_cells_match_publication / assert_errata_are_real_variances and the GX gate's
    report_exclusions_publication suite): $GENAI_CHECK_PUBLICATION, default true; "0", "false",
    "no" or "off" switch it off, as in genai_report/quality_gate/run.py. An explicit
    --vars '{check_publication: false}' still overrides it for dbt alone (test fixtures). -#}
{% macro check_publication() -%}
    {%- set value = var('check_publication', env_var('GENAI_CHECK_PUBLICATION', '')) -%}
    {%- set text = value | string | trim | lower -%}
    {{ return(text not in ('0', 'false', 'no', 'off')) }}
{%- endmacro %}
