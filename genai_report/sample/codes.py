"""Canonical codes, the form's Japanese labels and headers, and a case's answers as named fields.

The code lists, labels, numbering and headers are read from the reference seeds
(seeds/reference/code_lists.csv, code_numbers.csv, periods.csv, submission_columns.csv), the one
place they are declared (docs/spec/submission-form.md); the generator retypes none of them.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from genai_report.landing.contract import CONTRACT_HEADERS

REFERENCE = Path(__file__).resolve().parents[2] / "seeds" / "reference"


def _read(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


_CODE_LISTS = sorted(_read("code_lists.csv"), key=lambda row: (row["code_list"], int(row["display_order"])))
_CODE_NUMBERS = _read("code_numbers.csv")
_PERIODS = {row["period_end"]: row for row in _read("periods.csv")}


def code_list(name: str) -> list[str]:
    """The codes of a list in the report's display order."""
    return [row["code"] for row in _CODE_LISTS if row["code_list"] == name]


class State(NamedTuple):
    """A case's answers that the published tables count, in one period (None = not answered)."""

    usage_type: str
    start_timing: str | None
    user_scope: str | None
    stage: str | None
    confidentiality: str | None


class Record(NamedTuple):
    """A case as the tables see it in one period: its state, output type and discontinuation."""

    usage_type: str
    start_timing: str | None
    user_scope: str | None
    stage: str | None
    confidentiality: str | None
    output_type: str | None
    discontinued: bool

    @classmethod
    def of(cls, state: State, output_type: str | None, discontinued: bool) -> Record:
        return cls(*state, output_type, discontinued)


USAGE = code_list("usage_type")
STATUS = ["STARTED", "NOT_STARTED"]
SCOPE = code_list("user_scope")
EXTERNAL = ["EXTERNAL_SPECIFIC", "EXTERNAL_PUBLIC"]
GOV_SCOPE = [s for s in SCOPE if s not in EXTERNAL]
STAGE = code_list("stage")
CONF = code_list("confidentiality")
OUTCOME = code_list("outcome_goal")
OUTPUT = code_list("output_type")
WIDE = "SINGLE_MINISTRY_WIDE"

SEP, DEC = "2025-09-30", "2025-12-31"
PERIODS = [SEP, DEC]


def _numbering(name: str, form_version: str) -> dict[str, int]:
    rows = [row for row in _CODE_NUMBERS if row["code_list"] == name and row["form_version"] == form_version]
    return {row["code"]: int(row["number"]) for row in sorted(rows, key=lambda row: int(row["number"]))}


#: start timings in the numbering of each period's form (the 2025-09-30 form offers 令和7年中).
TIMING = {p: list(_numbering("start_timing", _PERIODS[p]["form_version"])) for p in PERIODS}
TIMING_SEP, TIMING_DEC = TIMING[SEP], TIMING[DEC]
#: the fiscal year (令和N) both sample periods belong to, which the start-timing labels name.
FISCAL_YEAR_REIWA = {int(_PERIODS[p]["fiscal_year_reiwa"]) for p in PERIODS}.pop()
#: each period's round and as-of labels (令和7年度第3回, 令和7年12月末時点).
ROUND = {p: (_PERIODS[p]["round_label_ja"], _PERIODS[p]["as_of_label_ja"]) for p in PERIODS}


def _label(row: dict[str, str]) -> str:
    return row["label_ja"].replace("{FY+1}", str(FISCAL_YEAR_REIWA + 1)).replace("{FY}", str(FISCAL_YEAR_REIWA))


LABELS = {
    name: {row["code"]: _label(row) for row in _CODE_LISTS if row["code_list"] == name}
    for name in ("usage_type", "start_timing", "user_scope", "stage", "confidentiality", "outcome_goal", "output_type")
}
#: the Japanese answer for a risk incident / high-risk code (blank when not answered).
RISK = {**{row["code"]: row["label_ja"] for row in _CODE_LISTS if row["code_list"] == "risk_incident"}, None: ""}
HIGH_RISK = {**{row["code"]: row["label_ja"] for row in _CODE_LISTS if row["code_list"] == "high_risk"}, None: ""}

# The report's (and form's) numbering; start timing is numbered per form version.
NUMBERS = {name: _numbering(name, "*") for name in ("user_scope", "confidentiality", "output_type")}
TIMING_NUMBERS = {p: {c: i + 1 for i, c in enumerate(TIMING[p])} for p in PERIODS}

#: the form's headers in the form's order (seeds/reference/submission_columns.csv).
HEADERS = list(CONTRACT_HEADERS.values())

TABLE_DIMS = {
    "T01": ["usage_type", "start_timing"],
    "T02": ["usage_type", "start_status", "user_scope"],
    "T03": ["usage_type", "start_status", "user_scope", "stage"],
    "T04": ["usage_type", "start_status", "confidentiality"],
    "T05": ["usage_type", "start_status", "user_scope", "stage"],
    "T06": ["output_type"],
    "T08": ["usage_type", "start_status", "user_scope", "stage"],
}
CELL_DIMS = [
    "usage_type",
    "start_timing",
    "start_status",
    "user_scope",
    "stage",
    "confidentiality",
    "output_type",
    "outcome_goal",
    "model_family",
]


def status(timing: str | None) -> str | None:
    if timing is None:
        return None
    return "STARTED" if timing == "STARTED" else "NOT_STARTED"
