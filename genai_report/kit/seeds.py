"""The form of one period, read from the reference seeds (the one contract; nothing is retyped here).

* ``submission_columns.csv``: the headers, their order, which are required, which code list each
  coded column takes;
* ``code_lists.csv``: the labels (start-timing labels carry ``{FY}`` / ``{FY+1}``, relative to the
  period's fiscal year) and which form versions offer each code;
* ``code_numbers.csv``: the numbering of a list on each form version (``*`` = every form);
* ``periods.csv``: the period's fiscal year, round, as-of label, form version, previous period;
* ``ministries.csv``: the reference list of ministries (the ``ministry`` code list).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from genai_report.exports.common import PROJECT_DIR

SEED_DIR = PROJECT_DIR / "seeds" / "reference"
ALL_FORMS = "*"
#: the code list of 府省庁名: the ministries seed, not code_lists.csv (as in stg_reference__code_keys).
MINISTRY_LIST = "ministry"
_YEAR_TEMPLATE = re.compile(r"\{FY(?:([+-])(\d+))?\}")


class KitError(RuntimeError):
    """The kit cannot be written as asked (unknown period, no warehouse, ...)."""


@dataclass(frozen=True)
class Column:
    name: str
    header_ja: str
    required: bool
    code_list: str | None
    restricted: bool
    description_en: str


@dataclass(frozen=True)
class Period:
    period_end: str
    fiscal_year_reiwa: int
    round_label_ja: str
    as_of_label_ja: str
    form_version: str
    previous_period_end: str | None


@dataclass(frozen=True)
class Choice:
    code: str
    label: str  # what the dropdown offers: the form's number (if the list is numbered) and the label
    year_relative: bool  # the label names a fiscal year relative to the period's ({FY}, {FY+1})


@dataclass(frozen=True)
class Ministry:
    code: str
    name_ja: str


@dataclass(frozen=True)
class Form:
    period: Period
    columns: tuple[Column, ...]
    choices: dict[str, tuple[Choice, ...]]  # code list -> the dropdown, in display order

    def column_choices(self, column: Column) -> tuple[Choice, ...]:
        return self.choices.get(column.code_list or "", ())

    def label(self, column: Column, code: str) -> Choice | None:
        return next((c for c in self.column_choices(column) if c.code == code), None)


def _rows(name: str, seed_dir: Path) -> list[dict[str, str]]:
    with open(seed_dir / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _seed(name: str, seed_dir: Path = SEED_DIR) -> tuple[dict[str, str], ...]:
    return tuple(_rows(name, seed_dir))


def periods(seed_dir: Path = SEED_DIR) -> dict[str, Period]:
    return {
        row["period_end"]: Period(
            period_end=row["period_end"],
            fiscal_year_reiwa=int(row["fiscal_year_reiwa"]),
            round_label_ja=row["round_label_ja"],
            as_of_label_ja=row["as_of_label_ja"],
            form_version=row["form_version"],
            previous_period_end=row["previous_period_end"] or None,
        )
        for row in _seed("periods.csv", seed_dir)
    }


def period(period_end: str, seed_dir: Path = SEED_DIR) -> Period:
    known = periods(seed_dir)
    if period_end not in known:
        ends = sorted(known)
        raise KitError(f"{period_end} is not a period end of the periods seed ({ends[0]} … {ends[-1]})")
    return known[period_end]


def columns(seed_dir: Path = SEED_DIR) -> tuple[Column, ...]:
    rows = sorted(_seed("submission_columns.csv", seed_dir), key=lambda row: int(row["column_order"]))
    return tuple(
        Column(
            name=row["column_name"],
            header_ja=row["header_ja"],
            required=row["is_required"].strip().lower() == "true",
            code_list=row["code_list"] or None,
            restricted=row["is_restricted"].strip().lower() == "true",
            description_en=row["description_en"],
        )
        for row in rows
    )


def ministries(seed_dir: Path = SEED_DIR) -> tuple[Ministry, ...]:
    rows = sorted(_seed("ministries.csv", seed_dir), key=lambda row: int(row["display_order"]))
    return tuple(Ministry(row["ministry_code"], row["ministry_name_ja"]) for row in rows)


def fiscal_year_label(template: str, fiscal_year_reiwa: int) -> str:
    """``令和{FY+1}年度以降`` on a 令和7年度 form -> ``令和8年度以降``."""

    def year(match: re.Match[str]) -> str:
        offset = int(match.group(2) or 0) * (-1 if match.group(1) == "-" else 1)
        return str(fiscal_year_reiwa + offset)

    return _YEAR_TEMPLATE.sub(year, template)


def _offered(offered_on_form: str, form_version: str) -> bool:
    return offered_on_form in (ALL_FORMS, form_version)


def code_list_choices(code_list: str, the_period: Period, seed_dir: Path = SEED_DIR) -> tuple[Choice, ...]:
    """The dropdown of one code list on the period's form: offered codes, in display order, each
    label with the period's fiscal year and, where the form numbers the list, its number."""
    if code_list == MINISTRY_LIST:
        return tuple(Choice(m.code, m.name_ja, False) for m in ministries(seed_dir))
    numbers = {
        row["code"]: row["number"]
        for row in _seed("code_numbers.csv", seed_dir)
        if row["code_list"] == code_list and _offered(row["form_version"], the_period.form_version)
    }
    rows = [
        row
        for row in _seed("code_lists.csv", seed_dir)
        if row["code_list"] == code_list and _offered(row["offered_on_form"], the_period.form_version)
    ]
    rows.sort(key=lambda row: int(row["display_order"]))
    choices = []
    for row in rows:
        label = fiscal_year_label(row["label_ja"], the_period.fiscal_year_reiwa)
        if row["code"] in numbers:
            label = f"{numbers[row['code']]}. {label}"
        choices.append(Choice(row["code"], label, bool(_YEAR_TEMPLATE.search(row["label_ja"]))))
    return tuple(choices)


def form(period_end: str, seed_dir: Path = SEED_DIR) -> Form:
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
