{#- Incremental by period: each period folder is a unit of work.

    stg_submissions__period_versions gives every landed period folder a fingerprint (the md5 of
    its files' names and checksums; `cells_fingerprint` adds the previous period's, for models
    whose rows also depend on the period before). A period-incremental model records, in
    incremental_state.built_periods, the fingerprint each period had when the model last built it.
    On the next run it rebuilds exactly the periods whose fingerprint differs (a new folder, a
    resubmitted, added or removed file) and drops the periods whose folder is gone; everything
    else stays as built. A full build (`--full-refresh`, or the first run) builds every period and
    records them all, so the two paths give the same rows.

    A model opts in with:
        {{ config(
            materialized=period_materialization(),
            pre_hook="{{ delete_periods_to_rebuild('period_end') }}",
            post_hook="{{ record_built_periods() }}",
        ) }}
    and reads its input through `periods_to_build()`. Spark builds these models as plain tables
    (dbt-spark cannot delete from Parquet tables); there every macro here is a no-op. -#}


{%- macro period_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro -%}


{%- macro period_state() -%}
    incremental_state.built_periods
{%- endmacro -%}


{#- on-run-start: the bookkeeping table, outside every schema dbt documents. -#}
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


{#- Periods whose recorded fingerprint for this model equals the current one: left as built. -#}
{%- macro unchanged_periods(fingerprint) -%}
    select versions.period_folder, versions.period_end
    from {{ ref('stg_submissions__period_versions') }} as versions
    inner join {{ period_state() }} as state
        on
            state.model_name = '{{ this.identifier }}'
            and versions.period_folder = state.period_folder
            and versions.{{ fingerprint }} = state.period_fingerprint
{%- endmacro -%}


{#- The periods this run (re)builds, as (period_folder, period_end): every landed period on a
    full build, the changed ones on an incremental run. -#}
{%- macro periods_to_build(fingerprint='period_fingerprint') -%}
    select
        versions.period_folder,
        versions.period_end
    from {{ ref('stg_submissions__period_versions') }} as versions
    {%- if is_incremental() %}
    where versions.period_folder not in (
        select unchanged.period_folder from ({{ unchanged_periods(fingerprint) }}) as unchanged
    )
    {%- endif %}
{%- endmacro -%}


{#- pre-hook: remove the rows of every period that is rebuilt now or no longer landed. -#}
{%- macro delete_periods_to_rebuild(partition_column='period_folder', fingerprint='period_fingerprint') -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            {{ partition_column }} is null
            or {{ partition_column }} not in (
                select unchanged.{{ partition_column }} from ({{ unchanged_periods(fingerprint) }}) as unchanged
                where unchanged.{{ partition_column }} is not null
            )
    {%- endif -%}
{%- endmacro -%}


{#- post-hook: record the fingerprint of every period this model now holds; periods rebuilt now
    are marked with this invocation, which is what `__periods_built_now__` filters tests on. -#}
{%- macro record_built_periods(fingerprint='period_fingerprint') -%}
    {%- if target.type == 'duckdb' -%}
        delete from {{ period_state() }} as state
        where
            state.model_name = '{{ this.identifier }}'
            {%- if not flags.FULL_REFRESH %}
            and not exists (
                select 1 from {{ ref('stg_submissions__period_versions') }} as versions
                where
                    versions.period_folder = state.period_folder
                    and versions.{{ fingerprint }} = state.period_fingerprint
            )
            {%- endif %};
        insert into {{ period_state() }}
        select
            '{{ this.identifier }}',
            versions.period_folder,
            versions.period_end,
            versions.{{ fingerprint }},
            '{{ invocation_id }}',
            current_timestamp
        from {{ ref('stg_submissions__period_versions') }} as versions
        where not exists (
            select 1 from {{ period_state() }} as state
            where state.model_name = '{{ this.identifier }}' and state.period_folder = versions.period_folder
        )
    {%- endif -%}
{%- endmacro -%}


{#- Data tests on period-incremental models look at the periods this `dbt build` rebuilt: a
    test's `where` config is `__periods_built_now__` (rows whose period_end was rebuilt) or
    `__period_folders_built_now__` (by period_folder). Outside `dbt build`, with
    `--vars '{test_all_periods: true}'`, or off DuckDB, it means every row. dbt's documented hook
    for a custom `where` is get_where_subquery; any other `where` keeps dbt's own behaviour. -#}
{%- macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- set placeholders = {'__periods_built_now__': 'period_end', '__period_folders_built_now__': 'period_folder'} -%}
    {%- if where in placeholders -%}
        {%- set column = placeholders[where] -%}
        {%- if target.type == 'duckdb' and flags.WHICH == 'build' and not var('test_all_periods', false) -%}
            {%- set condition -%}
                {{ column }} in (
                    select state.{{ column }} from {{ period_state() }} as state
                    where state.model_name = '{{ relation.identifier }}' and state.built_by = '{{ invocation_id }}'
                )
            {%- endset -%}
        {%- else -%}
            {%- set condition = 'true' -%}
        {%- endif -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ condition ~ ') as dbt_subquery') -%}
    {%- endif -%}
    {%- do return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) -%}
{%- endmacro -%}
