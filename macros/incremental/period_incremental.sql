{#- The materialization `period_incremental`: each landed period folder is a unit of work.

    int_period_versions gives every landed period folder a fingerprint (the md5 of its files'
    names and checksums; `cells_fingerprint` adds the previous period's, for models whose rows
    also depend on the period before). A period-incremental model records, in
    incremental_state.built_periods, the fingerprint each period had when the model last built it.
    On the next run it rebuilds exactly the periods whose fingerprint differs (a new folder, a
    resubmitted, added or removed file) and drops the periods whose folder is gone; everything
    else stays as built. A full build (`--full-refresh`, or the first run) builds every period and
    records them all, so the two paths give the same rows.

    A model opts in with one config and reads its inputs through in_periods_to_build():
        {{ config(materialized='period_incremental', period_column='period_folder', fingerprint='cells_fingerprint') }}
        select * from {{ ref('x') }} where {{ in_periods_to_build('period_end') }}
    period_column (default period_end): the column whose rebuilt periods are replaced; with
    append_only=true nothing is replaced and new rows are added (the value dictionary, which thus
    keeps the spellings of a removed file until the next full build; no row joins them).
    fingerprint (default period_fingerprint): the int_period_versions column compared.

    dbt's own `incremental` cannot serve: its strategies replace the keys present in the new rows
    (delete+insert, merge), so a period that now yields no rows, or whose folder is gone, would keep
    its old rows; microbatch picks its batches by a time window, not by the files that changed. -#}

{% materialization period_incremental, adapter='duckdb' %}
    {%- set incremental = is_period_incremental() -%}
    {%- if not incremental -%}
        {#- Every period: dbt-duckdb's own table materialization, then the bookkeeping. -#}
        {%- set built = materialization_table_duckdb() -%}
        {%- call statement('record_built_periods') -%}
            {{ record_built_periods(full_build=true) }}
        {%- endcall -%}
        {%- do adapter.commit() -%}
        {{ return(built) }}
    {%- endif -%}

    {%- set target_relation = load_cached_relation(this) -%}
    {%- set new_rows = make_temp_relation(target_relation) -%}
    {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- do run_query(create_table_as(True, new_rows, compiled_code)) -%}
    {%- set dest_columns = process_schema_changes(on_schema_change, new_rows, target_relation)
        or adapter.get_columns_in_relation(target_relation) -%}
    {%- call statement('main') -%}
        {{ delete_periods_to_rebuild() }}
        {{ get_incremental_append_sql({
            'target_relation': target_relation, 'temp_relation': new_rows, 'dest_columns': dest_columns,
            'unique_key': none, 'incremental_predicates': none,
        }) }};
        {{ record_built_periods(full_build=false) }}
    {%- endcall -%}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- do adapter.commit() -%}
    {%- do adapter.drop_relation(new_rows) -%}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- Off DuckDB (Spark: dbt-spark cannot delete rows from a Parquet table) every build is a full
    build: the adapter's own table materialization, without bookkeeping. -#}
{% materialization period_incremental, default %}
    {%- set table_materialization = context.get('materialization_table_' ~ adapter.type())
        or context['materialization_table_default'] -%}
    {{ return(table_materialization()) }}
{% endmaterialization %}
