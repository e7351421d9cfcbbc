{#- The bookkeeping of the materialization period_incremental (period_incremental.sql). -#}

{%- macro period_state() -%}
    incremental_state.built_periods
{%- endmacro -%}


{#- on-run-start: the bookkeeping table, outside every schema dbt documents (created once per run,
    not by the models, which build in parallel). -#}
{%- macro create_period_state() -%}
    {%- if target.type == 'duckdb' -%}
        create schema if not exists incremental_state;
        create table if not exists {{ period_state() }} (
            model_name varchar,
            period_folder varchar,
            period_end date,
            period_fingerprint varchar,
            built_by varchar,
            built_at timestamp
        );
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro -%}


{#- Whether this run adds to the model's table rather than building it whole: the question dbt's
    is_incremental() answers for materialized='incremental' only. A unit test overrides it
    (`overrides: macros: {is_period_incremental: false}`) to read its given rows as a full build. -#}
{%- macro is_period_incremental() -%}
    {%- if not execute or target.type != 'duckdb' or model.config.materialized != 'period_incremental' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set relation = load_cached_relation(this) -%}
    {{ return(relation is not none and relation.is_table and not should_full_refresh()) }}
{%- endmacro -%}


{%- macro period_fingerprint() -%}
    {{ return(config.get('fingerprint', 'period_fingerprint')) }}
{%- endmacro -%}


{#- The predicate a model filters its inputs with: `column` (…period_end or …period_folder) is a
    period this run builds — every landed period on a full build, the changed ones otherwise. -#}
{%- macro in_periods_to_build(column) -%}
    {%- set key = column.split('.') | last -%}
    {{ column }} in (
        select versions.{{ key }} from {{ ref('int_period_versions') }} as versions
        {%- if is_period_incremental() %}
        where not exists (
            select 1 from {{ period_state() }} as state
            where
                state.model_name = '{{ this.identifier }}'
                and state.period_folder = versions.period_folder
                and state.period_fingerprint = versions.{{ period_fingerprint() }}
        )
        {%- endif %}
    )
{%- endmacro -%}


{#- Before the new rows go in: remove the rows of every period rebuilt now or no longer landed. -#}
{%- macro delete_periods_to_rebuild() -%}
    {%- set column = config.get('period_column', 'period_end') -%}
    {%- if not config.get('append_only', false) -%}
        delete from {{ this }}
        where
            {{ column }} is null
            or {{ column }} not in (
                select versions.{{ column }}
                from {{ ref('int_period_versions') }} as versions
                inner join {{ period_state() }} as state
                    on
                        state.model_name = '{{ this.identifier }}'
                        and versions.period_folder = state.period_folder
                        and versions.{{ period_fingerprint() }} = state.period_fingerprint
                where versions.{{ column }} is not null
            );
    {%- endif -%}
{%- endmacro -%}


{#- Record the fingerprint of every period the model now holds; periods built now are marked with
    this invocation, which is what the tests' `__periods_built_now__` filters on. -#}
{%- macro record_built_periods(full_build) -%}
    delete from {{ period_state() }} as state
    where
        state.model_name = '{{ this.identifier }}'
        {%- if not full_build %}
        and not exists (
            select 1 from {{ ref('int_period_versions') }} as versions
            where
                versions.period_folder = state.period_folder
                and versions.{{ period_fingerprint() }} = state.period_fingerprint
        )
        {%- endif %};
    insert into {{ period_state() }}
    select
        '{{ this.identifier }}',
        versions.period_folder,
        versions.period_end,
        versions.{{ period_fingerprint() }},
        '{{ invocation_id }}',
        current_timestamp
    from {{ ref('int_period_versions') }} as versions
    where not exists (
        select 1 from {{ period_state() }} as state
        where state.model_name = '{{ this.identifier }}' and state.period_folder = versions.period_folder
    )
{%- endmacro -%}


{#- Data tests with `where: __periods_built_now__` look at the periods this `dbt build` rebuilt
    in a period-incremental model (by its period_column); on any other model, outside `dbt build`,
    with `--vars '{test_all_periods: true}'`, or off DuckDB, at every row.
    dbt renders a test's `where` when it parses the project, without this project's macros, the
    invocation id or the model under test, so the filter is resolved here, at run time, in
    get_where_subquery: the hook dbt documents for custom `where` logic. -#}
{%- macro get_where_subquery(relation) -%}
    {%- if config.get('where') != '__periods_built_now__' -%}
        {{ return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) }}
    {%- endif -%}
    {%- set tested = (graph.nodes.get(model.attached_node) or {}).get('config', {}) -%}
    {%- set column = tested.get('period_column', 'period_end') -%}
    {%- set condition = 'true' -%}
    {%- if tested.get('materialized') == 'period_incremental' and not tested.get('append_only', false)
        and target.type == 'duckdb' and flags.WHICH == 'build' and not var('test_all_periods', false) -%}
        {%- set condition -%}
            {{ column }} in (
                select state.{{ column }} from {{ period_state() }} as state
                where state.model_name = '{{ relation.identifier }}' and state.built_by = '{{ invocation_id }}'
            )
        {%- endset -%}
    {%- endif -%}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ condition ~ ') as dbt_subquery') }}
{%- endmacro -%}


{#- The rows of `relation` in the periods this run builds, as a subquery to read at each use:
    `from {{ rows_to_build(ref('int_submission_rows'), 'period_folder') }} as submission_rows`.
    A model that reads a per-row relation more than once uses this at each read, not a shared CTE:
    DuckDB materialises a CTE referenced more than once, every column of every row, which spills at
    10^7 rows (docs/developers.md, "Per-row relations"). -#}
{%- macro rows_to_build(relation, column) -%}
    (select * from {{ relation }} where {{ in_periods_to_build(column) }})
{%- endmacro -%}
