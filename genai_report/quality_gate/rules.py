# Independent oracle: the gate's tables, populations and blank rules are transcribed from the spec, not the contract.
"""The report rules the gate knows, and the SQL expressions it derives from them.

Deliberate independent oracle: transcribed from the specification (docs/spec/report-tables.md), not read from
the report contract (vars.report, genai_report.contract), so that the gate is a second reading of
the rules and a mistake in the first cannot pass both. Only the list of the cube's dimension
columns, which states no rule, comes from the contract.
"""

from __future__ import annotations

from itertools import combinations

from genai_report import contract

#: the cube's dimension columns (report_cells), in its column order.
DIMENSIONS = tuple(contract.DIMENSIONS)
TABLE_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "T01": ("usage_type", "start_timing"),
    "T02": ("usage_type", "start_status", "user_scope"),
    "T03": ("usage_type", "start_status", "user_scope", "stage"),
    "T04": ("usage_type", "start_status", "confidentiality"),
    "T05": ("usage_type", "start_status", "user_scope", "stage"),
    "T06": ("output_type",),
    "T07": ("usage_type", "outcome_goal"),
    "T08": ("usage_type", "start_status", "user_scope", "stage"),
    "T09": ("usage_type", "model_family"),
}
TABLES = tuple(TABLE_DIMENSIONS)
#: the population each table describes.
TABLE_POPULATION = {
    "T01": "active",
    "T02": "government_staff",
    "T03": "government_staff",
    "T04": "government_staff",
    "T05": "external",
    "T06": "active",
    "T07": "active",
    "T08": "discontinued",
    "T09": "active",
}
EXTERNAL_SCOPES = ("EXTERNAL_SPECIFIC", "EXTERNAL_PUBLIC")
#: a case is excluded once, under its first blank in this order, if the blank is in one of the
#: table's dimensions (start_status is derived from start_timing).
BLANK_ORDER = (
    ("start_timing", ("start_timing", "start_status")),
    ("user_scope", ("user_scope",)),
    ("stage", ("stage",)),
    ("confidentiality", ("confidentiality",)),
    ("outcome_goal", ("outcome_goal",)),
)
#: blanks that are counted under a code instead of excluding the case.
BLANK_COUNTED_AS = {("T01", "start_timing"): "UNDECIDED", ("T06", "output_type"): "UNANSWERED"}
MINISTRY_COUNT_TABLES = ("T02",)
MEMBERSHIP_VALUES = ("INCLUDED", *(f"{column.upper()}_BLANK" for column, _ in BLANK_ORDER))
EXCLUSION_REASONS = MEMBERSHIP_VALUES[1:]
#: T01's note: active cases with no start timing, counted as 未定・その他 (not an exclusion).
T01_NOTE = "START_TIMING_BLANK_COUNTED_AS_UNDECIDED"
PUBLICATION_PERIODS = ("2025-09-30", "2025-12-31")
MINISTRY_COUNT = 25
TOTAL = "_T"
#: what a blank dimension value of a counted case shows as (no report cell can match it).
BLANK_CELL = "<blank>"
#: stands for "no value" in a compared column (a prior value that does not exist, a case outside
#: a table's population), so that such rows are compared too instead of skipped as missing.
NO_VALUE = "none"
INDEX_COLUMNS = ["table", "period_end", "cell"]


quote = contract.sql_string


def values_list(items: tuple[str, ...] | list[str]) -> str:
    return ", ".join(quote(item) for item in items)


# --------------------------------------------------------------------------------------------
# SQL over the case mart marts.report_cases (read by column name; it has no restricted column)
# --------------------------------------------------------------------------------------------

#: each population as a SQL condition on a case, from is_active / is_discontinued and the scope.
_EXTERNAL = f"user_scope in ({values_list(EXTERNAL_SCOPES)})"
POPULATION_SQL = {
    "active": "coalesce(is_active, false)",
    # a blank user scope is not external
    "government_staff": f"coalesce(is_active, false) and not coalesce({_EXTERNAL}, false)",
    "external": f"coalesce(is_active, false) and coalesce({_EXTERNAL}, false)",
    "discontinued": "coalesce(is_discontinued, false)",
}


def membership_sql(table: str) -> str:
    """NULL outside the table's population, else 'INCLUDED' or the first blank's '<COLUMN>_BLANK'."""
    whens = [f"when not ({POPULATION_SQL[TABLE_POPULATION[table]]}) then null"]
    for column, dimensions in BLANK_ORDER:
        if (table, column) in BLANK_COUNTED_AS or not set(dimensions) & set(TABLE_DIMENSIONS[table]):
            continue
        whens.append(f"when {column} is null then {quote(column.upper() + '_BLANK')}")
    return "case " + " ".join(whens) + " else 'INCLUDED' end"


def dimension_sql(table: str, dimension: str) -> str:
    """A case's value of one of the table's dimensions: the code as answered, start_status derived
    from start_timing, blanks counted under a code where the spec says so."""
    if dimension == "start_status":
        value = (
            "case when start_timing is null then null "
            "when start_timing = 'STARTED' then 'STARTED' else 'NOT_STARTED' end"
        )
    else:
        value = dimension
    counted_as = BLANK_COUNTED_AS.get((table, dimension))
    return f"coalesce({value}, {quote(counted_as)})" if counted_as else value


def grouping_sets(dimensions: tuple[str, ...]) -> str:
    """Every combination of the dimensions kept (the others totalled), with period_end always kept."""
    sets = [
        "(" + ", ".join(["period_end", *kept]) + ")"
        for size in range(len(dimensions), -1, -1)
        for kept in combinations(dimensions, size)
    ]
    return "grouping sets (" + ", ".join(sets) + ")"


def cell_label_sql(alias: str = "", with_measure: bool = True) -> str:
    """'usage_type=GENERAL_1, start_status=_T' (plus ' [measure]' when it is not case_count)."""
    prefix = f"{alias}." if alias else ""
    parts = ", ".join(f"'{d}=' || {prefix}{d}" for d in DIMENSIONS)
    label = f"concat_ws(', ', {parts})"
    if not with_measure:
        return label
    return f"{label} || case when {prefix}measure = 'case_count' then '' else ' [' || {prefix}measure || ']' end"


def period_text(column: str) -> str:
    return f"strftime({column}, '%Y-%m-%d')"
