# Independent oracle: every expected figure is recounted here from the cases, not read from the marts that count them.
"""The gate's frames: one small table per check, each computed by DuckDB SQL over the warehouse.

Every frame is an aggregate: one row per report cell, per (table, period, rule) or per (table,
period, membership outcome), never one row per case, so its size follows the cube and the number of
periods, not the number of cases. Each has the index columns ``table`` / ``period_end`` / ``cell``
and, for the comparisons, ``expected`` (recomputed here) and ``actual`` (what the warehouse holds).

The connection carries temporary relations the SQL below reads: ``gate_periods`` (the periods the
gate checks), ``gate_cells`` (their rows of report_cells) and ``gate_cases``: the checked periods'
rows of the public case mart ``marts.report_cases`` (by column name) grouped once by every column
the rules read, with ``cases`` = how many cases share that profile and one ``example_case``. The
case mart is scanned once; every case count below is a sum of ``cases``. (The checks keep the
names they had when the cases were read from int_cases, of which report_cases is the public copy.)
"""

from __future__ import annotations

import duckdb
import pandas as pd

from genai_report.catalog import column_names, missing_columns
from genai_report.quality_gate.rules import (
    BLANK_CELL,
    DIMENSIONS,
    EXCLUSION_REASONS,
    INDEX_COLUMNS,
    MINISTRY_COUNT_TABLES,
    NO_VALUE,
    POPULATION_SQL,
    PUBLICATION_PERIODS,
    T01_NOTE,
    TABLE_DIMENSIONS,
    TABLE_POPULATION,
    TABLES,
    TOTAL,
    cell_label_sql,
    dimension_sql,
    grouping_sets,
    membership_sql,
    period_text,
    quote,
    values_list,
)

CASES = "marts.report_cases"
REQUIRED_RELATIONS = (
    "marts.report_cells",
    "marts.report_exclusions",
    "marts.report_populations",
    CASES,
    "reference.ministries",
    "reference.periods",
)
#: the case mart's columns the gate reads.
CASE_COLUMNS = (
    "period_end",
    "ministry_code",
    "case_id",
    *(d for d in DIMENSIONS if d != "start_status"),  # start_status is derived (rules.dimension_sql)
    "is_active",
    "is_discontinued",
    *(f"{table.lower()}_membership" for table in TABLES),
)


#: what the rules read of a case: everything but its id.
PROFILE_COLUMNS = tuple(column for column in CASE_COLUMNS if column != "case_id")


class GateError(RuntimeError):
    """The warehouse cannot be checked at all (a relation or column is missing)."""


