"""Canonical codes, the form's Japanese labels and headers, and a case's answers as named fields.

The code lists, labels, numbering, headers and the report tables come from genai_report.contract
(the reference seeds and vars.report of dbt_project.yml), the one place they are declared
(docs/spec/submission-form.md, docs/spec/report-tables.md); the generator retypes none of them.
"""

from __future__ import annotations

from typing import NamedTuple

from genai_report import contract
from genai_report.contract import ALL_FORMS, code_list


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
STATUS = code_list("start_status")
SCOPE = code_list("user_scope")
EXTERNAL = list(contract.EXTERNAL_SCOPES)
GOV_SCOPE = [s for s in SCOPE if s not in EXTERNAL]
STAGE = code_list("stage")
CONF = code_list("confidentiality")
OUTCOME = code_list("outcome_goal")
OUTPUT = code_list("output_type")
WIDE = "SINGLE_MINISTRY_WIDE"

SEP, DEC = "2025-09-30", "2025-12-31"
PERIODS = [SEP, DEC]
_PERIODS = contract.periods()

#: start timings in the numbering of each period's form (the 2025-09-30 form offers 令和7年中).
TIMING = {p: list(contract.numbering("start_timing", _PERIODS[p].form_version)) for p in PERIODS}
TIMING_SEP, TIMING_DEC = TIMING[SEP], TIMING[DEC]
#: the fiscal year (令和N) both sample periods belong to, which the start-timing labels name.
FISCAL_YEAR_REIWA = {_PERIODS[p].fiscal_year_reiwa for p in PERIODS}.pop()
#: each period's round and as-of labels (令和7年度第3回, 令和7年12月末時点).
ROUND = {p: (_PERIODS[p].round_label_ja, _PERIODS[p].as_of_label_ja) for p in PERIODS}

#: column -> code -> the form's Japanese label, for each coded form column that is a report dimension.
LABELS = {
    column.name: {
        entry.code: contract.fiscal_year_label(entry.label_ja, FISCAL_YEAR_REIWA)
        for entry in contract.codes(column.code_list)
    }
    for column in contract.columns()
    if column.code_list and column.name in contract.DIMENSIONS
}
#: the Japanese answer for a risk incident / high-risk code (blank when not answered).
RISK = {**{entry.code: entry.label_ja for entry in contract.codes("risk_incident")}, None: ""}
HIGH_RISK = {**{entry.code: entry.label_ja for entry in contract.codes("high_risk")}, None: ""}

# The report's (and form's) numbering; start timing is numbered per form version.
NUMBERS = {name: numbers for name in LABELS if (numbers := contract.numbering(name, ALL_FORMS))}
TIMING_NUMBERS = {p: {c: i + 1 for i, c in enumerate(TIMING[p])} for p in PERIODS}

#: the form's headers in the form's order (seeds/reference/submission_columns.csv).
HEADERS = list(contract.form_headers().values())

_UNDECIDED = contract.UNDECIDED_NOTE
#: the int_cases column that counts a blank start timing as UNDECIDED (the source of T01's start timing).
UNDECIDED_SOURCE = next(
    d.source for d in contract.table(_UNDECIDED["table_id"]).dimensions if d.name == _UNDECIDED["column"]
)
#: the int_cases columns a Record carries or implies: the sample covers the tables built from them only.
RECORD_COLUMNS = frozenset({*Record._fields, "start_status", UNDECIDED_SOURCE})
#: the report tables the sample's records reproduce (contract order).
TABLES = tuple(t for t in contract.TABLES if {d.source for d in t.dimensions} <= RECORD_COLUMNS)
#: every dimension column of report_cells, in the cube's order.
CELL_DIMS = list(contract.DIMENSIONS)
#: each table's dimensions in the cube's order: a published cell's key.
TABLE_DIMS = {t.table_id: [d for d in CELL_DIMS if d in t.dimension_names] for t in TABLES}


def status(timing: str | None) -> str | None:
    if timing is None:
        return None
    return "STARTED" if timing == "STARTED" else "NOT_STARTED"
