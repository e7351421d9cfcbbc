"""The form of one period, from the report contract (genai_report.contract reads the reference seeds;
nothing is retyped here):

* ``submission_columns.csv``: the headers, their order, which are required, which code list each
  coded column takes;
* ``code_lists.csv``: the labels (start-timing labels carry ``{FY}`` / ``{FY+1}``, relative to the
  period's fiscal year) and which form versions offer each code;
* ``code_numbers.csv``: the numbering of a list on each form version (``*`` = every form);
* ``periods.csv``: the period's fiscal year, round, as-of label, form version, previous period;
* ``ministries.csv``: the reference list of ministries (the ``ministry`` code list).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from genai_report.contract import (
    MINISTRY_LIST,
    REFERENCE_DIR,
    Column,
    Ministry,
    Period,
    codes,
    columns,
    fiscal_year_label,
    is_year_relative,
    ministries,
    numbering,
    offered,
    periods,
)

__all__ = [
    "MINISTRY_LIST",
    "Choice",
    "Column",
    "Form",
    "KitError",
    "Ministry",
    "Period",
    "code_list_choices",
    "columns",
    "fiscal_year_label",
    "for_ministry",
    "form",
    "ministries",
    "period",
    "periods",
]


class KitError(RuntimeError):
    """The kit cannot be written as asked (unknown period, no warehouse, ...)."""


@dataclass(frozen=True)
class Choice:
    code: str
    label: str  # what the dropdown offers: the form's number (if the list is numbered) and the label
    year_relative: bool  # the label names a fiscal year relative to the period's ({FY}, {FY+1})


@dataclass(frozen=True)
class Form:
    period: Period
    columns: tuple[Column, ...]
    choices: dict[str, tuple[Choice, ...]]  # code list -> the dropdown, in display order

    def column_choices(self, column: Column) -> tuple[Choice, ...]:
        return self.choices.get(column.code_list or "", ())

    def label(self, column: Column, code: str) -> Choice | None:
        return next((c for c in self.column_choices(column) if c.code == code), None)


def period(period_end: str, seed_dir: Path = REFERENCE_DIR) -> Period:
    known = periods(seed_dir)
    if period_end not in known:
        ends = sorted(known)
        raise KitError(f"{period_end} is not a period end of the periods seed ({ends[0]} … {ends[-1]})")
    return known[period_end]


def code_list_choices(code_list: str, the_period: Period, seed_dir: Path = REFERENCE_DIR) -> tuple[Choice, ...]:
    """The dropdown of one code list on the period's form: offered codes, in display order, each
    label with the period's fiscal year and, where the form numbers the list, its number."""
    if code_list == MINISTRY_LIST:
        return tuple(Choice(m.code, m.name_ja, False) for m in ministries(seed_dir))
    numbers = numbering(code_list, the_period.form_version, seed_dir)
    choices = []
    for entry in codes(code_list, seed_dir):
        if not offered(entry.offered_on_form, the_period.form_version):
            continue
        label = fiscal_year_label(entry.label_ja, the_period.fiscal_year_reiwa)
        if entry.code in numbers:
            label = f"{numbers[entry.code]}. {label}"
        choices.append(Choice(entry.code, label, is_year_relative(entry.label_ja)))
    return tuple(choices)


def form(period_end: str, seed_dir: Path = REFERENCE_DIR) -> Form:
    the_period = period(period_end, seed_dir)
    cols = columns(seed_dir)
    lists = {c.code_list for c in cols if c.code_list}
    return Form(
        period=the_period,
        columns=cols,
        choices={name: code_list_choices(name, the_period, seed_dir) for name in sorted(lists)},
    )


def for_ministry(the_form: Form, ministry_code: str) -> Form:
    """The form one ministry receives: its 府省庁名 dropdown offers its own name only."""
    own = tuple(c for c in the_form.choices.get(MINISTRY_LIST, ()) if c.code == ministry_code)
    return Form(the_form.period, the_form.columns, {**the_form.choices, MINISTRY_LIST: own})
