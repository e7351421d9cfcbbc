"""Performance changes proposed for the project, applied to a benchmark snapshot only (variant "fast").

Each patch leaves every result unchanged; the benchmark checks that by comparing report_cells of
the two variants on the same data. They are not applied to the working tree: the lead decides.

1. ``fold_width``: DuckDB's ``translate()`` rebuilds its 159-character map on every call (about
   50 microseconds a value on this machine), and the macro runs it on every categorical value, every
   free-text blank check and every case id. Guard it: values with none of the characters it maps
   (the overwhelming majority) skip straight to ``nfc_normalize``, which gives the same result.
2. staging as tables: ``stg_submissions__rows`` and ``stg_submissions__coded_values`` are views,
   so the normalisation runs again in every model and test that reads them (int_cases,
   int_submission_issues, assert_every_value_decided, ...). Materialised once, they are read
   cheaply by each consumer.
3. ``report_cells``: every table's cube counted ``count(distinct ministry_code)``, a distinct
   aggregate over every grouping set, although only T02 publishes ``ministry_count`` (the other
   tables' value is never selected); and each CUBE aggregated every case row once per grouping
   set (2^k of them). Count each table once at its finest grain (period x dimensions, x ministry
   for T02), then CUBE those few counts (sum; distinct ministries of the finest groups).
4. ``int_submission_issues``: the duplicate-case check ran an ordered ``string_agg`` window
   (where else the same case id appears) over every row, although only rows whose (period,
   ministry, case id) occurs twice keep it. Window only over those rows.
"""

from __future__ import annotations

from pathlib import Path

FOLD_GUARD = r"[\x{a0}\x{3000}\x{ff01}-\x{ff5e}\x{ff61}-\x{ff9f}]"


def guard_fold_width(project: Path) -> str:
    """Rename the macro to fold_width_unguarded and wrap it (DuckDB SQL: the benchmark's engine)."""
    path = project / "macros" / "normalisation" / "fold_width.sql"
    text = path.read_text(encoding="utf-8")
    header = "{% macro fold_width(expr) -%}"
    if header not in text or "fold_width_unguarded" in text:
        return "fold_width: not applied (macro changed)"
    guarded = (
        "\n\n{% macro fold_width(expr) -%}\n"
        "    case\n"
        f"        when regexp_matches({{{{ expr }}}}, '{FOLD_GUARD}') then {{{{ fold_width_unguarded(expr) }}}}\n"
        "        else nfc_normalize({{ expr }})\n"
        "    end\n"
        "{%- endmacro %}\n"
    )
    path.write_text(text.replace(header, "{% macro fold_width_unguarded(expr) -%}") + guarded, encoding="utf-8")
    return "fold_width: guarded"


def staging_as_tables(project: Path) -> str:
    changed = []
    for name in ("stg_submissions__rows", "stg_submissions__coded_values"):
        path = project / "models" / "staging" / "submissions" / f"{name}.sql"
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if "config(" in text:
            continue
        path.write_text("{{ config(materialized='table') }}\n" + text, encoding="utf-8")
        changed.append(name)
    return "staging as tables: " + (", ".join(changed) or "not applied")


def count_finest_then_cube(project: Path) -> str:
    path = project / "models" / "marts" / "report" / "report_cells.sql"
    text = path.read_text(encoding="utf-8")
    old = (
        "        count(*) as case_count,\n"
        "        count(distinct ministry_code) as ministry_count\n"
        "    from cases\n"
        "    where {{ table.table_id | lower }}_membership = 'INCLUDED'\n"
        "    group by period_end, cube({{ table.dimensions.values() | join(', ') }})\n"
    )
    if text.count(old) != 1:
        return "report_cells: not applied (model changed)"
    new = (
        "        sum(case_rows) as case_count,\n"
        "        {%- if table.ministry_count %}\n"
        "        count(distinct ministry_code) as ministry_count\n"
        "        {%- else %}\n"
        "        cast(null as bigint) as ministry_count\n"
        "        {%- endif %}\n"
        "    from (\n"
        "        select\n"
        "            period_end,\n"
        "            {{ table.dimensions.values() | join(', ') }},\n"
        "            {%- if table.ministry_count %} ministry_code,{% endif %}\n"
        "            count(*) as case_rows\n"
        "        from cases\n"
        "        where {{ table.table_id | lower }}_membership = 'INCLUDED'\n"
        "        group by all\n"
        "    ) as finest\n"
        "    group by period_end, cube({{ table.dimensions.values() | join(', ') }})\n"
    )
    path.write_text(text.replace(old, new), encoding="utf-8")
    return "report_cells: finest-grain counts, then CUBE; distinct ministries only where published"


def window_only_duplicates(project: Path) -> str:
    path = project / "models" / "intermediate" / "int_submission_issues.sql"
    text = path.read_text(encoding="utf-8")
    old = "    from case_keys\n),\n"
    if text.count(old) != 1 or "case_key_places as (" not in text:
        return "int_submission_issues: not applied (model changed)"
    new = (
        "    from case_keys\n"
        "    where exists (\n"
        "        select 1 from case_keys as other\n"
        "        where\n"
        "            other.period_end = case_keys.period_end\n"
        "            and other.ministry_code = case_keys.ministry_code\n"
        "            and other.case_id = case_keys.case_id\n"
        "            and other.row_key != case_keys.row_key\n"
        "    )\n"
        "),\n"
    )
    path.write_text(text.replace(old, new), encoding="utf-8")
    return "int_submission_issues: duplicate-case window only over duplicated keys"


PATCHES = [guard_fold_width, staging_as_tables, count_finest_then_cube, window_only_duplicates]


def apply(project: Path) -> list[str]:
    return [patch(project) for patch in PATCHES]
