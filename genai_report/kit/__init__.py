"""The submission kit: next period's form for every ministry, prefilled with its own cases.

``python -m genai_report.kit --period 2026-03-31 --out DIR`` (or ``make kit PERIOD=2026-03-31``)
writes ``DIR/<ministry code>.xlsx`` for each ministry of the reference list. Every header, label,
list and numbering comes from the reference seeds (:mod:`genai_report.kit.seeds`); the cases come
from ``marts.report_cases`` (and their restricted answers from ``marts.restricted_case_texts``) of
the published warehouse (:mod:`genai_report.kit.prefill`).
"""

from genai_report.kit.seeds import KitError
from genai_report.kit.workbook import FORM_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET, build_workbook, write_kit

__all__ = ["FORM_SHEET", "INSTRUCTIONS_SHEET", "LISTS_SHEET", "KitError", "build_workbook", "write_kit"]
