-- The ※ footnotes under each table, per period, rendered from report_exclusions with the
-- phrasing of seeds/editorial: the footnotes state rules, so their counts come from the data.
with

report_exclusions as (
    select * from {{ ref('report_exclusions') }}
),

report_populations as (
    select * from {{ ref('report_populations') }}
),

footnote_reasons as (
    select * from {{ ref('footnote_reasons') }}
),

footnote_tables as (
    select * from {{ ref('footnote_tables') }}
),

code_labels as (
    select * from {{ ref('rpt_code_labels') }}
),

-- A reason with no phrase in the seed yields a null phrase, which nulls its footnote and fails
-- the not_null test on text_ja, instead of vanishing from the footnote.
phrases as (
    select
        report_exclusions.table_id,
        report_exclusions.period_end,
        report_exclusions.treatment,
        footnote_reasons.phrase_order,
        replace(
            replace(footnote_reasons.phrase_ja, '{n}', cast(report_exclusions.case_count as {{ dbt.type_string() }})),
            '{label}',
            coalesce(code_labels.printed_label_ja, '')
        ) as phrase_ja
    from report_exclusions
    left join footnote_reasons
        on report_exclusions.reason = footnote_reasons.reason
    left join code_labels
        on
            report_exclusions.period_end = code_labels.period_end
            and footnote_reasons.counted_as_code_list = code_labels.code_list
            and footnote_reasons.counted_as_code = code_labels.code
),

table_periods as (
    select
        report_populations.table_id,
        report_populations.period_end,
        footnote_tables.scope_ja,
        footnote_tables.fixed_note_ja
    from report_populations
    left join footnote_tables
        on report_populations.table_id = footnote_tables.table_id
),

exclusion_lists as (
    select
        table_id,
        period_end,
        {{ ordered_string_agg('phrase_ja', '、', 'phrase_order') }} as excluded_ja,
        count(*) = count(phrase_ja) as is_phrased
    from phrases
    where treatment = 'excluded'
    group by table_id, period_end
),

-- The population the table covers, then what it leaves out of it, in one sentence:
-- ※ 政府職員を利用者とするもののみを対象、利用開始時期の記入がない1件、…は除いている
scope_notes as (
    select
        table_periods.table_id,
        table_periods.period_end,
        'scope' as footnote_kind,
        1 as kind_order,
        1 as phrase_order,
        case
            when coalesce(exclusion_lists.is_phrased, true)
                then '※ ' || concat_ws('、', table_periods.scope_ja, exclusion_lists.excluded_ja || 'は除いている')
        end as text_ja
    from table_periods
    left join exclusion_lists
        on
            table_periods.table_id = exclusion_lists.table_id
            and table_periods.period_end = exclusion_lists.period_end
    where table_periods.scope_ja is not null or exclusion_lists.table_id is not null
),

-- Cases the table keeps, under another code than the blank they gave (T01: 未定・その他).
treatment_notes as (
    select
        table_id,
        period_end,
        'treatment' as footnote_kind,
        2 as kind_order,
        phrase_order,
        '※ ' || phrase_ja as text_ja
    from phrases
    where treatment != 'excluded'
),

fixed_notes as (
    select
        table_id,
        period_end,
        'fixed' as footnote_kind,
        3 as kind_order,
        1 as phrase_order,
        '※ ' || fixed_note_ja as text_ja
    from table_periods
    where fixed_note_ja is not null
),

notes as (
    select * from scope_notes
    union all
    select * from treatment_notes
    union all
    select * from fixed_notes
),

final as (
    select
        table_id,
        period_end,
        cast(row_number() over (
            partition by table_id, period_end
            order by kind_order, phrase_order
        ) as integer) as footnote_order,
        footnote_kind,
        text_ja
    from notes
)

select * from final
