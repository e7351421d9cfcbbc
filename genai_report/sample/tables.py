"""Which report cells a case counts in, by the report contract's populations and exclusion order.

A case is a `Record` of its canonical codes (None = not answered). `body_cells` returns the
finest cell of every table the case is counted in (no `_T`); `tabulate` adds every `_T` roll-up.
The rules are the contract's (dbt_project.yml vars.report, docs/spec/report-tables.md), read the
way report_membership reads them: a table counts the cases of its population; where it excludes
blanks, a case missing one of its own dimensions is dropped once, under the first blank of the
exclusion order; T01 counts a blank start timing as UNDECIDED (the contract's undecided note).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable

from genai_report import contract
from genai_report.contract import TOTAL, UNDECIDED_NOTE, Table

from .codes import EXTERNAL, TABLE_DIMS, TABLES, UNDECIDED_SOURCE, Record, status

#: a case's membership of each population the contract names (int_cases' boolean columns).
POPULATION: dict[str, Callable[[Record], bool]] = {
    "is_active": lambda case: not case.discontinued,
    "is_discontinued": lambda case: case.discontinued,
    "is_external": lambda case: not case.discontinued and case.user_scope in EXTERNAL,
    "is_government_staff": lambda case: not case.discontinued and case.user_scope not in EXTERNAL,
}
#: the code int_cases gives a blank answer (submission_columns' blank_code).
BLANK_CODE = {column.name: column.blank_code for column in contract.columns() if column.blank_code}


def _value(case: Record, column: str) -> str | None:
    """An int_cases column of the case: its answer, or one of the columns int_cases derives."""
    if column == "start_status":
        return status(case.start_timing)
    if column == UNDECIDED_SOURCE:
        return getattr(case, UNDECIDED_NOTE["column"]) or UNDECIDED_NOTE["code"]
    return getattr(case, column) or BLANK_CODE.get(column)


def _first_blank(case: Record, table: Table) -> str | None:
    """The exclusion reason a case gets in a table of its population, None if it is counted."""
    if not table.blank_excludes:
        return None
    for blank in contract.EXCLUSION_ORDER:
        if set(blank.dimensions) & set(table.dimension_names) and getattr(case, blank.column) is None:
            return blank.reason
    return None


def body_cells(case: Record) -> list[tuple[str, tuple]]:
    cells = []
    for table in TABLES:
        if POPULATION[table.population](case) and _first_blank(case, table) is None:
            source = {d.name: d.source for d in table.dimensions}
            cells.append((table.table_id, tuple(_value(case, source[d]) for d in TABLE_DIMS[table.table_id])))
    return cells


def rollups(key: tuple) -> Iterable[tuple]:
    """The key itself and every key with some dimensions replaced by `_T`."""
    for mask in itertools.product((False, True), repeat=len(key)):
        yield tuple(TOTAL if m else v for v, m in zip(key, mask, strict=True))


def tabulate(records: Iterable[Record]) -> Counter:
    """records -> Counter over (table, key) incl. `_T` roll-ups."""
    out: Counter = Counter()
    for rec in records:
        for table, key in body_cells(rec):
            for rk in rollups(key):
                out[(table, rk)] += 1
    return out


def exclusions(records: Iterable[Record]) -> Counter:
    """Footnote counts: (table, reason) -> cases, a case counted under its first blank."""
    out: Counter = Counter()
    for rec in records:
        for table in TABLES:
            if not POPULATION[table.population](rec):
                continue
            if table.table_id == UNDECIDED_NOTE["table_id"] and getattr(rec, UNDECIDED_NOTE["column"]) is None:
                out[(table.table_id, UNDECIDED_NOTE["reason"])] += 1
            reason = _first_blank(rec, table)
            if reason is not None:
                out[(table.table_id, reason)] += 1
    return out
