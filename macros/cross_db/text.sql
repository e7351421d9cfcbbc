{#- Engine-portable text: the SQL that differs between DuckDB (default__) and Spark (spark__).
    Every model writes these calls instead of an engine's own function, so the same model builds
    on either engine (docs/spark.md). -#}


{#- A string literal holding `value` exactly. DuckDB takes backslashes literally; Spark SQL reads
    them as escapes, so there they are doubled. -#}
{% macro text_literal(value) -%}
    {{ return(adapter.dispatch('text_literal', 'genai_report')(value)) }}
{%- endmacro %}

{% macro default__text_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__text_literal(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}


{#- Unicode NFC of a text expression (NULL stays NULL). Spark has no normalisation function:
    ICU4J, which Spark 4 ships for collations, composes through reflection. -#}
{% macro nfc_normalize(expr) -%}
    {{ return(adapter.dispatch('nfc_normalize', 'genai_report')(expr)) }}
{%- endmacro %}

{% macro default__nfc_normalize(expr) -%}
    nfc_normalize({{ expr }})
{%- endmacro %}

{% macro spark__nfc_normalize(expr) -%}
    try_reflect('com.ibm.icu.text.Normalizer', 'compose', {{ expr }}, false)
{%- endmacro %}


{#- Whether a text holds only ASCII characters (true when every character is one byte in UTF-8). -#}
{% macro is_ascii(expr) -%}
    {{ return(adapter.dispatch('is_ascii', 'genai_report')(expr)) }}
{%- endmacro %}

{% macro default__is_ascii(expr) -%}
    strlen({{ expr }}) = length({{ expr }})
{%- endmacro %}

{% macro spark__is_ascii(expr) -%}
    octet_length({{ expr }}) = char_length({{ expr }})
{%- endmacro %}


{#- Whether a text expression equals one of `values` (a list of literals), as a function call that
    is evaluated only where the surrounding CASE needs it. -#}
{% macro text_in_list(expr, values) -%}
    {{ return(adapter.dispatch('text_in_list', 'genai_report')(expr, values)) }}
{%- endmacro %}

{% macro default__text_in_list(expr, values) -%}
    list_contains([{% for value in values %}{{ text_literal(value) }}{{ ', ' if not loop.last }}{% endfor %}], {{ expr }})
{%- endmacro %}

{% macro spark__text_in_list(expr, values) -%}
    array_contains(array({% for value in values %}{{ text_literal(value) }}{{ ', ' if not loop.last }}{% endfor %}), {{ expr }})
{%- endmacro %}


{#- An integer as text with its sign always written: 1 -> '+1', -2 -> '-2', 0 -> '+0'. -#}
{% macro format_signed_integer(expr) -%}
    {{ return(adapter.dispatch('format_signed_integer', 'genai_report')(expr)) }}
{%- endmacro %}

{% macro default__format_signed_integer(expr) -%}
    printf('%+d', {{ expr }})
{%- endmacro %}

{% macro spark__format_signed_integer(expr) -%}
    format_string('%+d', {{ expr }})
{%- endmacro %}


{#- string_agg with the items in a stated order, optionally over the rows a filter keeps. Usable
    as a window function too (append `over (...)`). -#}
{% macro ordered_string_agg(expr, separator, order_by, filter=none) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'genai_report')(expr, separator, order_by, filter)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(expr, separator, order_by, filter) -%}
    string_agg({{ expr }}, {{ text_literal(separator) }} order by {{ order_by }})
    {%- if filter is not none %} filter (where {{ filter }}){% endif %}
{%- endmacro %}

{% macro spark__ordered_string_agg(expr, separator, order_by, filter) -%}
    string_agg({{ expr }}, {{ text_literal(separator) }}) within group (order by {{ order_by }})
    {%- if filter is not none %} filter (where {{ filter }}){% endif %}
{%- endmacro %}
