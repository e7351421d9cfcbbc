{#- The publication's ways of putting a figure into words, as SQL expressions, so the headline
    and the table bullets phrase the same figure the same way. -#}


{#- 約N%: the share rounded to the nearest 5% (0.884 → 約90%). -#}
{% macro approx_percent(ratio) -%}
    '約' || cast(round({{ ratio }} * 20) * 5 as integer) || '%'
{%- endmacro %}


{#- N割 / N割弱 / N割強: tenths, with 弱 or 強 when the share is a quarter of a tenth or more
    below or above the nearest tenth (0.197 → 2割, 0.265 → 3割弱, 0.33 → 3割強). -#}
{% macro wari(ratio) -%}
    case
        when round({{ ratio }} * 10) = 0 then '1割未満'
        when abs({{ ratio }} * 10 - round({{ ratio }} * 10)) < 0.25
            then cast(round({{ ratio }} * 10) as integer) || '割'
        when {{ ratio }} * 10 < round({{ ratio }} * 10)
            then cast(round({{ ratio }} * 10) as integer) || '割弱'
        else cast(round({{ ratio }} * 10) as integer) || '割強'
    end
{%- endmacro %}


{#- A count against the previous report, as the headline states it: 変更なし, 1府省庁増, 2件減. -#}
{% macro change_phrase(value, prior, unit) -%}
    case
        when {{ value }} = {{ prior }} then '変更なし'
        when {{ value }} > {{ prior }} then ({{ value }} - {{ prior }}) || '{{ unit }}増'
        else ({{ prior }} - {{ value }}) || '{{ unit }}減'
    end
{%- endmacro %}


{#- 増加 / 減少 / 横ばい, with わずかに when the change is smaller than `slight` (an expression in
    the value's own unit; none: never). -#}
{% macro trend_phrase(value, prior, slight=none) -%}
    case
        when {{ value }} = {{ prior }} then '横ばい'
        {%- if slight is not none %}
        when abs({{ value }} - {{ prior }}) < {{ slight }}
            then 'わずかに' || case when {{ value }} > {{ prior }} then '増加' else '減少' end
        {%- endif %}
        when {{ value }} > {{ prior }} then '増加'
        else '減少'
    end
{%- endmacro %}


{#- 全府省庁において / 25府省庁中、18府省庁において -#}
{% macro ministries_phrase(ministries, ministry_total) -%}
    case
        when {{ ministries }} = {{ ministry_total }} then '全府省庁において'
        else {{ ministry_total }} || '府省庁中、' || {{ ministries }} || '府省庁において'
    end
{%- endmacro %}


{#- 約90%が利用開始済、約95%が年度内に利用開始予定 (headline and T01's first bullet). -#}
{% macro start_shares_phrase(started_ratio, due_ratio) -%}
    {{ approx_percent(started_ratio) }} || 'が利用開始済、' || {{ approx_percent(due_ratio) }} || 'が年度内に利用開始予定'
{%- endmacro %}
