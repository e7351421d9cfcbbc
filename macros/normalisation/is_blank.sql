{#- The form's definition of "not answered": empty, whitespace only (full-width included),
    or one of the dashes / 未記入 that ministries type into empty cells.
    A value holding a character that no blank spelling holds (before width folding: whitespace,
    the no-break and ideographic spaces, the dashes, ｰ, 未, 記, 入) is answered: one character-class
    search decides that for almost every free text, and only the rest is folded and compared (the
    definition). tests/python/test_normalisation_macros.py holds the two equal on every code point.
    text_in_list(), not `in (...)`: DuckDB turns a constant IN list into a join whose key it computes
    for every row, which would fold every value and undo the shortcut. -#}
{% macro is_blank(expr) -%}
    case
        when {{ expr }} is null then true
        when {{ regexp_matches(expr, '[^\\t\\n\\f\\r \\x{a0}\\x{3000}－―‐ーｰ未記入-]') }} then false
        else coalesce(
            {{ text_in_list(regexp_replace_all(fold_width(expr), '\\s+', ''), ['', '-', '－', '―', '‐', 'ー', '未記入']) }},
            true
        )
    end
{%- endmacro %}
