{#- Width folding as Unicode NFKC does it for the characters ministries type:
    full-width ASCII (汎用型１, （１）, ．), the ideographic space and half-width katakana.
    translate() maps each character one to one (a half-width voiced mark ﾞ becomes the combining
    mark U+3099) and nfc_normalize() then composes ﾃﾞ into デ. DuckDB has no NFKC function.
    The two strings are generated from Python's unicodedata (see scripts/generate_fold_width.py). -#}
{% macro fold_width(expr) -%}
    nfc_normalize(translate({{ expr }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ　 ', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゙゚  '))
{%- endmacro %}
