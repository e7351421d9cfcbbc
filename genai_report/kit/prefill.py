"""The rows a ministry's form starts with: its cases of the latest loaded period before the kit's.

Read by column name (the contract's column names; the ministry is ``ministry_code``) from the
public case mart ``marts.report_cases`` and, for the restricted answers a ministry's own form
carries again (case name, outcome goal text, model name, high risk), ``marts.restricted_case_texts``
(kept out of everything published). Cases discontinued in that period are left out. Coded answers are written as
the label the new form's dropdown offers for the same code; free text as it was reported.

A coded answer the new form cannot carry over unchanged is left blank and flagged for the ministry
(:attr:`Cell.note`): a code the new form does not offer, and a label naming a fiscal year
(令和N年度中 …) when the new period belongs to another fiscal year than the old one, since the same
code would then mean another year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from genai_report.exports.common import read_only, relation_exists
from genai_report.kit.seeds import Column, Form, KitError, Period, code_list_choices, periods

CASES = "marts.report_cases"
#: the restricted answers, joined to CASES on the case key.
TEXTS = "marts.restricted_case_texts"
CASE_KEY = ("period_end", "case_key")
#: case-mart columns that hold a contract column under another name.
CASE_COLUMN = {"ministry": "ministry_code"}
DISCONTINUED_FLAG = "is_discontinued"
#: contract columns the case mart does not carry as such: a carried-over case is not discontinued (blank).
NOT_CARRIED = frozenset({"discontinued"})
ROW_ORDER = ("row_number", "case_id")


@dataclass(frozen=True)
class Cell:
    value: str | None
    note: str | None = None  # why a previous answer was not carried over


@dataclass(frozen=True)
class Source:
    """Where the prefilled rows come from: a loaded period and each ministry's active cases in it."""

    period: Period | None
    cases: dict[str, list[dict[str, object]]]  # ministry code -> report_cases rows (by column name)


def _case_column(column: Column) -> str:
    return CASE_COLUMN.get(column.name, column.name)


def load_source(warehouse: Path, form: Form) -> Source:
    """The latest period in the case mart before the form's period, and its cases not discontinued."""
    try:
        with read_only(warehouse) as connection:
            available = {row[0] for row in connection.sql(f"describe {CASES}").fetchall()}
            joined = relation_exists(connection, *TEXTS.split("."))
            if joined:
                available |= {row[0] for row in connection.sql(f"describe {TEXTS}").fetchall()}
            before = connection.execute(
                f"select max(period_end) from {CASES} where period_end < ?",
                [dt.date.fromisoformat(form.period.period_end)],
            ).fetchone()[0]
            if before is None:
                return Source(None, {})
            wanted = [_case_column(c) for c in form.columns if c.name not in NOT_CARRIED]
            missing = [c for c in wanted if c not in available]
            if missing:
                raise KitError(
                    f"{CASES} (with {TEXTS}) has no column {', '.join(missing)} (the contract's columns, by name)"
                )
            order = ", ".join(c for c in ROW_ORDER if c in available)
            texts = f" left join {TEXTS} using ({', '.join(CASE_KEY)})" if joined else ""
            result = connection.execute(
                f"select {', '.join(wanted)} from {CASES}{texts} "
                f"where period_end = ? and not coalesce({DISCONTINUED_FLAG}, false) "
                f"order by {order}",
                [before],
            )
            names = [d[0] for d in result.description]
            rows = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    except KitError:
        raise
    except Exception as error:  # a missing file or a warehouse without the case mart
        raise KitError(f"cannot read the cases from {warehouse}: {error}") from error
    cases: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        cases.setdefault(str(row[CASE_COLUMN["ministry"]]), []).append(row)
    return Source(periods()[before.isoformat()], cases)


def _coded_cell(form: Form, source: Period, column: Column, code: str) -> Cell:
    choice = form.label(column, code)
    old = next((c for c in code_list_choices(column.code_list or "", source) if c.code == code), None)
    old_label = old.label if old else code
    if choice is None:
        return Cell(
            None,
            f"前回の回答「{old_label}」は今回の様式の選択肢にないため空欄にしています。選び直してください。",
        )
    if choice.year_relative and source.fiscal_year_reiwa != form.period.fiscal_year_reiwa:
        return Cell(
            None,
            f"前回の回答「{old_label}」は令和{source.fiscal_year_reiwa}年度の様式での回答です。"
            f"年度が変わったため空欄にしています。令和{form.period.fiscal_year_reiwa}年度の選択肢から選び直してください。",
        )
    return Cell(choice.label)


def form_rows(form: Form, source: Source, ministry_code: str) -> list[list[Cell]]:
    """The ministry's prefilled rows, one cell per contract column in the contract's order."""
    rows: list[list[Cell]] = []
    for case in source.cases.get(ministry_code, []):
        row: list[Cell] = []
        for column in form.columns:
            value = case.get(_case_column(column))
            if value is None or (isinstance(value, str) and value == ""):
                row.append(Cell(None))
            elif column.code_list and source.period is not None:
                row.append(_coded_cell(form, source.period, column, str(value)))
            else:
                row.append(Cell(str(value)))
        rows.append(row)
    return rows
