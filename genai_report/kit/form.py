"""The form sheet (the first worksheet, the one the landing reader reads) and its list sheet.

Layout: row 1 a title, row 2 必須/任意 above each column, row 3 the contract's headers in the
contract's order (the reader finds the header row by its texts and skips the rows above), then the
prefilled cases and empty rows to add new ones. Every coded column has a list validation whose
source is a column of the list sheet (選択肢): Excel limits an inline list to 255 characters, which
the confidentiality labels alone exceed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from genai_report.exports.workbook import FONT_NAME, write_text
from genai_report.kit.prefill import Cell
from genai_report.kit.seeds import Column, Form, Ministry

TITLE_ROW, MARK_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
#: empty rows with dropdowns below the prefilled ones, and the least number of rows a form offers.
SPARE_ROWS, MIN_ROWS = 100, 200
MAX_WIDTH = 40
REQUIRED_MARK, OPTIONAL_MARK, LIST_MARK = "必須", "任意", "・▼選択"

_thin = Side(style="thin", color="A0A0A0")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
TITLE_FONT = Font(name=FONT_NAME, size=13, bold=True)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
PLAIN_FONT = Font(name=FONT_NAME, size=10)
REQUIRED_FONT = Font(name=FONT_NAME, size=9, bold=True, color="C00000")
OPTIONAL_FONT = Font(name=FONT_NAME, size=9, color="606060")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
LIST_FILL = PatternFill("solid", fgColor="F3F8FC")  # a column answered from a dropdown
NOTE_FILL = PatternFill("solid", fgColor="FFEB9C")  # a previous answer not carried over


def text_width(text: str) -> float:
    """Display width in Excel character units: full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _input_message(column: Column, listed: bool) -> tuple[str, str]:
    title = column.header_ja[:32]
    parts = ["一覧（▼）から選んでください。" if listed else "自由記述です。"]
    parts.append("必須項目です。" if column.required else "空欄は未回答として扱われます。")
    return title, "".join(parts)


def _list_validation(column: Column, source: str) -> DataValidation:
    title, message = _input_message(column, listed=True)
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showInputMessage=True,
        promptTitle=title,
        prompt=message,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="選択肢にない値です",
        error=f"「{column.header_ja}」は一覧（▼）の選択肢から選んでください。",
    )


def _text_prompt(column: Column, extra: str = "") -> DataValidation:
    title, message = _input_message(column, listed=False)
    return DataValidation(showInputMessage=True, promptTitle=title, prompt=message + extra, allow_blank=True)


def write_lists(sheet: Worksheet, form: Form) -> dict[str, str]:
    """One column per coded contract column: the header, then the dropdown's labels.

    -> column name -> the range the column's validation lists (e.g. '選択肢'!$D$2:$D$6)."""
    sources: dict[str, str] = {}
    coded = [c for c in form.columns if form.column_choices(c)]
    for index, column in enumerate(coded, 1):
        letter = get_column_letter(index)
        write_text(sheet.cell(row=1, column=index), column.header_ja).font = HEADER_FONT
        labels = [choice.label for choice in form.column_choices(column)]
        for row, label in enumerate(labels, 2):
            write_text(sheet.cell(row=row, column=index), label).font = PLAIN_FONT
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(map(text_width, [column.header_ja, *labels])) + 2)
        sources[column.name] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${len(labels) + 1}"
    return sources


def _frozen_columns(form: Form) -> int:
    """Freeze the columns that name the case: those before the first answer (coded, not 府省庁名)."""
    for index, column in enumerate(form.columns):
        if index > 0 and column.code_list:
            return index
    return 0


def write_form(
    sheet: Worksheet,
    form: Form,
    ministry: Ministry,
    rows: Sequence[Sequence[Cell]],
    sources: dict[str, str],
    text_notes: dict[str, str],
) -> None:
    """The form: title, marks, headers, prefilled rows, validations, widths, frozen header."""
    period = form.period
    title = f"生成AIシステム定期報告 報告様式　{period.round_label_ja}（{period.as_of_label_ja}）　{ministry.name_ja}"
    write_text(sheet.cell(row=TITLE_ROW, column=1), title).font = TITLE_FONT
    last_row = HEADER_ROW + max(len(rows) + SPARE_ROWS, MIN_ROWS)
    for index, column in enumerate(form.columns, 1):
        letter = get_column_letter(index)
        mark = sheet.cell(row=MARK_ROW, column=index)
        write_text(
            mark, (REQUIRED_MARK if column.required else OPTIONAL_MARK) + (LIST_MARK if column.name in sources else "")
        )
        mark.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        mark.alignment = Alignment(horizontal="center")
        header = write_text(sheet.cell(row=HEADER_ROW, column=index), column.header_ja)
        header.font = HEADER_FONT
        header.fill = REQUIRED_FILL if column.required else HEADER_FILL
        header.border = BORDER
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        data_range = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        if column.name in sources:
            validation = _list_validation(column, sources[column.name])
        else:
            validation = _text_prompt(column, text_notes.get(column.name, ""))
        sheet.add_data_validation(validation)
        validation.add(data_range)
        widths = [text_width(column.header_ja) + 2, *(text_width(c.label) + 4 for c in form.column_choices(column))]
        for row_index in range(FIRST_DATA_ROW, last_row + 1):
            cell = sheet.cell(row=row_index, column=index)
            cell.number_format = "@"  # typed ids such as 001 stay text
            cell.font = PLAIN_FONT
            cell.border = BORDER
            if column.name in sources:
                cell.fill = LIST_FILL
        for offset, row in enumerate(rows):
            value = row[index - 1]
            cell = sheet.cell(row=FIRST_DATA_ROW + offset, column=index)
            if value.value is not None:
                write_text(cell, value.value)
                widths.append(text_width(value.value) + 2)
            if value.note:
                cell.comment = Comment(value.note, "生成AI定期報告")
                cell.fill = NOTE_FILL
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(widths))
    sheet.row_dimensions[HEADER_ROW].height = 30
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=_frozen_columns(form) + 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
