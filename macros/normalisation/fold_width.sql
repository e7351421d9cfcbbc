{#- Width folding as Unicode NFKC does it for the characters ministries type:
    full-width ASCII (汎用型１, （１）, ．), the ideographic space, and half-width katakana,
    voiced marks included (ﾃﾞｼﾞﾀﾙ庁 → デジタル庁). DuckDB has no NFKC function, and doing
    it in SQL keeps the rule beside the aliases it serves. The two character strings are
    generated from Python's unicodedata; regenerate them rather than editing by hand. -#}
{% macro fold_width(expr) -%}
    {%- set voiced = [('ｦﾞ', 'ヺ'), ('ｳﾞ', 'ヴ'), ('ｶﾞ', 'ガ'), ('ｷﾞ', 'ギ'), ('ｸﾞ', 'グ'), ('ｹﾞ', 'ゲ'), ('ｺﾞ', 'ゴ'), ('ｻﾞ', 'ザ'), ('ｼﾞ', 'ジ'), ('ｽﾞ', 'ズ'), ('ｾﾞ', 'ゼ'), ('ｿﾞ', 'ゾ'), ('ﾀﾞ', 'ダ'), ('ﾁﾞ', 'ヂ'), ('ﾂﾞ', 'ヅ'), ('ﾃﾞ', 'デ'), ('ﾄﾞ', 'ド'), ('ﾊﾞ', 'バ'), ('ﾊﾟ', 'パ'), ('ﾋﾞ', 'ビ'), ('ﾋﾟ', 'ピ'), ('ﾌﾞ', 'ブ'), ('ﾌﾟ', 'プ'), ('ﾍﾞ', 'ベ'), ('ﾍﾟ', 'ペ'), ('ﾎﾞ', 'ボ'), ('ﾎﾟ', 'ポ'), ('ﾜﾞ', 'ヷ')] -%}
    {%- set ns = namespace(expr=expr) -%}
    {%- for pair in voiced -%}
        {%- set ns.expr = "replace(" ~ ns.expr ~ ", '" ~ pair[0] ~ "', '" ~ pair[1] ~ "')" -%}
    {%- endfor -%}
    translate({{ ns.expr }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ　 ', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゙゚  ')
{%- endmacro %}
