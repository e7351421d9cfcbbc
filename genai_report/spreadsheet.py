"""Text a spreadsheet must never run as a formula (OWASP "CSV injection"), in one place.

Every file people open in Excel or LibreOffice goes through here: build/rejects.csv (genai_report.build),
the open data CSVs and the workbook (genai_report.exports), the submission kit (through the
workbook's ``write_text``).
"""

from __future__ import annotations

#: The first characters that make a spreadsheet treat a text as a formula: = + - @, and tab /
#: carriage return, which some spreadsheets strip before parsing.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def spreadsheet_safe(value: object) -> object:
    """A CSV field as written: a text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def spreadsheet_safe_sql(expression: str) -> str:
    """spreadsheet_safe in SQL: a text expression with an apostrophe before a formula's first character."""
    triggers = ", ".join(f"chr({ord(trigger)})" for trigger in FORMULA_TRIGGERS)
    return f"case when left({expression}, 1) in ({triggers}) then chr(39) || {expression} else {expression} end"
