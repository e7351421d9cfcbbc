"""The instructions sheet (記入要領), in Japanese. The landing reader reads the first worksheet only,
so nothing here is ever taken for data.

The list of what changed in the code lists is computed from the seeds: this period's form against
the previous round's form (periods seed ``previous_period_end``), code by code.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from genai_report.exports.workbook import FONT_NAME, write_text
from genai_report.kit.form import text_width
from genai_report.kit.seeds import MINISTRY_LIST, Form, Ministry, Period, form

TITLE_FONT = Font(name=FONT_NAME, size=13, bold=True)
HEADING_FONT = Font(name=FONT_NAME, size=11, bold=True)
PLAIN_FONT = Font(name=FONT_NAME, size=10)
WIDTH = 100


def code_list_changes(this: Form) -> list[str]:
    """One line per changed choice between the previous round's form and this one."""
    if this.period.previous_period_end is None:
        return []
    previous = form(this.period.previous_period_end)
    lines: list[str] = []
    for column in this.columns:
        if not column.code_list or column.code_list == MINISTRY_LIST:
            continue
        old = {c.code: c.label for c in previous.column_choices(column)}
        new = {c.code: c.label for c in this.column_choices(column)}
        for code, label in old.items():
            if code not in new:
                lines.append(f"「{column.header_ja}」: 選択肢「{label}」は今回の様式にはありません。")
            elif new[code] != label:
                lines.append(f"「{column.header_ja}」: 「{label}」は今回「{new[code]}」です。")
        for code, label in new.items():
            if code not in old:
                lines.append(f"「{column.header_ja}」: 選択肢「{label}」が加わりました。")
    return lines


def instruction_lines(
    this: Form, ministry: Ministry, source: Period | None, prefilled: int, notes: int
) -> list[tuple[str, Font]]:
    period = this.period
    headers = {c.name: c.header_ja for c in this.columns}
    required = "、".join(f"「{c.header_ja}」" for c in this.columns if c.required)
    coded = "、".join(f"「{c.header_ja}」" for c in this.columns if c.code_list)
    discontinued = next((c for c in this.columns if c.name == "discontinued"), None)
    discontinued_labels = "」「".join(c.label for c in this.column_choices(discontinued)) if discontinued else ""
    lines: list[tuple[str, Font]] = [
        (f"記入要領　{period.round_label_ja}（{period.as_of_label_ja}）　{ministry.name_ja}", TITLE_FONT),
        ("", PLAIN_FONT),
        ("1. この様式について", HEADING_FONT),
    ]
    if source is not None and prefilled:
        lines.append(
            (
                f"前回（{source.round_label_ja}・{source.as_of_label_ja}）に報告された{ministry.name_ja}の案件 "
                f"{prefilled} 件（前回利用廃止とした案件を除く）を記入済みです。変わった項目だけ直してください。",
                PLAIN_FONT,
            )
        )
    else:
        lines.append(("前回報告された案件がないため、様式は空欄です。案件を1行に1件記入してください。", PLAIN_FONT))
    lines += [
        ("1枚目のシート（報告様式）だけが取り込まれます。このシートと選択肢のシートは取り込まれません。", PLAIN_FONT),
        ("見出し行（3行目）の列名は変えないでください。列の並べ替え・行の追加は差し支えありません。", PLAIN_FONT),
        ("", PLAIN_FONT),
        ("2. 案件番号", HEADING_FONT),
        (
            f"「{headers.get('case_id', '')}」は案件ごとに期をまたいで同じ番号を使います。記入済みの案件の番号は"
            "変えないでください（番号が変わると、別の新しい案件として集計されます）。",
            PLAIN_FONT,
        ),
        ("新しい案件は空いている行に追加し、貴府省庁内で重複しない新しい番号を付けてください。", PLAIN_FONT),
        ("", PLAIN_FONT),
        ("3. 利用廃止の記入方法", HEADING_FONT),
        (
            f"今期中に利用を廃止した案件は行を削除せず、「{headers.get('discontinued', '')}」列で"
            f"「{discontinued_labels}」を選んでください。廃止した期の報告には残し、次回の様式からは除かれます。",
            PLAIN_FONT,
        ),
        ("", PLAIN_FONT),
        ("4. 選択肢と必須項目", HEADING_FONT),
        (f"{coded} は、セルを選ぶと表示される一覧（▼）から選んでください。", PLAIN_FONT),
        (f"必須項目（2行目に「必須」）: {required}。その他の項目は空欄にすると未回答として扱われます。", PLAIN_FONT),
        ("", PLAIN_FONT),
        (f"5. 前回の様式からの選択肢の変更（{period.round_label_ja}）", HEADING_FONT),
    ]
    changes = code_list_changes(this)
    lines += [(line, PLAIN_FONT) for line in changes] or [("選択肢の変更はありません。", PLAIN_FONT)]
    if notes:
        lines.append(
            (
                f"前回の回答を引き継げなかったセルが {notes} か所あります"
                "（黄色のセル、コメント参照）。選び直してください。",
                PLAIN_FONT,
            )
        )
    lines += [
        ("", PLAIN_FONT),
        ("6. 提出前の確認", HEADING_FONT),
        (
            "提出前に次のコマンドで、取込と同じ規則で確認できます: "
            f".venv/bin/python -m genai_report.validate このファイル.xlsx --period {period.period_end}",
            PLAIN_FONT,
        ),
    ]
    return lines


def write_instructions(sheet: Worksheet, lines: list[tuple[str, Font]]) -> None:
    sheet.column_dimensions["A"].width = WIDTH
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for row, (text, font) in enumerate(lines, 1):
        cell = sheet.cell(row=row, column=1)
        if text:
            write_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = math.ceil(text_width(text) / (WIDTH - 4)) if text else 1
        if lines > 1:  # spreadsheets do not grow a row for wrapped text written by a program
            sheet.row_dimensions[row].height = 15 * lines