def relations(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.sql("select table_schema, table_name from information_schema.tables").fetchall()
    return {f"{schema}.{name}" for schema, name in rows}


def prepare(connection: duckdb.DuckDBPyConnection, periods: list[str] | None = None) -> list[str]:
    """Create the temporary relations gate_periods, gate_cells and gate_cases; return the periods checked.

    `periods` None checks every period the case mart or report_cells holds; otherwise the given ones
    that are loaded.
    """
    connection.execute("set enable_progress_bar = false")
    present = relations(connection)
    missing = [name for name in REQUIRED_RELATIONS if name not in present]
    if missing:
        raise GateError(f"the warehouse lacks {', '.join(missing)}")
    lacking = missing_columns(connection, CASES, CASE_COLUMNS)
    if lacking:
        raise GateError(f"{CASES} lacks {', '.join(lacking)}")
    # A given period's next period is checked with it: its prior_value shows the given period's cells.
    given = values_list(sorted({str(p) for p in periods})) if periods is not None else ""
    wanted = (
        ""
        if periods is None
        else f"and (period_end in ({given}) or period_end in "
        f"(select period_end from reference.periods where previous_period_end in ({given})))"
    )
    connection.execute(
        "create or replace temp table gate_periods as select distinct period_end from ("
        f"select period_end from {CASES} union select period_end from marts.report_cells"
        f") where period_end is not null {wanted}"
    )
    connection.execute(
        f"create or replace temp table gate_cases as select {', '.join(PROFILE_COLUMNS)}, count(*) as cases, "
        f"min(ministry_code || '/' || case_id) as example_case from {CASES} "
        f"where period_end in (select period_end from gate_periods) group by {', '.join(PROFILE_COLUMNS)}"
    )
    connection.execute(
        "create or replace temp view gate_cells as select * from marts.report_cells "
        "where period_end in (select period_end from gate_periods)"
    )
    return [
        row[0] for row in connection.sql(f"select {period_text('period_end')} from gate_periods order by 1").fetchall()
    ]


def _numbers(values: pd.Series) -> pd.Series:
    """Integers as Python ints and missing as None (GX's pandas comparisons reject pd.NA)."""
    return pd.Series([None if pd.isna(v) else int(v) for v in values], index=values.index, dtype=object)


def _frame(connection: duckdb.DuckDBPyConnection, sql: str, numeric: bool = True) -> pd.DataFrame:
    """Run a frame's SQL; index columns as text ('' for none), expected/actual as ints or text."""
    frame = connection.sql(sql).df()
    for column in INDEX_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    for column in ("expected", "actual"):
        if column in frame.columns:
            frame[column] = _numbers(frame[column]) if numeric else frame[column].astype(object)
    rest = [column for column in frame.columns if column not in INDEX_COLUMNS]
    return frame[INDEX_COLUMNS + rest]


def _same_cell(left: str, right: str, dimensions: tuple[str, ...] = DIMENSIONS) -> str:
    return " and ".join(
        [f"{left}.table_id = {right}.table_id", f"{left}.measure = {right}.measure"]
        + [f"{left}.{d} is not distinct from {right}.{d}" for d in dimensions]
    )


# --------------------------------------------------------------------------------------------
# report_cells against itself
# --------------------------------------------------------------------------------------------


def totals_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each total cell (a '_T' anywhere) against the sum of the body cells it covers."""
    any_total = " or ".join(f"{d} = '{TOTAL}'" for d in DIMENSIONS)
    covers = " and ".join(f"(t.{d} = '{TOTAL}' or t.{d} is not distinct from b.{d})" for d in DIMENSIONS)
    key = ", ".join(["t.table_id", "t.period_end", "t.measure", *(f"t.{d}" for d in DIMENSIONS)])
    return _frame(
        connection,
        f"""
        with counts as (select * from gate_cells where measure = 'case_count'),
        totals as (select * from counts where {any_total}),
        body as (select * from counts where not coalesce({any_total}, false))
        select t.table_id as "table", {period_text("t.period_end")} as period_end,
            {cell_label_sql("t")} as cell, sum(b.value) as expected, any_value(t.value) as actual
        from totals as t
        left join body as b on b.table_id = t.table_id and b.period_end = t.period_end and {covers}
        group by {key}
        order by all
        """,
    )


def prior_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """prior_value of each cell against the previous period's value of the same cell.

    Expected is NO_VALUE when the previous period is not loaded or the cell did not exist then
    (a code the previous form did not offer); prior_value must then be NULL (NO_VALUE) too.
    """
    return _frame(
        connection,
        f"""
        select c.table_id as "table", {period_text("c.period_end")} as period_end, {cell_label_sql("c")} as cell,
            {period_text("p.previous_period_end")} as previous_period_end,
            coalesce(cast(e.value as varchar), '{NO_VALUE}') as expected,
            coalesce(cast(c.prior_value as varchar), '{NO_VALUE}') as actual
        from gate_cells as c
        left join reference.periods as p on p.period_end = c.period_end
        left join marts.report_cells as e on e.period_end = p.previous_period_end and {_same_cell("e", "c")}
        order by all
        """,
        numeric=False,
    )


# --------------------------------------------------------------------------------------------
# report_cells recomputed from the case mart (report_cases)
# --------------------------------------------------------------------------------------------


def case_cube_sql() -> str:
    """Every cell (body and totals) of every table counted from the cases the recomputed rule
    includes: case_count, and ministry_count (distinct ministries) for T02."""
    # Deliberate independent oracle: written apart from macros/reporting/report_tables.sql and report_cells.sql.
    pieces = []
    for table, dims in TABLE_DIMENSIONS.items():
        values = ", ".join(f"{dimension_sql(table, d)} as {d}" for d in dims)
        columns = []
        for d in DIMENSIONS:
            if d in dims:
                columns.append(
                    f"case when grouping({d}) = 1 then '{TOTAL}' else coalesce({d}, '{BLANK_CELL}') end as {d}"
                )
            else:
                columns.append(f"cast(null as varchar) as {d}")
        pieces.append(
            f"select '{table}' as table_id, period_end, {', '.join(columns)}, "
            "sum(cases) as case_count, count(distinct ministry_code) as ministry_count "
            f"from (select period_end, ministry_code, cases, {values} from gate_cases "
            f"where {membership_sql(table)} = 'INCLUDED') "
            f"group by {grouping_sets(dims)}"
        )
    ministry = values_list(MINISTRY_COUNT_TABLES)
    return (
        "with cube as (" + " union all ".join(pieces) + ") "
        f"select table_id, period_end, {', '.join(DIMENSIONS)}, 'case_count' as measure, case_count as value from cube "
        f"union all select table_id, period_end, {', '.join(DIMENSIONS)}, 'ministry_count', ministry_count from cube "
        f"where table_id in ({ministry})"
    )


def cells_vs_cases_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every cell of report_cells against the same cell counted from the case mart (both measures).

    A cell no case falls into expects 0; a cell cases fall into that report_cells lacks keeps
    actual = None and fails.
    """
    dims = ", ".join(f"coalesce(r.{d}, x.{d}) as {d}" for d in DIMENSIONS)
    joined = " and ".join(
        ["r.table_id = x.table_id", "r.period_end = x.period_end", "r.measure = x.measure"]
        + [f"coalesce(r.{d}, '') = coalesce(x.{d}, '')" for d in DIMENSIONS]
    )
    return _frame(
        connection,
        f"""
        with expected as ({case_cube_sql()}),
        merged as (
            select coalesce(r.table_id, x.table_id) as table_id, coalesce(r.period_end, x.period_end) as period_end,
                coalesce(r.measure, x.measure) as measure, {dims},
                case when x.table_id is null then 0 else x.value end as expected, r.value as actual
            from gate_cells as r full outer join expected as x on {joined}
        )
        select table_id as "table", {period_text("period_end")} as period_end, {cell_label_sql()} as cell,
            measure, expected, actual
        from merged
        order by all
        """,
    )


def _case_counts_sql() -> str:
    """Per period: the cases of each population, counted from the case mart."""
    counts = ", ".join(
        f"coalesce(sum(cases) filter (where {sql}), 0) as {name}" for name, sql in POPULATION_SQL.items()
    )
    return f"select period_end, {counts} from gate_cases group by period_end"


def _per_table_sql() -> str:
    """One row per checked (table, period) with the warehouse's own grand total, exclusions and
    population, and the population recomputed from the case mart."""
    grand = " and ".join(f"coalesce({d}, '{TOTAL}') = '{TOTAL}'" for d in DIMENSIONS)
    population = "case t.table_id " + " ".join(f"when '{t}' then n.{p}" for t, p in TABLE_POPULATION.items()) + " end"
    return f"""
        tables as (select unnest([{values_list(TABLES)}]) as table_id),
        grand as (
            select table_id, period_end, sum(value) as total from gate_cells
            where measure = 'case_count' and {grand} group by all
        ),
        excluded as (
            select table_id, period_end, sum(case_count) as cases,
                sum(case_count) filter (where reason = 'STAGE_BLANK') as stage_blank
            from marts.report_exclusions where treatment = 'excluded' group by all
        ),
        populations as (
            select table_id, period_end, sum(population_cases) as population_cases,
                sum(included_cases) as included_cases, sum(excluded_cases) as excluded_cases
            from marts.report_populations group by all
        ),
        counts as ({_case_counts_sql()}),
        per_table as (
            select t.table_id, p.period_end, g.total, coalesce(x.cases, 0) as excluded,
                coalesce(x.stage_blank, 0) as stage_blank, o.population_cases, o.included_cases,
                o.excluded_cases, coalesce({population}, 0) as cases_in_population,
                coalesce(n.active, 0) as active, coalesce(n.discontinued, 0) as discontinued
            from tables as t cross join gate_periods as p
            left join grand as g on g.table_id = t.table_id and g.period_end = p.period_end
            left join excluded as x on x.table_id = t.table_id and x.period_end = p.period_end
            left join populations as o on o.table_id = t.table_id and o.period_end = p.period_end
            left join counts as n on n.period_end = p.period_end
        )"""


def cross_table_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Grand totals that must agree across tables, per period (docs/spec/report-tables.md, populations)."""
    pivot = ", ".join(
        f"any_value({column}) filter (where table_id = '{t}') as {t.lower()}_{column}"
        for t in TABLES
        for column in ("total", "excluded", "stage_blank", "population_cases")
    )
    # (table, the rule in words, expected, actual); T01 splits into government staff and external.
    staff_and_external = "t02_total + t02_excluded + t05_total + t05_excluded"
    discontinued = "T08 total = discontinued cases in int_cases - T08 exclusions"
    rules = [
        ("T01", "T01 total = active cases in int_cases", "active", "t01_total"),
        ("T06", "T06 total = T01 total (active cases)", "t01_total", "t06_total"),
        ("T01", "T01 total = T02 total + T02 exclusions + T05 total + T05 exclusions", staff_and_external, "t01_total"),
        ("T03", "T03 total = T02 total - T03 STAGE_BLANK exclusions", "t02_total - t03_stage_blank", "t03_total"),
        ("T04", "T04 total = T02 population - T04 exclusions", "t02_population_cases - t04_excluded", "t04_total"),
        ("T07", "T07 total = T01 total - T07 exclusions", "t01_total - t07_excluded", "t07_total"),
        ("T09", "T09 total = T01 total - T09 exclusions", "t01_total - t09_excluded", "t09_total"),
        ("T08", discontinued, "discontinued - t08_excluded", "t08_total"),
    ]
    selects = " union all ".join(
        f"select '{table}' as \"table\", {period_text('period_end')} as period_end, {quote(rule)} as cell, "
        f"{expected} as expected, {actual} as actual from periods"
        for table, rule, expected, actual in rules
    )
    return _frame(
        connection,
        f"""
        with {_per_table_sql()},
        periods as (
            select period_end, any_value(active) as active, any_value(discontinued) as discontinued, {pivot}
            from per_table group by period_end
        )
        {selects}
        """,
    )


def populations_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """report_populations against itself, report_exclusions, report_cells and the case mart."""
    population_rule = (
        "'population_cases = ' || case table_id "
        + " ".join(f"when '{t}' then '{p}'" for t, p in TABLE_POPULATION.items())
        + " end || ' cases in int_cases'"
    )
    rules = [
        ("'population_cases = included_cases + excluded_cases'", "included_cases + excluded_cases", "population_cases"),
        ("'excluded_cases = sum of report_exclusions (treatment ''excluded'')'", "excluded", "excluded_cases"),
        ("'included_cases = report_cells grand total'", "total", "included_cases"),
        (population_rule, "cases_in_population", "population_cases"),
    ]
    selects = " union all ".join(
        f'select table_id as "table", {period_text("period_end")} as period_end, {rule} as cell, '
        f"{expected} as expected, {actual} as actual from per_table"
        for rule, expected, actual in rules
    )
    return _frame(connection, f"with {_per_table_sql()} {selects} order by all")


def membership_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each table's tNN_membership against the footnote rule recomputed from the codes and flags,
    counted per (table, period, recomputed value, stored value), with one example case of each."""
    selects = " union all ".join(
        f"select '{t}' as table_id, period_end, {membership_sql(t)} as expected, "
        f"{t.lower()}_membership as actual, cases, example_case from gate_cases"
        for t in TABLES
    )
    return _frame(
        connection,
        f"""
        select table_id as "table", {period_text("period_end")} as period_end,
            coalesce(expected, '{NO_VALUE}') || ' (' || cast(sum(cases) as bigint) || ' cases, e.g. '
                || min(example_case) || ')' as cell,
            coalesce(expected, '{NO_VALUE}') as expected, coalesce(actual, '{NO_VALUE}') as actual,
            cast(sum(cases) as bigint) as cases, min(example_case) as example_case
        from ({selects})
        group by table_id, period_end, expected, actual
        order by all
        """,
        numeric=False,
    )


def exclusions_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each footnote count of report_exclusions against the cases of the case mart the rule excludes.

    One row per table, period and possible reason (zeros included, so the frame never is empty):
    the reasons of the exclusion rule, recomputed from the codes, and T01's note (active cases with
    no start timing, counted as 未定・その他).
    """
    recomputed = " union all ".join(
        f"select '{t}' as table_id, period_end, {membership_sql(t)} as reason, cases from gate_cases" for t in TABLES
    )
    return _frame(
        connection,
        f"""
        with expected as (
            select table_id, period_end, reason, sum(cases) as cases from ({recomputed})
            where reason is not null and reason != 'INCLUDED' group by all
            union all
            select 'T01', period_end, '{T01_NOTE}', sum(cases) from gate_cases
            where ({POPULATION_SQL["active"]}) and start_timing is null group by all
        ),
        actual as (
            select table_id, period_end, reason, sum(case_count) as cases from marts.report_exclusions
            where period_end in (select period_end from gate_periods) group by all
        ),
        keys as (
            select t.table_id, p.period_end, r.reason
            from (select unnest([{values_list(TABLES)}]) as table_id) as t
            cross join gate_periods as p
            cross join (select unnest([{values_list(EXCLUSION_REASONS)}]) as reason) as r
            union select 'T01', period_end, '{T01_NOTE}' from gate_periods
            union select table_id, period_end, reason from expected
            union select table_id, period_end, reason from actual
        )
        select k.table_id as "table", {period_text("k.period_end")} as period_end, k.reason as cell,
            coalesce(e.cases, 0) as expected, coalesce(a.cases, 0) as actual
        from keys as k
        left join expected as e using (table_id, period_end, reason)
        left join actual as a using (table_id, period_end, reason)
        order by all
        """,
    )


def publication_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """report_exclusions against the publication's footnote counts, for the tables and periods the
    publication footnotes (a reason on one side only counts as 0 on the other)."""
    return _frame(
        connection,
        f"""
        with published as (
            select table_id, period_end, reason, case_count from published.published_exclusions
            where {period_text("period_end")} in ({values_list(PUBLICATION_PERIODS)})
                and period_end in (select period_end from gate_periods)
        ),
        footnoted as (select distinct table_id, period_end from published),
        report as (
            select e.table_id, e.period_end, e.reason, e.case_count from marts.report_exclusions as e
            inner join footnoted using (table_id, period_end)
        )
        select coalesce(p.table_id, r.table_id) as "table",
            {period_text("coalesce(p.period_end, r.period_end)")} as period_end,
            coalesce(p.reason, r.reason) as cell,
            coalesce(p.case_count, 0) as expected, coalesce(r.case_count, 0) as actual
        from published as p full outer join report as r using (table_id, period_end, reason)
        order by all
        """,
    )


def publication_periods_loaded(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in connection.sql(
            f"select {period_text('period_end')} from gate_periods "
            f"where {period_text('period_end')} in ({values_list(PUBLICATION_PERIODS)}) order by 1"
        ).fetchall()
    ]


def ministries_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(
        connection,
        "select 'reference.ministries' as \"table\", null as period_end, ministry_code as cell "
        "from reference.ministries order by all",
    )


def headline_frame(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """The headline's ratios of the checked periods, if marts.rpt_headline has a ratio column."""
    if "marts.rpt_headline" not in relations(connection):
        return None
    columns = column_names(connection, "marts.rpt_headline")
    ratios = [c for c in columns if c.lower() in ("ratio", "prior_ratio", "share", "prior_share")]
    if "figure" not in columns or not ratios:
        return None
    selects = " union all ".join(
        f"select 'marts.rpt_headline' as \"table\", {period_text('period_end')} as period_end, "
        f"figure || ' ({column})' as cell, cast({column} as double) as ratio from marts.rpt_headline "
        f"where {column} is not null and period_end in (select period_end from gate_periods)"
        for column in ratios
    )
    frame = _frame(connection, f"{selects} order by all")
    return None if frame.empty else frame
