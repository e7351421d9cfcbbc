{#- The one rule that turns a hand-typed categorical value into a lookup key.
    Steps: fold width (NFKC-like), drop a leading form number such as "1.", "1．", "（1）"
    or "1 " when a label follows it (not another digit: "2.5" and "1 2" stay unknown values), remove every whitespace character (stray spaces and
    line breaks inside labels), upper-case ASCII (codes typed as codes).
    A bare number ("3") survives as the key "3" and is resolved against the numbering of
    the period's form (seed code_numbers). -#}
{% macro normalise_code(expr) -%}
    {%- set numbering_dropped = regexp_replace_first(
        fold_width(expr),
        '^\\s*(\\([0-9]+\\)|[0-9]+\\s*[.、:]|[0-9]+\\s)\\s*([^0-9\\s])',
        '\\2'
    ) -%}
    upper({{ regexp_replace_all(numbering_dropped, '\\s+', '') }})
{%- endmacro %}


{#- Years inside start-timing labels are relative to the period's fiscal year, so one alias
    serves every year's form: on a 令和7年度 form 令和7年度中 becomes 令和{FY}年度中 and
    令和8年度以降 becomes 令和{FY+1}年度以降. Western years (2025年度) count as 令和 (year - 2018).
    A label naming another year keeps an offset such as {FY+2}, matches no code, and is
    rejected as naming the wrong fiscal year rather than guessed. -#}
{% macro relative_year_key(key, fiscal_year_reiwa) -%}
    {%- set reiwa_key -%}
        case
            when {{ regexp_matches(key, '(19|20)[0-9]{2}年') }}
                then {{ regexp_replace_first_with(
                    key, '(19|20)[0-9]{2}年',
                    "'令和' || (cast(regexp_extract(" ~ key ~ ", '((19|20)[0-9]{2})年', 1) as integer) - 2018) || '年'"
                ) }}
            else {{ key }}
        end
    {%- endset -%}
    {%- set year_offset -%}
        (cast(regexp_extract({{ reiwa_key }}, '令和([0-9]+)年', 1) as integer) - {{ fiscal_year_reiwa }})
    {%- endset -%}
    case
        when {{ regexp_matches(reiwa_key, '令和[0-9]+年') }}
            then {{ regexp_replace_first_with(
                reiwa_key, '令和[0-9]+年',
                "'令和{FY' || case when " ~ year_offset ~ " = 0 then '' else "
                ~ format_signed_integer(year_offset) ~ " end || '}年'"
            ) }}
        else {{ reiwa_key }}
    end
{%- endmacro %}
