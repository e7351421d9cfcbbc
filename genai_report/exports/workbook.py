"""The report as an Excel workbook in the publication's layout (openpyxl).

Sheets: 表紙 (title, period, headline sentences, contents, provenance with the landing files'
SHA-256), one sheet per table T01 … T09 (○ bullets, the table with merged headers, editorial
examples, ※ footnotes, and any known variance from the publication), 差異一覧 (errata: the
published cells the records cannot match, with the reason) and 改定 (the revisions of earlier
publications, marts.rpt_revisions).

Figures are stored as numbers (zero body cells display blank, as the publication prints them, but
hold 0). Every text cell goes through :func:`write_text`, which stores a text that a spreadsheet
would run as a formula (= + - @ …) as a plain string with Excel's quote prefix.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from genai_report.exports.common import Erratum, Period, Provenance, load_errata, write_period_report
from genai_report.exports.layout import Grid, GridCell, TableContent, headline, table_contents
from genai_report.exports.revisions import HEADERS as REVISION_HEADERS
from genai_report.exports.revisions import INTRODUCTION as REVISIONS_INTRODUCTION
from genai_report.exports.revisions import NO_REVISIONS, Revision, load_revisions
from genai_report.spreadsheet import is_formula_like

COVER_SHEET = "表紙"
ERRATA_SHEET = "差異一覧"
REVISIONS_SHEET = "改定"
FONT_NAME = "Yu Gothic"

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
PRIOR_FILL = PatternFill("solid", fgColor="FFF8E1")
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
HEADING_FONT = Font(name=FONT_NAME, size=12, bold=True)
PLAIN_FONT = Font(name=FONT_NAME, size=10)
BOLD_FONT = Font(name=FONT_NAME, size=10, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=9, color="404040")
BODY_FORMAT = '#,##0;-#,##0;""'  # 0 is stored, shown blank as in the publication
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.0%"


def write_text(cell: Cell, text: str) -> Cell:
    """Store `text` as a string, never as a formula, whatever it starts with."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    if is_formula_like(text):
        # openpyxl made it a formula ('f') on assignment: store it as a string, and set Excel's
        # quote prefix so that editing the cell in a spreadsheet keeps it a string.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def write_value(sheet: Worksheet, row: int, column: int, value: object, font: Font = PLAIN_FONT) -> Cell:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, dt.date | dt.datetime):
        write_text(cell, value.isoformat())
    elif value is not None:
        cell.value = value
    cell.font = font
    return cell


def _width(text: object) -> float:
    """Display width in Excel character units: CJK characters are twice as wide."""
    if text is None:
        return 0
    if isinstance(text, float):
        return 6  # a share, shown as 43.4%
    return sum(2.0 if ord(char) > 0x2E80 else 1.1 for char in str(text))


def _write_grid(sheet: Worksheet, grid: Grid, top: int) -> tuple[int, int]:
    """Write the grid with its top-left at (top, 1); return its bottom row and last column."""
    for cell in grid.cells:
        row, column = top + cell.row, 1 + cell.col
        target = write_value(sheet, row, column, cell.value)
        _style(target, cell)
        if cell.row_span > 1 or cell.col_span > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=column,
                end_row=row + cell.row_span - 1,
                end_column=column + cell.col_span - 1,
            )
            for covered_row in range(row, row + cell.row_span):
                for covered_column in range(column, column + cell.col_span):
                    sheet.cell(row=covered_row, column=covered_column).border = BORDER
    return top + grid.n_rows - 1, grid.n_cols


def _style(target: Cell, cell: GridCell) -> None:
    target.border = BORDER
    if cell.role in ("corner", "group_header", "column_header"):
        target.fill = HEADER_FILL
        target.font = BOLD_FONT
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    elif cell.role == "row_group":
        target.fill = HEADER_FILL
        target.font = BOLD_FONT
        target.alignment = Alignment(horizontal="center", vertical="center", text_rotation=255)
    elif cell.role == "row_label":
        target.alignment = Alignment(vertical="center", wrap_text=True)
    elif cell.role == "total_label":
        target.font = BOLD_FONT
        target.fill = TOTAL_FILL
        target.alignment = Alignment(horizontal="center", vertical="center")
    else:
        target.alignment = Alignment(horizontal="right", vertical="center")
        if cell.is_share:
            target.number_format = SHARE_FORMAT
        elif cell.role == "body":
            target.number_format = BODY_FORMAT
        else:
            target.number_format = COUNT_FORMAT
        if cell.role == "total":
            target.font = BOLD_FONT
            target.fill = TOTAL_FILL
        elif cell.role == "prior":
            target.fill = PRIOR_FILL


def _set_widths(sheet: Worksheet, grid: Grid, has_row_group: bool) -> None:
    widths: dict[int, float] = {}
    for cell in grid.cells:
        if cell.col_span == 1 and cell.role not in ("row_group", "corner"):
            widths[cell.col] = max(widths.get(cell.col, 0), _width(cell.value))
    for col in range(grid.n_cols):
        if has_row_group and col == 0:
            width = 5
        elif col < grid.label_cols:
            width = min(max(widths.get(col, 10), 10), 44)
        else:
            width = min(max(widths.get(col, 6) + 1, 8), 14)
        sheet.column_dimensions[get_column_letter(col + 1)].width = width


