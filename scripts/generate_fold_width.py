"""Regenerate macros/normalisation/fold_width.sql from Python's unicodedata (NFKC, one char at a time)."""

import unicodedata

from genai_report.contract import PROJECT_DIR

MACRO = PROJECT_DIR / "macros" / "normalisation" / "fold_width.sql"
RANGES = [*range(0xFF01, 0xFF5F), *range(0xFF61, 0xFFA0), 0x3000, 0x00A0]

HEADER = """{#- Width folding as Unicode NFKC does it for the characters ministries type:
    full-width ASCII (汎用型１, （１）, ．), the ideographic space and half-width katakana.
    translate() maps each character one to one (a half-width voiced mark ﾞ becomes the combining
    mark U+3099) and nfc_normalize() then composes ﾃﾞ into デ. DuckDB has no NFKC function.
    The two strings are generated from Python's unicodedata (see scripts/generate_fold_width.py);
    text_literal() writes them as literals for the engine (Spark reads backslashes as escapes).
    Folding leaves ASCII as it is, so pure-ASCII text (most case ids and model names) skips
    translate(), whose cost grows with the length of its character lists. -#}
"""


def main() -> None:
    pairs = []
    for code_point in RANGES:
        character = chr(code_point)
        folded = unicodedata.normalize("NFKC", character)
        if len(folded) == 1 and folded != character:
            pairs.append((character, folded))
    source = "".join(a for a, _ in pairs)
    target = "".join(b for _, b in pairs)
    # Block sets keep the characters as they are (no Jinja escapes; the trailing spaces count).
    MACRO.write_text(
        HEADER
        + "{% macro fold_width(expr) -%}\n"
        + f"    {{%- set full_width %}}{source}{{% endset %}}\n"
        + f"    {{%- set folded %}}{target}{{% endset %}}\n"
        + "    case\n"
        + "        when {{ is_ascii(expr) }} then {{ expr }}\n"
        + "        else {{ nfc_normalize(\n"
        + "            'translate(' ~ expr ~ ', ' ~ text_literal(full_width) ~ ', ' ~ text_literal(folded) ~ ')'\n"
        + "        ) }}\n"
        + "    end\n"
        + "{%- endmacro %}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
