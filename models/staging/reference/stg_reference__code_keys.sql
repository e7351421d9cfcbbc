-- Every spelling the warehouse accepts for a code, as the lookup key normalise_code() produces:
-- the code itself, its label, the alias seed, the form numbers, and the ministry names.
-- Aliases are typed naturally in the seed and normalised here by the same macro as the data.
with

code_lists as (
    select * from {{ ref('code_lists') }}
),

code_aliases as (
    select * from {{ ref('code_aliases') }}
),

code_numbers as (
    select * from {{ ref('code_numbers') }}
),

ministries as (
    select * from {{ ref('ministries') }}
),

keys as (
    select
        code_list,
        '*' as form_version,
        code as spelling,
        code,
        'code' as key_source,
        null as note
    from code_lists
    union all
    select
        code_list,
        '*' as form_version,
        label_ja as spelling,
        code,
        'label' as key_source,
        null as note
    from code_lists
    union all
    select
        code_list,
        '*' as form_version,
        alias as spelling,
        nullif(code, '') as code,
        'alias' as key_source,
        note
    from code_aliases
    union all
    select
        code_list,
        form_version,
        cast(number as {{ dbt.type_string() }}) as spelling,
        code,
        'form_number' as key_source,
        null as note
    from code_numbers
    union all
    select
        'ministry' as code_list,
        '*' as form_version,
        ministry_name_ja as spelling,
        ministry_code as code,
        'label' as key_source,
        null as note
    from ministries
    union all
    select
        'ministry' as code_list,
        '*' as form_version,
        ministry_code as spelling,
        ministry_code as code,
        'code' as key_source,
        null as note
    from ministries
),

-- Which forms offer the code (WITHIN_CY only on the forms before a year's Dec-31 period).
offered as (
    select
        code_list,
        code,
        offered_on_form
    from code_lists
),

normalised as (
    select distinct
        keys.code_list,
        keys.form_version,
        {{ normalise_code('keys.spelling') }} as lookup_key,
        keys.code,
        keys.key_source,
        keys.note,
        coalesce(offered.offered_on_form, '*') as offered_on_form
    from keys
    left join offered
        on keys.code_list = offered.code_list and keys.code = offered.code
)

select * from normalised
