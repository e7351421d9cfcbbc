{#- Regular expressions, written once in DuckDB's (RE2) syntax: patterns and replacements are
    Jinja strings (write a backslash as \\), rendered as literals for the engine. Spark's regex
    engine is Java's: its \s also matches the vertical tab (RE2's does not), so spark__ spells \s
    and \S out as RE2 means them (spark_regex); its replacements say $1 where RE2 says \1; and its
    regexp_replace replaces every match, so a first-match replacement captures the text before
    the match as group 1 and writes it back. -#}


{#- Whether `pattern` matches anywhere in the text (NULL for NULL). -#}
{% macro regexp_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'genai_report')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ text_literal(pattern) }})
{%- endmacro %}

{% macro spark__regexp_matches(expr, pattern) -%}
    regexp_like({{ expr }}, {{ text_literal(spark_regex(pattern)) }})
{%- endmacro %}


{#- Every match of `pattern` replaced by `replacement` (\1 … \9 refer to groups). -#}
{% macro regexp_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'genai_report')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ text_literal(pattern) }}, {{ text_literal(replacement) }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ text_literal(spark_regex(pattern)) }}, {{ text_literal(java_replacement(replacement)) }})
{%- endmacro %}


{#- The first match of `pattern` replaced by `replacement` (\1 … \9 refer to groups). -#}
{% macro regexp_replace_first(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_first', 'genai_report')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_first(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ text_literal(pattern) }}, {{ text_literal(replacement) }})
{%- endmacro %}

{% macro spark__regexp_replace_first(expr, pattern, replacement) -%}
    regexp_replace(
        {{ expr }},
        {{ text_literal(spark_first_match(pattern)) }},
        {{ text_literal('$1' ~ java_replacement(replacement, group_shift=1)) }}
    )
{%- endmacro %}


{#- The first match of `pattern` replaced by the value of the SQL expression `replacement_sql`
    (text without backslashes, taken as it is). -#}
{% macro regexp_replace_first_with(expr, pattern, replacement_sql) -%}
    {{ return(adapter.dispatch('regexp_replace_first_with', 'genai_report')(expr, pattern, replacement_sql)) }}
{%- endmacro %}

{% macro default__regexp_replace_first_with(expr, pattern, replacement_sql) -%}
    regexp_replace({{ expr }}, {{ text_literal(pattern) }}, {{ replacement_sql }})
{%- endmacro %}

{% macro spark__regexp_replace_first_with(expr, pattern, replacement_sql) -%}
    regexp_replace(
        {{ expr }},
        {{ text_literal(spark_first_match(pattern)) }},
        concat('$1', replace({{ replacement_sql }}, '$', {{ text_literal('\\$') }}))
    )
{%- endmacro %}


{#- Helpers of the spark__ forms. -#}
{#- RE2's \s is [\t\n\f\r ]: outside a character class \s and \S become that class and its
    negation, inside one \s becomes its members. -#}
{% macro spark_regex(pattern) -%}
    {%- set whitespace = '\\t\\n\\f\\r ' -%}
    {%- set state = namespace(text='', in_class=false, escaped=false) -%}
    {%- for character in pattern -%}
        {%- if state.escaped -%}
            {%- set state.escaped = false -%}
            {%- if character == 's' -%}
                {%- set state.text = state.text ~ (whitespace if state.in_class else '[' ~ whitespace ~ ']') -%}
            {%- elif character == 'S' and not state.in_class -%}
                {%- set state.text = state.text ~ '[^' ~ whitespace ~ ']' -%}
            {%- elif character == 'S' -%}
                {{ exceptions.raise_compiler_error('spark_regex: \\S inside a character class: ' ~ pattern) }}
            {%- else -%}
                {%- set state.text = state.text ~ '\\' ~ character -%}
            {%- endif -%}
        {%- elif character == '\\' -%}
            {%- set state.escaped = true -%}
        {%- else -%}
            {%- if character == '[' -%}
                {%- set state.in_class = true -%}
            {%- elif character == ']' -%}
                {%- set state.in_class = false -%}
            {%- endif -%}
            {%- set state.text = state.text ~ character -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(state.text) }}
{%- endmacro %}

{% macro spark_first_match(pattern) -%}
    {{ return('(?s)^(.*?)(?:' ~ spark_regex(pattern) ~ ')') }}
{%- endmacro %}

{% macro java_replacement(replacement, group_shift=0) -%}
    {%- set state = namespace(text=replacement | replace('$', '\\$')) -%}
    {%- for group in range(9, 0, -1) -%}
        {%- set state.text = state.text | replace('\\' ~ group, '$' ~ (group + group_shift)) -%}
    {%- endfor -%}
    {{ return(state.text) }}
{%- endmacro %}
