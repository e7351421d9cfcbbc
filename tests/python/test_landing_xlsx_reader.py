"""The direct XLSX sheet reader gives exactly the rows openpyxl's read-only worksheet gives.

genai_report/landing/xlsx.py reads a sheet's XML itself (several times faster than openpyxl) and
leaves to openpyxl any workbook holding a date or a layout it does not handle. Here both readers read
every workbook of the tests (the shipped sample, the hostile corpus) and workbooks made for the edge
cases: shared and inline strings, rich text with phonetic runs, numbers, booleans, errors, formulas'
cached values, missing rows and cells, cells out of order; a date must go to openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from genai_report.landing import xlsx

from .conftest import PROJECT_DIR

CORPUS = sorted(
    path
    for folder in (PROJECT_DIR / "data" / "landing", PROJECT_DIR / "tests" / "fixtures")
    for path in folder.rglob("*.xlsx")
    if not path.name.startswith("~$")
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
    '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def _workbook(sheet_data: str, shared: list[str] | None = None, shared_xml: str | None = None) -> bytes:
    """A minimal workbook whose first sheet's <sheetData> is ``sheet_data`` (raw XML)."""
    strings = shared_xml or "".join(f"<si><t>{text}</t></si>" for text in shared or [])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{REL}/officeDocument"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="報告様式" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{REL}/worksheet"/>'
            f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{REL}/sharedStrings"/>'
            f'<Relationship Id="rId3" Target="styles.xml" Type="{REL}/styles"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>'
        )
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{strings}</sst>')
        archive.writestr("xl/styles.xml", STYLES)
    return buffer.getvalue()


def _openpyxl_workbook() -> bytes:
    """A form as openpyxl writes it: shared strings, a title row, a merged cell, numbers, a formula."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "報告様式"
    sheet.append(["令和7年度 生成AIシステム定期報告"])
    sheet.append(["府省庁名", "案件番号", "利用開始\n時期", None, "件数"])
    sheet.append(["デジタル庁", "001", "1. 利用開始済み", True, 3])
    sheet.append([])
    sheet.append(["ＤＡ", 2.5, "=A3", False, 1.0])
    sheet.merge_cells("A5:A6")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


EDGE_CASES = {
    "openpyxl_form": _openpyxl_workbook(),
    "shared_inline_numbers_booleans_errors": _workbook(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>案件 1</t></is></c>'
        '<c r="C1"><v>42</v></c><c r="D1"><v>1.50</v></c><c r="E1"><v>1E3</v></c><c r="F1" s="1"><v>7</v></c></row>'
        '<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="e"><v>#N/A</v></c>'
        '<c r="C2" t="str"><f>A1</f><v>府省庁名</v></c><c r="D2" t="s"><v>1</v></c><c r="E2"/></row>',
        shared=["府省庁名", "x005F_y"],
    ),
    "rich_text_and_phonetic_runs": _workbook(
        '<row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="inlineStr"><is><r><t>汎用</t></r><r><rPr><b/></rPr><t>型１</t></r>'
        '<rPh sb="0" eb="2"><t>ハンヨウ</t></rPh></is></c><c r="C1" t="inlineStr"><is><t/></is></c>'
        '<c r="D1" t="inlineStr"/></row>',
        shared_xml="<si><t>利用</t><rPh sb='0' eb='2'><t>リヨウ</t></rPh></si>",
    ),
    "missing_rows_and_cells_without_coordinates": _workbook(
        '<row r="2"><c r="C2" t="inlineStr"><is><t>c</t></is></c></row>'
        '<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>'
        '<row r="6"></row><row r="7"><c r="AA7"><v>5</v></c></row>'
    ),
    "cells_and_rows_out_of_order": _workbook(
        '<row r="3"><c r="C3"><v>3</v></c><c r="A3"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c></row><row r="3"><c r="B3"><v>9</v></c></row>'
        '<row r="4"><c r="B4"><v>4</v></c><c r="B4"><v>5</v></c></row>'
    ),
}


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_every_workbook_of_the_tests_reads_as_openpyxl_reads_it(path: Path):
    data = path.read_bytes()
    try:
        expected = xlsx._openpyxl_rows(data)
    except zipfile.BadZipFile:  # not a workbook (a legacy .xls named .xlsx): openpyxl's error words it
        with pytest.raises(zipfile.BadZipFile):
            xlsx._direct_rows(data)
        return
    assert xlsx._direct_rows(data) == expected


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_read_as_openpyxl_reads_them(name: str):
    data = EDGE_CASES[name]
    assert xlsx._direct_rows(data) == xlsx._openpyxl_rows(data)


def test_a_date_cell_is_left_to_openpyxl():
    data = _workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>日付</t></is></c><c r="B1" s="2"><v>45291</v></c></row>'
    )
    with pytest.raises(xlsx._LeftToOpenpyxl):
        xlsx._direct_rows(data)
    _title, rows, _part = xlsx._openpyxl_rows(data)
    assert rows == [("日付", dt.datetime(2023, 12, 31))]
