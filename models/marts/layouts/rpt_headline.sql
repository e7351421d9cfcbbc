-- The figures the publication's bullets state, one row per period and figure, with the previous
-- period's value and, for shares, numerator / denominator / ratio, plus the sentence the
-- publication prints about the figure. The figure names are the keys of seeds/published.
{%- set figures = [
    {'name': 'ministries_with_started_case', 'denominator': 'ministry_total', 'headline_order': 1},
    {'name': 'ministries_with_started_single_ministry_wide_case', 'denominator': 'ministry_total',
     'headline_order': 2},
    {'name': 'active_cases'},
    {'name': 'started_cases', 'denominator': 'active_cases', 'headline_order': 3},
    {'name': 'started_or_due_within_fiscal_year', 'denominator': 'active_cases'},
    {'name': 'specific_share_of_started', 'denominator': 'started_cases'},
    {'name': 't04_population'},
    {'name': 't04_c2_or_personal_cases', 'denominator': 't04_population'},
    {'name': 'risk_incidents', 'headline_order': 4},
] %}
{%- set sentences = [
    'ministries_with_started_case', 'ministries_with_started_single_ministry_wide_case', 'started_cases',
    'specific_share_of_started', 't04_c2_or_personal_cases', 'risk_incidents'
] %}

with

report_cells as (
    select * from {{ ref('report_cells') }}
),

cases as (
    select * from {{ ref('int_cases') }}
),

periods as (
    select * from {{ ref('periods') }}
),

ministries as (
    select * from {{ ref('ministries') }}
),

loaded_periods as (
    select
        periods.period_end,
        periods.previous_period_end,
        periods.as_of_label_ja
    from periods
    where periods.period_end in (select report_cells.period_end from report_cells)
),

ministry_total as (
    select count(*) as ministry_total from ministries
),

-- T01 holds every active case, a blank start timing included (as 未定・その他).
t01_figures as (
    select
        period_end,
        max(value) filter (where usage_type = '_T' and start_timing = '_T') as active_cases,
        max(value) filter (where usage_type = '_T' and start_timing = 'STARTED') as started_cases,
        sum(value) filter (
            where usage_type = '_T' and start_timing in ('STARTED', 'WITHIN_CY', 'WITHIN_FY')
        ) as started_or_due_within_fiscal_year,
        sum(value) filter (
            where usage_type in {{ report_code_group('usage_type_groups', 'specific') }} and start_timing = 'STARTED'
        ) as specific_share_of_started
    from report_cells
    where table_id = 'T01' and measure = 'case_count'
    group by period_end
),

t02_figures as (
    select
        period_end,
        max(value) as ministries_with_started_single_ministry_wide_case
    from report_cells
    where
        table_id = 'T02'
        and measure = 'ministry_count'
        and usage_type = '_T'
        and start_status = 'STARTED'
        -- the row T02 prints with its distinct ministries (report contract: ministry_count.rows)
        and user_scope = '{{ report_table('T02').ministry_count_rows | first }}'
    group by period_end
),

t04_figures as (
    select
        period_end,
        max(value) filter (where confidentiality = '_T') as t04_population,
        sum(value) filter (
            where confidentiality in ('C2_PROMPT', 'C2_REFERENCE', 'C2_TRAINING')
        ) as t04_c2_or_personal_cases
    from report_cells
    where table_id = 'T04' and measure = 'case_count' and usage_type = '_T' and start_status = '_T'
    group by period_end
),

-- The cube counts cases, not ministries across all scopes, and has no risk-incident dimension:
-- these two figures are the only ones counted from the cases themselves.
case_figures as (
    select
        period_end,
        count(distinct ministry_code) filter (
            where is_active and start_status = 'STARTED'
        ) as ministries_with_started_case,
        count(*) filter (where risk_incident = 'YES') as risk_incidents
    from cases
    group by period_end
),

per_period as (
    select
        loaded_periods.period_end,
        loaded_periods.previous_period_end,
        loaded_periods.as_of_label_ja,
        ministry_total.ministry_total,
        cast(coalesce(case_figures.ministries_with_started_case, 0) as bigint) as ministries_with_started_case,
        cast(
            coalesce(t02_figures.ministries_with_started_single_ministry_wide_case, 0) as bigint
        ) as ministries_with_started_single_ministry_wide_case,
        cast(coalesce(t01_figures.active_cases, 0) as bigint) as active_cases,
        cast(coalesce(t01_figures.started_cases, 0) as bigint) as started_cases,
        cast(
            coalesce(t01_figures.started_or_due_within_fiscal_year, 0) as bigint
        ) as started_or_due_within_fiscal_year,
        cast(coalesce(t01_figures.specific_share_of_started, 0) as bigint) as specific_share_of_started,
        cast(coalesce(t04_figures.t04_population, 0) as bigint) as t04_population,
        cast(coalesce(t04_figures.t04_c2_or_personal_cases, 0) as bigint) as t04_c2_or_personal_cases,
        cast(coalesce(case_figures.risk_incidents, 0) as bigint) as risk_incidents
    from loaded_periods
    cross join ministry_total
    left join t01_figures
        on loaded_periods.period_end = t01_figures.period_end
    left join t02_figures
        on loaded_periods.period_end = t02_figures.period_end
    left join t04_figures
        on loaded_periods.period_end = t04_figures.period_end
    left join case_figures
        on loaded_periods.period_end = case_figures.period_end
),

