{#- Width folding as Unicode NFKC does it for the characters ministries type:
    full-width ASCII (汎用型１, （１）, ．), the ideographic space and half-width katakana.
    translate() maps each character one to one (a half-width voiced mark ﾞ becomes the combining
    mark U+3099) and nfc_normalize() then composes ﾃﾞ into デ. DuckDB has no NFKC function.
    The two strings are generated from Python's unicodedata (see scripts/generate_fold_width.py);
    text_literal() writes them as literals for the engine (Spark reads backslashes as escapes).
    Folding leaves ASCII as it is, so pure-ASCII text (most case ids and model names) skips
    translate(), whose cost grows with the length of its character lists. -#}
{% macro fold_width(expr) -%}
    {%- set full_width %}！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ　 {% endset %}
    {%- set folded %}!"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゙゚  {% endset %}
    case
        when {{ is_ascii(expr) }} then {{ expr }}
        else {{ nfc_normalize(
            'translate(' ~ expr ~ ', ' ~ text_literal(full_width) ~ ', ' ~ text_literal(folded) ~ ')'
        ) }}
    end
{%- endmacro %}
