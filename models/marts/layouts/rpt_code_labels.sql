-- Every code as the report prints it in each period: the form's number ("1. ") and, in the
-- start-timing labels, the period's fiscal year (令和{FY}年度中 → 令和7年度中). Layouts, footnotes
-- and bullets label codes only through this model, so the period's form decides every label.
with

report_cells as (
    select * from {{ ref('report_cells') }}
),

periods as (
    select * from {{ ref('periods') }}
),

code_lists as (
    select * from {{ ref('code_lists') }}
),

code_numbers as (
    select * from {{ ref('code_numbers') }}
),

loaded_periods as (
    select periods.*
    from periods
    where periods.period_end in (select report_cells.period_end from report_cells)
),

labelled as (
    select
        loaded_periods.period_end,
        code_lists.code_list,
        code_lists.code,
        code_lists.display_order,
        code_lists.offered_on_form in ('*', loaded_periods.form_version) as is_offered,
        code_numbers.number,
        -- {FY+1} first: replacing {FY} first would leave "7+1}" behind.
        replace(
            replace(
                code_lists.label_ja, '{FY+1}', cast(loaded_periods.fiscal_year_reiwa + 1 as {{ dbt.type_string() }})
            ),
            '{FY}',
            cast(loaded_periods.fiscal_year_reiwa as {{ dbt.type_string() }})
        ) as label_ja,
        code_lists.detail_ja
    from loaded_periods
    cross join code_lists
    left join code_numbers
        on
            code_lists.code_list = code_numbers.code_list
            and code_lists.code = code_numbers.code
            and code_numbers.form_version in ('*', loaded_periods.form_version)
),

final as (
    select
        period_end,
        code_list,
        code,
        display_order,
        is_offered,
        number,
        label_ja,
        coalesce(cast(number as {{ dbt.type_string() }}) || '. ', '') || label_ja as printed_label_ja,
        detail_ja
    from labelled
)

select * from final