def _write_table_sheet(
    workbook: Workbook, content: TableContent, period: Period, errata: list[Erratum], title_line: str
) -> None:
    sheet = workbook.create_sheet(content.spec.table_id)
    sheet.sheet_view.showGridLines = False
    write_value(sheet, 1, 1, f"{content.spec.table_id}  {content.title_ja}", TITLE_FONT)
    write_value(sheet, 2, 1, title_line, NOTE_FONT)
    row = 4
    for bullet in content.bullets:
        write_value(sheet, row, 1, f"○{bullet}", PLAIN_FONT)
        row += 1
    row += 1 if content.bullets else 0
    top = row
    bottom, last_column = _write_grid(sheet, content.grid, top)
    reference = f"{quote_sheetname(sheet.title)}!$A${top}:${get_column_letter(last_column)}${bottom}"
    workbook.defined_names[f"{content.spec.table_id}_table"] = DefinedName(
        f"{content.spec.table_id}_table", attr_text=reference
    )
    _set_widths(sheet, content.grid, bool(content.spec.row_group_ja))
    row = bottom + 2
    for heading, items in content.editorial:
        write_value(sheet, row, 1, heading, BOLD_FONT)
        row += 1
        for kind, text in items:
            prefix = {"item": "・", "lead": "○"}.get(kind, "")
            write_value(sheet, row, 1, prefix + text, BOLD_FONT if kind == "title" else PLAIN_FONT)
            row += 1
        row += 1
    for footnote in content.footnotes:
        write_value(sheet, row, 1, footnote, NOTE_FONT)
        row += 1
    known = [erratum for erratum in errata if erratum.table_id == content.spec.table_id]
    if known:
        row += 1
        write_value(
            sheet, row, 1, f"【公表資料との差異】この表の{len(known)}セルは記録から公表値を再現できない", BOLD_FONT
        )
        row += 1
        for erratum in known:
            write_value(
                sheet,
                row,
                1,
                f"・{erratum.cell_ja}：公表値 {erratum.published_value}、記録上 {erratum.records_value}"
                f"（理由は「{ERRATA_SHEET}」シート）",
                NOTE_FONT,
            )
            row += 1
    _fit_to_width(sheet)
    sheet.print_area = f"A1:{get_column_letter(last_column)}{row}"


