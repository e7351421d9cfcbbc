"""One workbook per ministry: the form (first sheet), the instructions, the dropdowns' list sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from genai_report.kit.form import write_form, write_lists
from genai_report.kit.instructions import instruction_lines, write_instructions
from genai_report.kit.prefill import Cell, Source, form_rows, load_source
from genai_report.kit.seeds import MINISTRY_LIST, Form, KitError, Ministry, for_ministry, form, ministries

FORM_SHEET = "報告様式"
INSTRUCTIONS_SHEET = "記入要領"
LISTS_SHEET = "選択肢"
#: the input message of free-text columns that need more than "free text".
TEXT_NOTES = {"case_id": "前回と同じ案件は番号を変えないでください。"}


def _check_one_ministry(the_form: Form, ministry: Ministry, rows: list[list[Cell]]) -> None:
    """Each workbook holds only its ministry's cases: refuse to write anything else."""
    position = next(i for i, c in enumerate(the_form.columns) if c.code_list == MINISTRY_LIST)
    own = {c.label for c in the_form.column_choices(the_form.columns[position])}
    found = {row[position].value for row in rows}
    if not found <= own:
        raise KitError(f"{ministry.code}: rows of another ministry would be written: {sorted(map(str, found - own))}")


def build_workbook(the_form: Form, ministry: Ministry, source: Source) -> Workbook:
    ministry_form = for_ministry(the_form, ministry.code)
    rows = form_rows(ministry_form, source, ministry.code)
    _check_one_ministry(ministry_form, ministry, rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = FORM_SHEET
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    sources = write_lists(lists, ministry_form)
    write_form(sheet, ministry_form, ministry, rows, sources, TEXT_NOTES)
    notes = sum(1 for row in rows for cell in row if cell.note)
    write_instructions(instructions, instruction_lines(ministry_form, ministry, source.period, len(rows), notes))
    workbook.active = 0
    return workbook


def write_kit(warehouse: Path, period_end: str, out_dir: Path) -> list[Path]:
    """Write ``out_dir/<ministry code>.xlsx`` for every ministry of the reference list."""
    the_form = form(period_end)
    source = load_source(Path(warehouse), the_form)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ministry in ministries():
        path = out_dir / f"{ministry.code}.xlsx"
        build_workbook(the_form, ministry, source).save(path)
        written.append(path)
    return written
