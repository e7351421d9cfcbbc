"""The project's contracts for Python: the report (``vars.report`` in dbt_project.yml) and the
reference seeds (``seeds/reference/*.csv``).

This module is the only Python reader of both. dbt reads the same report entries through
``var('report')`` (macros/reporting/report_contract.sql) and the same seeds as dbt seeds, so a
table's population, dimensions, codes, exclusion order or layout, a form header, a coded, required
or restricted column, a label or the fiscal-year label template is declared once and read by both.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT_DIR / "seeds" / "reference"
#: a code list entry or numbering that every form version offers.
ALL_FORMS = "*"
#: the code list of 府省庁名: the ministries seed, not code_lists.csv (as in stg_reference__code_keys).
MINISTRY_LIST = "ministry"
#: the total over a dimension in report_cells.
TOTAL = "_T"
_YEAR_TEMPLATE = re.compile(r"\{FY(?:([+-])(\d+))?\}")


def sql_string(text: str) -> str:
    """A SQL string literal: ``it's`` -> ``'it''s'``."""
    return "'" + str(text).replace("'", "''") + "'"


# ── the report contract ─────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TableDimension:
    name: str  # the report_cells column
    role: str  # row | column
    source: str  # the int_cases column that feeds it
    header_ja: str | None  # a row dimension's header
    codes: tuple[str, ...] | None  # the codes the cube covers where the contract restricts them


@dataclass(frozen=True)
class Table:
    table_id: str
    title_ja: str
    population: str
    blank_excludes: bool
    dimensions: tuple[TableDimension, ...]
    ministry_count_rows: tuple[str, ...]
    layout: dict[str, Any] = field(default_factory=dict)

    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.dimensions)

    @property
    def rows(self) -> tuple[TableDimension, ...]:
        return tuple(d for d in self.dimensions if d.role == "row")

    @property
    def columns(self) -> tuple[TableDimension, ...]:
        return tuple(d for d in self.dimensions if d.role == "column")

    @property
    def has_ministry_count(self) -> bool:
        return bool(self.ministry_count_rows)


@dataclass(frozen=True)
class Blank:
    """One step of the exclusion order: a blank ``column`` empties these cube ``dimensions``."""

    reason: str
    column: str
    dimensions: tuple[str, ...]