def _fit_to_width(sheet: Worksheet) -> None:
    """Print on landscape A4, as wide as the page, as many pages down as it takes."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write_cover(
    workbook: Workbook,
    period: Period,
    sentences: list[str],
    contents: list[TableContent],
    provenance: Provenance,
    errata_count: int,
) -> None:
    sheet = workbook.active
    sheet.title = COVER_SHEET
    sheet.sheet_view.showGridLines = False
    write_value(sheet, 1, 1, period.title_ja, TITLE_FONT)
    write_value(sheet, 2, 1, f"{period.as_of_label_ja}（期末日 {period.period_end.isoformat()}）", HEADING_FONT)
    row = 4
    write_value(sheet, row, 1, "概要", HEADING_FONT)
    row += 1
    for sentence in sentences:
        write_value(sheet, row, 1, f"・{sentence}", PLAIN_FONT)
        row += 1
    row += 1
    write_value(sheet, row, 1, "目次", HEADING_FONT)
    row += 1
    for content in contents:
        link = write_value(sheet, row, 1, content.spec.table_id, Font(name=FONT_NAME, size=10, color="0563C1"))
        link.hyperlink = f"#{quote_sheetname(content.spec.table_id)}!A1"
        write_value(sheet, row, 2, content.title_ja, PLAIN_FONT)
        row += 1
    link = write_value(sheet, row, 1, ERRATA_SHEET, Font(name=FONT_NAME, size=10, color="0563C1"))
    link.hyperlink = f"#{quote_sheetname(ERRATA_SHEET)}!A1"
    write_value(
        sheet,
        row,
        2,
        f"公表資料の数値のうち、記録からは再現できないセル（{errata_count}件）とその理由。"
        "既知の差異であり、集計の誤りではない",
        PLAIN_FONT,
    )
    row += 2
    write_value(sheet, row, 1, "作成情報", HEADING_FONT)
    row += 1
    for label, value in (
        ("作成日時 (UTC)", provenance.generated_at),
        ("コード (git commit)", provenance.git_label),
        ("ウェアハウス", provenance.warehouse),
        ("提出ファイルの場所", provenance.landing_dir),
        ("提出ファイル数", f"{len(provenance.landing_files)}件（取込 ○ / 未取込 ×、SHA-256 は下表）"),
    ):
        write_value(sheet, row, 1, label, BOLD_FONT)
        write_value(sheet, row, 2, value, PLAIN_FONT)
        row += 1
    if provenance.missing_files:
        write_value(sheet, row, 1, "注意", BOLD_FONT)
        write_value(
            sheet,
            row,
            2,
            "ウェアハウスが取り込んだが現在の提出フォルダにないファイル: " + ", ".join(provenance.missing_files),
            PLAIN_FONT,
        )
        row += 1
    row += 1
    for column, header in enumerate(("提出ファイル", "SHA-256", "バイト数", "取込"), start=1):
        cell = write_value(sheet, row, column, header, BOLD_FONT)
        cell.fill = HEADER_FILL
        cell.border = BORDER
    row += 1
    for landing_file in provenance.landing_files:
        values = (landing_file.path, landing_file.sha256, landing_file.size, "○" if landing_file.loaded else "×")
        for column, value in enumerate(values, start=1):
            cell = write_value(sheet, row, column, value, PLAIN_FONT)
            cell.border = BORDER
            if column == 3:
                cell.number_format = COUNT_FORMAT
        row += 1
    for column, width in zip("ABCD", (30, 72, 10, 6), strict=True):
        sheet.column_dimensions[column].width = width
    _fit_to_width(sheet)


ERRATA_HEADERS = ("表", "期末日", "セル", "指標", "公表値", "記録上の値", "理由")


def _write_errata(workbook: Workbook, errata: list[Erratum]) -> None:
    sheet = workbook.create_sheet(ERRATA_SHEET)
    write_value(sheet, 1, 1, "公表資料との差異（記録からは再現できない公表値）", TITLE_FONT)
    write_value(
        sheet,
        2,
        1,
        "公表資料の表どうしが矛盾するため、どの記録の組でも全セルを同時に再現できない。"
        "ここに挙げたセル以外はすべて公表値と一致する（seeds/published/generated/published_errata.csv）。",
        NOTE_FONT,
    )
    for column, header in enumerate(ERRATA_HEADERS, start=1):
        cell = write_value(sheet, 4, column, header, BOLD_FONT)
        cell.fill = HEADER_FILL
        cell.border = BORDER
    row = 5
    for erratum in errata:
        values = (
            erratum.table_id,
            erratum.period_end.isoformat(),
            erratum.cell_ja,
            erratum.measure,
            erratum.published_value,
            erratum.records_value,
            erratum.reason,
        )
        for column, value in enumerate(values, start=1):
            cell = write_value(sheet, row, column, value, PLAIN_FONT)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=column in (3, 7))
        # Not every spreadsheet fits a row to wrapped text on opening: give it the lines it needs.
        lines = max(math.ceil(_width(erratum.cell_ja) / 46), math.ceil(_width(erratum.reason) / 98), 1)
        sheet.row_dimensions[row].height = 13.5 * lines + 3
        row += 1
    if not errata:
        write_value(sheet, row, 1, "差異なし（公表資料の全セルを記録から再現できる）", PLAIN_FONT)
    for column, width in zip("ABCDEFG", (6, 12, 48, 12, 8, 10, 100), strict=True):
        sheet.column_dimensions[column].width = width
    _fit_to_width(sheet)


def _write_revisions(workbook: Workbook, revisions: list[Revision]) -> None:
    sheet = workbook.create_sheet(REVISIONS_SHEET)
    write_value(sheet, 1, 1, "公表値の改定（revisions）", TITLE_FONT)
    write_value(sheet, 2, 1, REVISIONS_INTRODUCTION, NOTE_FONT)
    for column, header in enumerate(REVISION_HEADERS, start=1):
        cell = write_value(sheet, 4, column, header, BOLD_FONT)
        cell.fill = HEADER_FILL
        cell.border = BORDER
    for row, revision in enumerate(revisions, start=5):
        for column, value in enumerate(revision.row(), start=1):
            cell = write_value(sheet, row, column, value, PLAIN_FONT)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=column in (3, 9))
    if not revisions:
        write_value(sheet, 5, 1, NO_REVISIONS, PLAIN_FONT)
    for column, width in zip("ABCDEFGHIJ", (6, 12, 48, 14, 8, 12, 10, 8, 40, 60), strict=True):
        sheet.column_dimensions[column].width = width
    _fit_to_width(sheet)


def build_workbook(
    connection: duckdb.DuckDBPyConnection,
    period: Period,
    provenance: Provenance,
) -> Workbook:
    contents = table_contents(connection, period)
    errata = load_errata(connection)
    period_errata = [erratum for erratum in errata if erratum.period_end == period.period_end]
    workbook = Workbook()
    _write_cover(workbook, period, headline(connection, period.period_end), contents, provenance, len(errata))
    for content in contents:
        _write_table_sheet(workbook, content, period, period_errata, f"{period.title_ja}（{period.as_of_label_ja}）")
    _write_errata(workbook, errata)
    _write_revisions(workbook, load_revisions(connection))
    workbook.properties.title = period.title_ja
    workbook.properties.creator = "genai_report"
    workbook.properties.description = f"git {provenance.git_commit or 'unknown'}; generated {provenance.generated_at}"
    return workbook


def write_workbook(database: Path, out_path: Path, **options: object) -> Path:
    """The workbook of one period; `options`: period_end, landing_dir, provenance (write_period_report)."""
    return write_period_report(database, out_path, build_workbook, Workbook.save, **options)