-- The previous period's figures only when that period is loaded too.
with_prior as (
    select
        current_period.*,
        {%- for figure in figures %}
        previous_period.{{ figure.name }} as prior_{{ figure.name }},
        {%- endfor %}
        previous_period.as_of_label_ja as prior_as_of_label_ja,
        previous_period.ministry_total as prior_ministry_total
    from per_period as current_period
    left join per_period as previous_period
        on current_period.previous_period_end = previous_period.period_end
),

ratios as (
    select
        {%- for figure in figures if figure.denominator %}
        {{ figure.name }} / nullif({{ figure.denominator }}, 0) as {{ figure.name }}_ratio,
        prior_{{ figure.name }} / nullif(prior_{{ figure.denominator }}, 0) as prior_{{ figure.name }}_ratio,
        {%- endfor %}
        with_prior.*
    from with_prior
),

sentences as (
    select
        *,
        -- The headline names the previous report's date at its first mention only.
        {{ ministries_phrase('ministries_with_started_case', 'ministry_total') }}
        || '、生成AIシステムを利用開始済み'
        || case
            when prior_ministries_with_started_case is null then ''
            else
                '（前回報告（' || prior_as_of_label_ja || '）から'
                || {{ change_phrase('ministries_with_started_case', 'prior_ministries_with_started_case', '府省庁') }}
                || '）'
        end as ministries_with_started_case_sentence,
        {{ ministries_phrase('ministries_with_started_single_ministry_wide_case', 'ministry_total') }}
        || '、府省庁内全体で生成AIを利用開始済み'
        || case
            when prior_ministries_with_started_single_ministry_wide_case is null then ''
            else
                '（前回報告から'
                || {{ change_phrase(
                    'ministries_with_started_single_ministry_wide_case',
                    'prior_ministries_with_started_single_ministry_wide_case',
                    '府省庁'
                ) }}
                || '）'
        end as ministries_with_started_single_ministry_wide_case_sentence,
        '全体傾向として、'
        || {{ start_shares_phrase('started_cases_ratio', 'started_or_due_within_fiscal_year_ratio') }}
            as started_cases_sentence,
        -- "1割以上": the share's whole tenths, as a floor the specialised cases reach.
        '利用開始済の案件の'
        || case
            when specific_share_of_started_ratio >= 0.1
                then cast(floor(specific_share_of_started_ratio * 10) as integer) || '割以上'
            else '1割未満'
        end
        || 'が特化型' as specific_share_of_started_sentence,
        -- A move of under 10 points in the share is "わずかに" (2割 → 3割弱 is).
        '機密性2 情報や個人情報を取り扱う案件'
        || case
            when prior_t04_c2_or_personal_cases_ratio is null
                then
                    'は' || {{ wari('t04_c2_or_personal_cases_ratio') }}
                    || '（' || t04_c2_or_personal_cases || '件/' || t04_population || '件）'
            else
                'が' || {{ wari('prior_t04_c2_or_personal_cases_ratio') }}
                || '（' || prior_t04_c2_or_personal_cases || '件/' || prior_t04_population || '件）から'
                || {{ wari('t04_c2_or_personal_cases_ratio') }}
                || '（' || t04_c2_or_personal_cases || '件/' || t04_population || '件）まで'
                || {{ trend_phrase('t04_c2_or_personal_cases_ratio', 'prior_t04_c2_or_personal_cases_ratio', '0.1') }}
        end as t04_c2_or_personal_cases_sentence,
        as_of_label_ja || 'まで、リスクケースの発生事例は'
        || case when risk_incidents = 0 then 'なし' else risk_incidents || '件' end as risk_incidents_sentence
    from ratios
),

figures as (
    {%- for figure in figures %}
    select
        period_end,
        '{{ figure.name }}' as figure,
        {{ loop.index }} as figure_order,
        {{ figure.headline_order or 'null' }} as headline_order,
        {{ figure.name }} as value,
        prior_{{ figure.name }} as prior_value,
        {%- if figure.denominator %}
        {{ figure.name }} as numerator,
        {{ figure.denominator }} as denominator,
        {{ figure.name }}_ratio as ratio,
        prior_{{ figure.name }} as prior_numerator,
        prior_{{ figure.denominator }} as prior_denominator,
        prior_{{ figure.name }}_ratio as prior_ratio,
        {%- else %}
        cast(null as bigint) as numerator,
        cast(null as bigint) as denominator,
        cast(null as double) as ratio,
        cast(null as bigint) as prior_numerator,
        cast(null as bigint) as prior_denominator,
        cast(null as double) as prior_ratio,
        {%- endif %}
        {%- if figure.name in sentences %}
        {{ figure.name }}_sentence as sentence_ja
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as sentence_ja
        {%- endif %}
    from sentences
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        period_end,
        figure,
        cast(figure_order as integer) as figure_order,
        cast(headline_order as integer) as headline_order,
        value,
        prior_value,
        numerator,
        denominator,
        ratio,
        prior_numerator,
        prior_denominator,
        prior_ratio,
        sentence_ja
    from figures
)

select * from final