@cache
def report(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The report contract as dbt reads it: ``vars.report`` of dbt_project.yml."""
    with open(project_dir / "dbt_project.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vars"]["report"]


def _table(entry: dict[str, Any], scope_groups: dict[str, list[str]]) -> Table:
    dimensions = tuple(
        TableDimension(
            name=d["name"],
            role=d["role"],
            source=d.get("source", d["name"]),
            header_ja=d.get("header_ja"),
            codes=tuple(scope_groups[d["codes"]]) if d.get("codes") else None,
        )
        for d in entry["dimensions"]
    )
    return Table(
        table_id=entry["table_id"],
        title_ja=entry["title_ja"],
        population=entry["population"],
        blank_excludes=bool(entry["blank_excludes"]),
        dimensions=dimensions,
        ministry_count_rows=tuple((entry.get("ministry_count") or {}).get("rows", ())),
        layout=dict(entry.get("layout") or {}),
    )


_REPORT = report()
REPORT_TITLE_JA: str = _REPORT["title_ja"]
#: the printed names of the total (総計) and of the previous report's figures (前回報告件数).
TOTAL_LABEL_JA: str = _REPORT["layout_labels"]["total_ja"]
PRIOR_LABEL_JA: str = _REPORT["layout_labels"]["prior_ja"]
#: every dimension column of report_cells, in the cube's order -> its Japanese name.
DIMENSIONS: dict[str, str] = {d["name"]: d["name_ja"] for d in _REPORT["dimensions"]}
EXCLUSION_ORDER: tuple[Blank, ...] = tuple(
    Blank(b["reason"], b["column"], tuple(b["dimensions"])) for b in _REPORT["exclusion_order"]
)
#: T01's note: a blank start timing counted as UNDECIDED (table_id, reason, column, code).
UNDECIDED_NOTE: dict[str, str] = dict(_REPORT["undecided_note"])
USER_SCOPE_GROUPS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _REPORT["user_scope_groups"].items()}
USAGE_TYPE_GROUPS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _REPORT["usage_type_groups"].items()}
EXTERNAL_SCOPES = USER_SCOPE_GROUPS["external"]
POPULATIONS: dict[str, str] = dict(_REPORT["populations"])
TABLES: tuple[Table, ...] = tuple(_table(entry, _REPORT["user_scope_groups"]) for entry in _REPORT["tables"])


def table(table_id: str) -> Table:
    for candidate in TABLES:
        if candidate.table_id == table_id:
            return candidate
    raise KeyError(f"no table {table_id} in the report contract (dbt_project.yml vars.report.tables)")


# ── the reference seeds ─────────────────────────────────────────────────────────────────────────


@cache
def seed_rows(name: str, seed_dir: Path = REFERENCE_DIR) -> tuple[dict[str, str], ...]:
    """The rows of one reference seed (``code_lists``, ``periods`` …) as text, in file order."""
    with open(Path(seed_dir) / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


@dataclass(frozen=True)
class Column:
    """A column of the submission form (seeds/reference/submission_columns.csv)."""

    name: str
    header_ja: str
    required: bool
    code_list: str | None
    restricted: bool
    description_en: str
    blank_code: str | None


@dataclass(frozen=True)
class Period:
    period_end: str
    fiscal_year: int
    fiscal_year_reiwa: int
    round_number: int
    round_label_ja: str
    as_of_label_ja: str
    form_version: str
    previous_period_end: str | None


@dataclass(frozen=True)
class Ministry:
    code: str
    name_ja: str
    name_en: str


@dataclass(frozen=True)
class Code:
    code_list: str
    code: str
    display_order: int
    label_ja: str  # may carry {FY} / {FY+1}: see fiscal_year_label
    label_en: str
    offered_on_form: str
    detail_ja: str


def columns(seed_dir: Path = REFERENCE_DIR) -> tuple[Column, ...]:
    """The form's columns in the form's order."""
    rows = sorted(seed_rows("submission_columns", seed_dir), key=lambda row: int(row["column_order"]))
    return tuple(
        Column(
            name=row["column_name"],
            header_ja=row["header_ja"],
            required=_flag(row["is_required"]),
            code_list=row["code_list"] or None,
            restricted=_flag(row["is_restricted"]),
            description_en=row["description_en"],
            blank_code=row["blank_code"] or None,
        )
        for row in rows
    )


def form_headers(seed_dir: Path = REFERENCE_DIR) -> dict[str, str]:
    """canonical column name -> the form's Japanese header, in the form's order."""
    return {column.name: column.header_ja for column in columns(seed_dir)}


def restricted_columns(seed_dir: Path = REFERENCE_DIR) -> tuple[str, ...]:
    """The columns never published (is_restricted)."""
    return tuple(column.name for column in columns(seed_dir) if column.restricted)


def periods(seed_dir: Path = REFERENCE_DIR) -> dict[str, Period]:
    """Every period of the periods seed by its end date (YYYY-MM-DD), oldest first."""
    return {
        row["period_end"]: Period(
            period_end=row["period_end"],
            fiscal_year=int(row["fiscal_year"]),
            fiscal_year_reiwa=int(row["fiscal_year_reiwa"]),
            round_number=int(row["round_number"]),
            round_label_ja=row["round_label_ja"],
            as_of_label_ja=row["as_of_label_ja"],
            form_version=row["form_version"],
            previous_period_end=row["previous_period_end"] or None,
        )
        for row in sorted(seed_rows("periods", seed_dir), key=lambda row: row["period_end"])
    }


def ministries(seed_dir: Path = REFERENCE_DIR) -> tuple[Ministry, ...]:
    rows = sorted(seed_rows("ministries", seed_dir), key=lambda row: int(row["display_order"]))
    return tuple(Ministry(row["ministry_code"], row["ministry_name_ja"], row["ministry_name_en"]) for row in rows)


def codes(code_list: str, seed_dir: Path = REFERENCE_DIR) -> tuple[Code, ...]:
    """A code list's entries in display order (every form version's)."""
    rows = [row for row in seed_rows("code_lists", seed_dir) if row["code_list"] == code_list]
    return tuple(
        Code(
            code_list=row["code_list"],
            code=row["code"],
            display_order=int(row["display_order"]),
            label_ja=row["label_ja"],
            label_en=row["label_en"],
            offered_on_form=row["offered_on_form"],
            detail_ja=row["detail_ja"],
        )
        for row in sorted(rows, key=lambda row: int(row["display_order"]))
    )


def code_list(name: str, seed_dir: Path = REFERENCE_DIR) -> list[str]:
    """The codes of a list in the report's display order."""
    return [entry.code for entry in codes(name, seed_dir)]


def offered(offered_on_form: str, form_version: str) -> bool:
    """Whether an entry offered on ``offered_on_form`` ('*' or a version) is on that form version."""
    return offered_on_form in (ALL_FORMS, form_version)


def numbering(code_list_name: str, form_version: str, seed_dir: Path = REFERENCE_DIR) -> dict[str, int]:
    """code -> the number the form version prints before it (code_numbers.csv), in number order."""
    rows = [
        row
        for row in seed_rows("code_numbers", seed_dir)
        if row["code_list"] == code_list_name and offered(row["form_version"], form_version)
    ]
    return {row["code"]: int(row["number"]) for row in sorted(rows, key=lambda row: int(row["number"]))}


def is_year_relative(template: str) -> bool:
    """Whether a label names a fiscal year relative to the period's ({FY}, {FY+1})."""
    return bool(_YEAR_TEMPLATE.search(template))


def fiscal_year_label(template: str, fiscal_year_reiwa: int) -> str:
    """``令和{FY+1}年度以降`` on a 令和7年度 form -> ``令和8年度以降``."""

    def year(match: re.Match[str]) -> str:
        offset = int(match.group(2) or 0) * (-1 if match.group(1) == "-" else 1)
        return str(fiscal_year_reiwa + offset)

    return _YEAR_TEMPLATE.sub(year, template)
