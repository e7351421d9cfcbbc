"""Tests for genai_report.landing -- the landing-file reader (input contract: docs/spec/submission-form.md).

All fixture files are generated in memory / in tmp_path, so every hostile case is visible here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
import time
import zipfile

import openpyxl
import pandas as pd
import pytest

from genai_report.landing import (
    CANONICAL_COLUMNS,
    OUTPUT_COLUMNS,
    is_ignored,
    load_landing,
    normalise_header,
    parse_landing_files,
    relative_path,
)

NA = None

# Independent oracle: the form's headers typed out, so a change to the seed shows up as a failing test.
HEADERS = {
    "ministry": "府省庁名",
    "case_id": "案件番号",
    "case_name": "案件名",
    "usage_type": "利用類型",
    "start_timing": "利用開始時期",
    "user_scope": "利用者の範囲",
    "stage": "導入段階",
    "confidentiality": "取扱情報の機密性",
    "outcome_goal": "成果目標",
    "outcome_goal_text": "成果目標の内容",
    "output_type": "出力データの種類",
    "model_name": "利用モデル",
    "discontinued": "利用廃止",
    "risk_incident": "リスクケース発生",
    "high_risk": "高リスク判定",
}
# Independent oracle: the required headers typed out.
REQ = ["府省庁名", "案件番号", "案件名", "利用類型"]

EXPECTED_COLUMNS = [
    "record_type",
    "source_file",
    "period_folder",
    "file_format",
    "encoding",
    "sheet_name",
    "header_row",
    "row_number",
    "file_error",
    "missing_columns",
    "unknown_columns",
    "empty_rows_skipped",
    "data_rows",
    "extra_values_json",
    "ministry",
    "case_id",
    "case_name",
    "usage_type",
    "start_timing",
    "user_scope",
    "stage",
    "confidentiality",
    "outcome_goal",
    "outcome_goal_text",
    "output_type",
    "model_name",
    "discontinued",
    "risk_incident",
    "high_risk",
]
INT_COLUMNS = {"header_row", "row_number", "empty_rows_skipped", "data_rows"}


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(
    rows: list[list[object]],
    *,
    title: str = "Sheet1",
    merges: tuple[str, ...] = (),
    extra_sheets: dict[str, list[list[object]]] | None = None,
    literal_strings: bool = True,
) -> bytes:
    """Build an .xlsx; strings starting with '=' are written as literal text unless
    literal_strings is False (then openpyxl writes them as formulas)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if literal_strings and isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    for rng in merges:
        ws.merge_cells(rng)
    for name, srows in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in srows:
            other.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patch_sheet_xml(data: bytes, fn, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == sheet:
                content = fn(content.decode("utf-8")).encode("utf-8")
            dst.writestr(item, content)
    return out.getvalue()


def parse(*files: tuple[str, bytes]) -> pd.DataFrame:
    df = parse_landing_files(list(files))
    assert list(df.columns) == EXPECTED_COLUMNS
    return df


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for NA and plain ints."""
    out = []
    for rec in df.astype(object).to_dict("records"):
        out.append({k: (None if v is pd.NA else v) for k, v in rec.items()})
    return out


def file_rec(df: pd.DataFrame, source_file: str | None = None) -> dict:
    recs = [r for r in records(df) if r["record_type"] == "file"]
    if source_file is not None:
        recs = [r for r in recs if r["source_file"] == source_file]
    assert len(recs) == 1, recs
    return recs[0]


def row_recs(df: pd.DataFrame, source_file: str | None = None) -> list[dict]:
    recs = [r for r in records(df) if r["record_type"] == "row"]
    if source_file is not None:
        recs = [r for r in recs if r["source_file"] == source_file]
    return recs


def values(rec: dict, *cols: str) -> tuple:
    return tuple(rec[c] for c in cols)


def canon(rec: dict) -> dict:
    """The 15 canonical values of a row record, dropping NA ones."""
    return {c: rec[c] for c in CANONICAL_COLUMNS if rec[c] is not None}


def file_meta(rec: dict) -> dict:
    keys = [
        "source_file",
        "period_folder",
        "file_format",
        "encoding",
        "sheet_name",
        "header_row",
        "file_error",
        "missing_columns",
        "unknown_columns",
        "empty_rows_skipped",
        "data_rows",
    ]
    return {k: rec[k] for k in keys}


FULL_HEADER = list(HEADERS.values())
ROW_A = [
    "総務省",
    "001",
    "議事録作成支援",
    "汎用型1",
    "1. 利用開始済み",
    "3",
    "常用",
    "機密性1のみ",
    "定性成果目標あり",
    "作業時間の削減",
    "テキスト出力のみ",
    "GPT-4o (Azure OpenAI)",
    "",
    "なし",
    "非該当",
]
ROW_B = ["総務省", "002", "翻訳", "特化型1", "", "", "検証", "", "", "", "", "", "廃止", "", ""]


# ------------------------------------------------------------------------------------------
# output shape
# ------------------------------------------------------------------------------------------


def test_output_columns_and_dtypes():
    assert list(OUTPUT_COLUMNS) == EXPECTED_COLUMNS
    df = parse(("2025-12-31/a.csv", csv_bytes([FULL_HEADER, ROW_A])))
    for col in EXPECTED_COLUMNS:
        expected = "Int64" if col in INT_COLUMNS else "string"
        assert str(df[col].dtype) == expected, col
        if expected == "string":
            assert df[col].dtype.na_value is pd.NA


def test_no_files_gives_empty_typed_frame():
    df = parse()
    assert len(df) == 0
    assert str(df["row_number"].dtype) == "Int64"
    assert str(df["ministry"].dtype) == "string"


def test_full_utf8_csv_exact_records():
    df = parse(("2025-12-31/soumu.csv", csv_bytes([FULL_HEADER, ROW_A, ROW_B])))
    recs = records(df)
    assert len(recs) == 3
    base = {
        "source_file": "2025-12-31/soumu.csv",
        "period_folder": "2025-12-31",
        "file_format": "csv",
        "encoding": "utf-8",
        "sheet_name": None,
        "header_row": 1,
    }
    assert recs[0] == {
        **base,
        "record_type": "file",
        "row_number": None,
        "file_error": None,
        "missing_columns": None,
        "unknown_columns": None,
        "empty_rows_skipped": 0,
        "data_rows": 2,
        "extra_values_json": None,
        **dict.fromkeys(CANONICAL_COLUMNS),
    }
    expected_a = dict(zip(CANONICAL_COLUMNS, ROW_A, strict=True))
    expected_a["discontinued"] = None  # empty cell -> NA
    assert recs[1] == {
        **base,
        "record_type": "row",
        "row_number": 2,
        "file_error": None,
        "missing_columns": None,
        "unknown_columns": None,
        "empty_rows_skipped": None,
        "data_rows": None,
        "extra_values_json": None,
        **expected_a,
    }
    assert recs[2]["row_number"] == 3
    assert canon(recs[2]) == {
        "ministry": "総務省",
        "case_id": "002",
        "case_name": "翻訳",
        "usage_type": "特化型1",
        "stage": "検証",
        "discontinued": "廃止",
    }


def test_values_are_not_trimmed_or_normalised():
    row = ["  総務省 ", " 001", "案件\u3000名 ", "汎用型１", "－", "(1) 利用開始済み"]
    df = parse(("2025-12-31/a.csv", csv_bytes([FULL_HEADER[:6], row])))
    assert values(row_recs(df)[0], *CANONICAL_COLUMNS[:6]) == tuple(row)


def test_whitespace_only_cell_is_kept_verbatim_but_empty_is_na():
    df = parse(("p/a.csv", csv_bytes([REQ, ["総務省", "1", " ", ""]])))
    r = row_recs(df)[0]
    assert (r["case_name"], r["usage_type"]) == (" ", None)


# ------------------------------------------------------------------------------------------
# encodings
# ------------------------------------------------------------------------------------------


def test_utf8_bom():
    data = b"\xef\xbb\xbf" + csv_bytes([REQ, ["デジタル庁", "D-1", "案件", "汎用型2"]])
    df = parse(("2025-12-31/d.csv", data))
    f = file_rec(df)
    assert (f["encoding"], f["header_row"], f["file_error"], f["data_rows"]) == ("utf-8-sig", 1, None, 1)
    # the BOM must not stick to the first header / value
    assert canon(row_recs(df)[0]) == {
        "ministry": "デジタル庁",
        "case_id": "D-1",
        "case_name": "案件",
        "usage_type": "汎用型2",
    }


def test_cp932_with_vendor_specific_characters():
    text_name = "①髙橋～㈱テスト﨑ｶﾀｶﾅ"
    data = csv_bytes([REQ + ["利用モデル"], ["国土交通省", "00７", text_name, "特化型２", "～"]], "cp932")
    df = parse(("2025-12-31/mlit.csv", data))
    f = file_rec(df)
    assert (f["encoding"], f["file_error"], f["data_rows"]) == ("cp932", None, 1)
    assert canon(row_recs(df)[0]) == {
        "ministry": "国土交通省",
        "case_id": "00７",
        "case_name": text_name,
        "usage_type": "特化型２",
        "model_name": "～",
    }


def test_cp932_header_is_recognised():
    data = csv_bytes([FULL_HEADER, ROW_A], "cp932")
    df = parse(("2025-12-31/x.csv", data))
    assert file_meta(file_rec(df))["missing_columns"] is None
    assert canon(row_recs(df)[0])["confidentiality"] == "機密性1のみ"


@pytest.mark.parametrize(
    "text",
    ["総務省", "ア", "案件名", "ﾃｽﾄ", "機密性２", "①", "～", "髙", "表", "ソ", "能"],
)
def test_cp932_never_misread_as_utf8(text):
    data = csv_bytes([REQ, ["外務省", "1", text, "その他"]], "cp932")
    df = parse(("2025-12-31/a.csv", data))
    f = file_rec(df)
    assert (f["encoding"], f["file_error"]) == ("cp932", None)
    assert row_recs(df)[0]["case_name"] == text


@pytest.mark.parametrize("text", ["総務省", "縺", "案件名", "①髙～", "é×°"])
def test_utf8_never_misread_as_cp932(text):
    data = csv_bytes([REQ, ["外務省", "1", text, "その他"]], "utf-8")
    df = parse(("2025-12-31/a.csv", data))
    assert file_rec(df)["encoding"] == "utf-8"
    assert row_recs(df)[0]["case_name"] == text


MINISTRIES = (
    "内閣官房 内閣法制局 人事院 内閣府 宮内庁 公正取引委員会 警察庁 個人情報保護委員会 カジノ管理委員会 "
    "金融庁 消費者庁 こども家庭庁 デジタル庁 復興庁 総務省 法務省 外務省 財務省 文部科学省 厚生労働省 "
    "農林水産省 経済産業省 国土交通省 環境省 防衛省"
).split()


@pytest.mark.parametrize("text", MINISTRIES + FULL_HEADER)
def test_cp932_ministry_names_and_headers_are_never_valid_utf8(text):
    """Safety property behind 'UTF-8 first': a CP932 line carrying a ministry name or a
    contract header can never pass as UTF-8, so a CP932 form is never read as mojibake."""
    with pytest.raises(UnicodeDecodeError):
        text.encode("cp932").decode("utf-8")
    df = parse(("p/a.csv", csv_bytes([REQ, [text, "1", "a", "b"]], "cp932")))
    assert (file_rec(df)["encoding"], row_recs(df)[0]["ministry"]) == ("cp932", text)


def test_cp932_line_that_happens_to_be_valid_utf8_is_not_called_mixed():
    # 'ﾃｽ' in CP932 is C3 BD, which is also valid UTF-8 ('ý'): such a line is ambiguous and
    # follows the rest of the file.
    data = csv_bytes([REQ, ["ﾃｽ", "1", "ﾃｽ", "ﾃｽ"], ["総務省", "2", "a", "b"]], "cp932")
    assert "ﾃｽ,1,ﾃｽ,ﾃｽ".encode("cp932").decode("utf-8") == "ý,1,ý,ý"
    df = parse(("p/a.csv", data))
    f = file_rec(df)
    assert (f["encoding"], f["file_error"], f["data_rows"]) == ("cp932", None, 2)
    assert row_recs(df)[0]["case_name"] == "ﾃｽ"


def test_mixed_encoding_utf8_then_cp932():
    data = (
        csv_bytes([REQ, ["総務省", "1", "案件", "汎用型1"]], "utf-8")
        + csv_bytes([["法務省", "2", "案件", "汎用型1"]], "cp932")
        + csv_bytes([["外務省", "3", "案件", "汎用型1"]], "utf-8")
    )
    df = parse(("2025-12-31/mixed.csv", data))
    assert len(df) == 1
    f = file_rec(df)
    assert f["file_error"] == "mixed encodings: line 1 is UTF-8 but line 3 is CP932/Shift_JIS"
    assert (f["encoding"], f["header_row"], f["data_rows"]) == (None, None, 0)


def test_mixed_encoding_cp932_then_utf8():
    data = csv_bytes([REQ, ["総務省", "1", "案件", "汎用型1"]], "cp932") + csv_bytes(
        [["法務省", "2", "案件", "汎用型1"]], "utf-8"
    )
    f = file_rec(parse(("2025-12-31/mixed.csv", data)))
    assert f["file_error"] == "mixed encodings: line 1 is CP932/Shift_JIS but line 3 is UTF-8"


def test_mixed_encoding_bom_then_cp932():
    data = (
        b"\xef\xbb\xbf"
        + csv_bytes([["府省庁名", "case", "name", "type"]], "utf-8")
        + csv_bytes([["法務省", "2", "案件", "汎用型1"]], "cp932")
    )
    f = file_rec(parse(("2025-12-31/mixed.csv", data)))
    assert f["file_error"] == (
        "mixed encodings: the file starts with a UTF-8 byte-order mark but line 2 is CP932/Shift_JIS"
    )


def test_mixed_encoding_inside_one_quoted_multiline_cell():
    data = '府省庁名,案件番号,案件名,利用類型\r\n総務省,1,"一行目\n'.encode() + '二行目",汎用型1\r\n'.encode("cp932")
    f = file_rec(parse(("p/a.csv", data)))
    assert f["file_error"] == "mixed encodings: line 1 is UTF-8 but line 3 is CP932/Shift_JIS"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "府省庁名,案件番号,案件名,利用類型\r\n".encode() + b"\x82\xa0,\xff\xfe\xfd,x,y\r\n",
            "cannot decode: neither UTF-8 nor CP932 (line 2)",
        ),
        (b"abc\r\n\x80\x80\x80\r\n", "cannot decode: neither UTF-8 nor CP932 (line 2)"),
        (
            "府省庁名,案件番号\r\n".encode("utf-16"),
            "cannot decode: neither UTF-8 nor CP932 (the file is UTF-16; save it as CSV UTF-8)",
        ),
        (
            "府省庁名,案件番号\r\n".encode("utf-16-le"),
            "cannot decode: neither UTF-8 nor CP932 (the file contains NUL bytes)",
        ),
        (
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x00",
            "cannot decode: neither UTF-8 nor CP932 (the file contains NUL bytes)",
        ),
        (
            b"PK\x03\x04\x14\x01\x02\x03\x08\x05\xff\xfe",
            "cannot decode: neither UTF-8 nor CP932 (line 1; the file looks like an Excel workbook, name it .xlsx)",
        ),
    ],
)
def test_undecodable_csv(data, message):
    df = parse(("2025-12-31/bad.csv", data))
    assert len(df) == 1
    f = file_rec(df)
    assert f["file_error"] == message
    assert (f["encoding"], f["data_rows"], f["empty_rows_skipped"]) == (None, 0, 0)


def test_real_xlsx_renamed_to_csv_is_an_error():
    data = xlsx_bytes([REQ, ["総務省", "1", "a", "b"]])
    f = file_rec(parse(("2025-12-31/a.csv", data)))
    assert f["file_error"].startswith("cannot decode: neither UTF-8 nor CP932")


# ------------------------------------------------------------------------------------------
# header detection
# ------------------------------------------------------------------------------------------


def test_csv_header_not_on_line_1():
    rows = [
        ["令和7年度第3回 生成AIシステム定期報告"],
        ["府省庁名: 総務省", "", ""],
        [],
        REQ,
        ["総務省", "1", "案件", "汎用型1"],
        [],
        ["総務省", "2", "案件2", "汎用型2"],
    ]
    df = parse(("2025-12-31/a.csv", csv_bytes(rows)))
    f = file_rec(df)
    assert file_meta(f) == {
        "source_file": "2025-12-31/a.csv",
        "period_folder": "2025-12-31",
        "file_format": "csv",
        "encoding": "utf-8",
        "sheet_name": None,
        "header_row": 4,
        "file_error": None,
        "missing_columns": None,
        "unknown_columns": None,
        "empty_rows_skipped": 1,
        "data_rows": 2,
    }
    assert [(r["row_number"], r["case_id"]) for r in row_recs(df)] == [(5, "1"), (7, "2")]


def test_header_on_row_10_found_row_11_not():
    title = [[f"注記{i}"] for i in range(9)]
    ok = parse(("p/a.csv", csv_bytes([*title, REQ, ["総務省", "1", "a", "b"]])))
    assert (file_rec(ok)["header_row"], row_recs(ok)[0]["row_number"]) == (10, 11)
    bad = parse(("p/a.csv", csv_bytes([*title, ["x"], REQ, ["総務省", "1", "a", "b"]])))
    f = file_rec(bad)
    assert f["file_error"] == (
        "no header row with the required columns in the first 10 rows (required: 府省庁名, 案件番号, 案件名, 利用類型)"
    )
    assert (f["header_row"], f["data_rows"]) == (None, 0)
    assert row_recs(bad) == []


def test_row_with_all_required_preferred_over_earlier_partial_row():
    rows = [["府省庁名", "案件番号"], ["注"], REQ, ["総務省", "1", "a", "b"]]
    df = parse(("p/a.csv", csv_bytes(rows)))
    f = file_rec(df)
    assert (f["header_row"], f["file_error"], f["missing_columns"]) == (3, None, None)


def test_header_names_with_full_width_letters_line_breaks_and_spaces():
    header = [
        "府省庁\n名",
        " 案件　番号 ",  # full-width space inside, half-width around
        "案件名\r\n",
        "利用\t類型",
        "ﾘｽｸｹｰｽ発生",  # half-width katakana
        "利用\u200bモデル",  # zero-width space from a web copy
        "高リスク\n判定",
    ]
    df = parse(("p/a.csv", csv_bytes([header, ["総務省", "1", "a", "汎用型1", "なし", "Claude", "非該当"]])))
    f = file_rec(df)
    assert (f["file_error"], f["missing_columns"], f["unknown_columns"]) == (None, None, None)
    assert canon(row_recs(df)[0]) == {
        "ministry": "総務省",
        "case_id": "1",
        "case_name": "a",
        "usage_type": "汎用型1",
        "risk_incident": "なし",
        "model_name": "Claude",
        "high_risk": "非該当",
    }


def test_normalise_header():
    assert normalise_header("府省庁\n名") == "府省庁名"
    assert normalise_header("ﾘｽｸｹｰｽ\u3000発生") == "リスクケース発生"
    assert normalise_header("ＡＢＣ　１") == "ABC1"


def test_missing_required_column_rows_still_emitted():
    header = ["府省庁名", "案件番号", "利用モデル"]
    df = parse(("2025-12-31/a.csv", csv_bytes([header, ["総務省", "1", "GPT"], ["総務省", "2", ""]])))
    f = file_rec(df)
    assert file_meta(f) == {
        "source_file": "2025-12-31/a.csv",
        "period_folder": "2025-12-31",
        "file_format": "csv",
        "encoding": "utf-8",
        "sheet_name": None,
        "header_row": 1,
        "file_error": "missing required columns: 案件名 (case_name), 利用類型 (usage_type)",
        "missing_columns": "case_name,usage_type",
        "unknown_columns": None,
        "empty_rows_skipped": 0,
        "data_rows": 2,
    }
    assert [canon(r) for r in row_recs(df)] == [
        {"ministry": "総務省", "case_id": "1", "model_name": "GPT"},
        {"ministry": "総務省", "case_id": "2"},
    ]


def test_header_needs_at_least_two_contract_headers():
    df = parse(("p/a.csv", csv_bytes([["府省庁名", "名前"], ["総務省", "x"]])))
    f = file_rec(df)
    assert f["file_error"].startswith("no header row with the required columns in the first 10 rows")
    assert f["missing_columns"] is None


def test_duplicate_header_is_a_file_error_naming_both():
    header = ["府省庁名", "案件番号", "案件名", "利用類型", "備考", "案件\n番号"]
    df = parse(("p/a.csv", csv_bytes([header, ["総務省", "1", "a", "b", "c", "2"]])))
    f = file_rec(df)
    assert f["file_error"] == (
        'duplicate header: "案件番号" (column 2 (B)) and "案件\\n番号" (column 6 (F)) both map to case_id'
    )
    assert (f["data_rows"], f["unknown_columns"], f["header_row"]) == (0, "備考", 1)
    assert row_recs(df) == []


def test_unknown_extra_column_kept_in_json():
    header = ["備考", *REQ, "担当課", "利用モデル"]
    rows = [
        header,
        ["メモ\n2行", "総務省", "1", "a", "b", "", "GPT"],
        [None, "総務省", "2", "c", "d", "情報課", ""],
    ]
    df = parse(("p/a.csv", csv_bytes(rows)))
    f = file_rec(df)
    assert (f["unknown_columns"], f["file_error"]) == ("備考,担当課", None)
    rs = row_recs(df)
    assert [json.loads(r["extra_values_json"]) for r in rs] == [
        {"備考": "メモ\n2行", "担当課": None},
        {"備考": None, "担当課": "情報課"},
    ]
    assert rs[0]["extra_values_json"] == '{"備考": "メモ\\n2行", "担当課": null}'
    assert rs[0]["model_name"] == "GPT"


def test_duplicate_unknown_headers_get_distinct_keys():
    header = [*REQ, "備考", "備考"]
    df = parse(("p/a.csv", csv_bytes([header, ["総務省", "1", "a", "b", "x", "y"]])))
    assert file_rec(df)["unknown_columns"] == "備考,備考 (列6)"
    assert json.loads(row_recs(df)[0]["extra_values_json"]) == {"備考": "x", "備考 (列6)": "y"}


# ------------------------------------------------------------------------------------------
# blank rows / columns, ragged rows
# ------------------------------------------------------------------------------------------


def test_blank_rows_and_trailing_empty_columns():
    rows = [
        [*REQ, "", "", ""],
        ["総務省", "1", "a", "b", "", "", ""],
        ["", "", "", "", "", "", ""],
        [" ", "\u3000", "", "", "", "", ""],  # whitespace only = empty
        [],
        ["総務省", "2", "c", "d", "", "", ""],
        ["", "", "", "", "", "", ""],  # trailing empty rows: skipped, not counted
        [],
    ]
    df = parse(("p/a.csv", csv_bytes(rows)))
    f = file_rec(df)
    assert (f["empty_rows_skipped"], f["data_rows"], f["unknown_columns"]) == (3, 2, None)
    rs = row_recs(df)
    assert [(r["row_number"], r["case_id"], r["extra_values_json"]) for r in rs] == [
        (2, "1", None),
        (6, "2", None),
    ]


def test_value_under_empty_header_becomes_column_n():
    rows = [
        [*REQ, "", "利用モデル"],
        ["総務省", "1", "a", "b", "", "GPT", "", "はみ出し"],
        ["総務省", "2", "c", "d", "メモ", "", " "],
    ]
    df = parse(("p/a.csv", csv_bytes(rows)))
    f = file_rec(df)
    assert (f["unknown_columns"], f["file_error"]) == ("(列5),(列8)", None)
    assert [json.loads(r["extra_values_json"]) for r in row_recs(df)] == [
        {"(列5)": None, "(列8)": "はみ出し"},
        {"(列5)": "メモ", "(列8)": None},
    ]


def test_short_rows_give_na():
    rows = [[*REQ, "利用モデル"], ["総務省", "1"]]
    r = row_recs(parse(("p/a.csv", csv_bytes(rows))))[0]
    assert canon(r) == {"ministry": "総務省", "case_id": "1"}


def test_empty_and_header_only_files():
    header_only = csv_bytes([REQ])
    df = parse(
        ("p/zero.csv", b""),
        ("p/zero.xlsx", b""),
        ("p/header.csv", header_only),
        ("p/header_blank_rows.csv", header_only + b",,,\r\n\r\n"),
        ("p/bom_only.csv", b"\xef\xbb\xbf"),
        ("p/newlines.csv", b"\r\n\r\n,,,\r\n"),
        ("p/empty.xlsx", xlsx_bytes([])),
        ("p/header.xlsx", xlsx_bytes([REQ])),
    )
    got = {r["source_file"]: (r["file_error"], r["header_row"], r["data_rows"]) for r in records(df)}
    assert got == {
        "p/zero.csv": ("empty file", None, 0),
        "p/zero.xlsx": ("empty file", None, 0),
        "p/header.csv": (None, 1, 0),
        "p/header_blank_rows.csv": (None, 1, 0),
        "p/bom_only.csv": ("empty file", None, 0),
        "p/newlines.csv": ("empty file", None, 0),
        "p/empty.xlsx": ('empty file (the first worksheet "Sheet1" has no values)', None, 0),
        "p/header.xlsx": (None, 1, 0),
    }
    assert len(df) == 8  # file records only


# ------------------------------------------------------------------------------------------
# CSV specifics
# ------------------------------------------------------------------------------------------


def test_embedded_newlines_commas_and_quotes_in_quoted_fields():
    name = '複数行の\n案件名, カンマ入り "引用"'
    data = csv_bytes([REQ, ["総務省", "1", name, "汎用型1"], ["総務省", "2", "次", "汎用型1"]])
    assert data.count(b"\n") == 4
    df = parse(("p/a.csv", data))
    rs = row_recs(df)
    # row numbers are records (as a spreadsheet shows them), not physical lines
    assert [(r["row_number"], r["case_name"]) for r in rs] == [(2, name), (3, "次")]


def test_crlf_inside_quoted_field_is_kept():
    data = '府省庁名,案件番号,案件名,利用類型\r\n総務省,1,"a\r\nb",c\r\n'.encode()
    assert row_recs(parse(("p/a.csv", data)))[0]["case_name"] == "a\r\nb"


def test_lf_only_and_no_trailing_newline():
    data = "府省庁名,案件番号,案件名,利用類型\n総務省,1,a,b".encode()
    df = parse(("p/a.csv", data))
    assert file_rec(df)["data_rows"] == 1


def test_numbers_stored_as_text_stay_text_in_csv():
    row = ["総務省", "001", "1.0", "1e3", "0012", "2025/4/1", "TRUE", "1,000"]
    header = [*REQ, "利用開始時期", "利用者の範囲", "利用廃止", "導入段階"]
    r = row_recs(parse(("p/a.csv", csv_bytes([header, row]))))[0]
    assert values(
        r,
        "ministry",
        "case_id",
        "case_name",
        "usage_type",
        "start_timing",
        "user_scope",
        "discontinued",
        "stage",
    ) == tuple(row)


def test_free_text_starting_with_formula_characters_kept_verbatim_csv():
    texts = ["=1+1", "+81-3-1234", "-", "@SUM(A1)", '=HYPERLINK("http://x")', "'001"]
    rows = [REQ] + [["総務省", str(i), t, "汎用型1"] for i, t in enumerate(texts)]
    rs = row_recs(parse(("p/a.csv", csv_bytes(rows))))
    assert [r["case_name"] for r in rs] == texts


def test_very_long_free_text_survives_csv():
    long_text = "長" * 100_000
    longer = "x" * 300_000  # above csv's default field size limit (131072)
    rows = [[*REQ, "成果目標の内容"], ["総務省", "1", long_text, "汎用型1", longer]]
    df = parse(("p/a.csv", csv_bytes(rows, "cp932")))
    r = row_recs(df)[0]
    assert (len(r["case_name"]), r["case_name"] == long_text) == (100_000, True)
    assert r["outcome_goal_text"] == longer


def test_malformed_csv_unterminated_quote_is_a_file_error():
    data = '府省庁名,案件番号,案件名,利用類型\r\n総務省,1,"閉じない,汎用型1\r\n総務省,2,b,c\r\n'.encode()
    df = parse(("p/a.csv", data))
    f = file_rec(df)
    assert f["file_error"] == "malformed CSV: unexpected end of data (record starting on line 2)"
    assert (f["data_rows"], f["header_row"]) == (0, None)
    assert len(df) == 1


def test_malformed_csv_text_after_closing_quote():
    data = '府省庁名,案件番号,案件名,利用類型\r\n総務省,1,"a"b,c\r\n'.encode()
    f = file_rec(parse(("p/a.csv", data)))
    assert f["file_error"] == "malformed CSV: ',' expected after '\"' (record starting on line 2)"


def test_quote_inside_unquoted_field_is_literal():
    data = '府省庁名,案件番号,案件名,利用類型\r\n総務省,1,a"b"c,d\r\n'.encode()
    assert row_recs(parse(("p/a.csv", data)))[0]["case_name"] == 'a"b"c'


def test_uppercase_extension():
    df = parse(("2025-12-31/MOJ.CSV", csv_bytes([REQ, ["法務省", "1", "a", "b"]])))
    f = file_rec(df)
    assert (f["file_format"], f["data_rows"], f["file_error"]) == ("csv", 1, None)


# ------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------


def test_xlsx_title_rows_merged_header_cells_and_two_level_header():
    rows = [
        ["令和7年度第3回 生成AIシステムの利用状況"],  # A1:H1 merged title
        [],
        ["府省庁名", "案件番号", "案件名", "利用状況", None, None, "備考", None],  # row 3
        [None, None, None, "利用類型", "導入段階", "利用モデル", None, None],  # row 4
        ["総務省", 1, "案件A", "汎用型1", "常用", "GPT-4o", "メモ", None],
        ["総務省", "002", "案件B", "特化型1", "検証", None, None, None],
    ]
    merges = ("A1:H1", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:H4")
    data = xlsx_bytes(rows, merges=merges, title="報告様式")
    df = parse(("2025-12-31/soumu.xlsx", data))
    f = file_rec(df)
    assert file_meta(f) == {
        "source_file": "2025-12-31/soumu.xlsx",
        "period_folder": "2025-12-31",
        "file_format": "xlsx",
        "encoding": None,
        "sheet_name": "報告様式",
        "header_row": 4,
        "file_error": None,
        "missing_columns": None,
        "unknown_columns": "備考",
        "empty_rows_skipped": 0,
        "data_rows": 2,
    }
    rs = row_recs(df)
    assert [(r["row_number"], canon(r), json.loads(r["extra_values_json"])) for r in rs] == [
        (
            5,
            {
                "ministry": "総務省",
                "case_id": "1",
                "case_name": "案件A",
                "usage_type": "汎用型1",
                "stage": "常用",
                "model_name": "GPT-4o",
            },
            {"備考": "メモ"},
        ),
        (
            6,
            {
                "ministry": "総務省",
                "case_id": "002",
                "case_name": "案件B",
                "usage_type": "特化型1",
                "stage": "検証",
            },
            {"備考": None},
        ),
    ]


def test_xlsx_single_row_header_with_horizontally_merged_cell():
    rows = [
        ["様式"],
        ["府省庁名", "案件番号", "案件名", None, "利用類型"],  # 案件名 merged C2:D2
        ["総務省", "1", "長い案件名", None, "汎用型1"],
    ]
    df = parse(("p/a.xlsx", xlsx_bytes(rows, merges=("C2:D2",))))
    f = file_rec(df)
    assert (f["header_row"], f["file_error"], f["unknown_columns"]) == (2, None, None)
    assert canon(row_recs(df)[0])["usage_type"] == "汎用型1"


def test_xlsx_vertically_merged_data_cells_repeat_top_left_value():
    rows = [REQ, ["総務省", "1", "a", "汎用型1"], [None, "2", "b", "汎用型2"], [None, "3", "c", "汎用型1"]]
    df = parse(("p/a.xlsx", xlsx_bytes(rows, merges=("A2:A4",))))
    assert [(r["row_number"], r["ministry"], r["case_id"]) for r in row_recs(df)] == [
        (2, "総務省", "1"),
        (3, "総務省", "2"),
        (4, "総務省", "3"),
    ]


def test_xlsx_extra_sheets_ignored():
    data = xlsx_bytes(
        [REQ, ["総務省", "1", "a", "b"]],
        title="回答",
        extra_sheets={
            "記入例": [REQ, ["例示省", "X", "x", "y"], ["例示省", "Y", "x", "y"]],
            "コード表": [["1", "汎用型1"]],
        },
    )
    df = parse(("2025-12-31/a.xlsx", data))
    f = file_rec(df)
    assert (f["sheet_name"], f["data_rows"], f["file_error"]) == ("回答", 1, None)
    assert [r["ministry"] for r in row_recs(df)] == ["総務省"]
    assert "記入例" not in df.to_string() and "コード表" not in df.to_string()


def test_xlsx_formula_cells_use_cached_value_or_na():
    rows = [
        [*REQ, "利用モデル", "利用者の範囲"],
        ["総務省", "=1+1", '="案"&"件"', "汎用型1", "=A2", "=B2*1.5"],
    ]
    data = xlsx_bytes(rows, literal_strings=False)

    def add_cache(xml: str) -> str:
        xml = xml.replace("<f>1+1</f><v />", "<f>1+1</f><v>2</v>")
        xml = re.sub(r'<c r="C2"><f>(.*?)</f><v />', r'<c r="C2" t="str"><f>\1</f><v>案件</v>', xml)
        xml = xml.replace("<f>B2*1.5</f><v />", "<f>B2*1.5</f><v>3</v>")
        return xml

    df = parse(("p/cached.xlsx", patch_sheet_xml(data, add_cache)), ("p/nocache.xlsx", data))
    cached = canon(row_recs(df, "p/cached.xlsx")[0])
    assert cached == {
        "ministry": "総務省",
        "case_id": "2",
        "case_name": "案件",
        "usage_type": "汎用型1",
        "user_scope": "3",
    }
    # no cached value (never opened in Excel): the formula cell reads as NA
    assert canon(row_recs(df, "p/nocache.xlsx")[0]) == {"ministry": "総務省", "usage_type": "汎用型1"}
    assert file_rec(df, "p/nocache.xlsx")["data_rows"] == 1


def test_xlsx_numeric_ids_and_other_cell_types():
    import datetime as dt

    header = [
        *REQ,
        "利用開始時期",
        "利用者の範囲",
        "導入段階",
        "利用廃止",
        "成果目標",
        "利用モデル",
        "高リスク判定",
    ]
    row = [
        "総務省",
        1,
        "001",
        2.0,
        dt.datetime(2025, 4, 1),
        1.5,
        0.1,
        True,
        dt.datetime(2025, 4, 1, 9, 30),
        12345678901234,
        -3.0,
    ]
    df = parse(("p/a.xlsx", xlsx_bytes([header, row])))
    r = row_recs(df)[0]
    assert canon(r) == {
        "ministry": "総務省",
        "case_id": "1",
        "case_name": "001",
        "usage_type": "2",
        "start_timing": "2025-04-01",
        "user_scope": "1.5",
        "stage": "0.1",
        "discontinued": "TRUE",
        "outcome_goal": "2025-04-01 09:30:00",
        "model_name": "12345678901234",
        "high_risk": "-3",
    }


def test_xlsx_numbers_stored_as_text_stay_text():
    rows = [REQ, ["総務省", "001", "1.0", "0012"]]
    r = row_recs(parse(("p/a.xlsx", xlsx_bytes(rows))))[0]
    assert values(r, "case_id", "case_name", "usage_type") == ("001", "1.0", "0012")


def test_xlsx_free_text_starting_with_formula_characters_kept_verbatim():
    texts = ["=1+1", "+81-3-1234", "-", "@SUM(A1)", '=HYPERLINK("http://x")']
    rows = [REQ] + [["総務省", str(i), t, "汎用型1"] for i, t in enumerate(texts)]
    rs = row_recs(parse(("p/a.xlsx", xlsx_bytes(rows))))
    assert [r["case_name"] for r in rs] == texts


def test_xlsx_long_text_and_special_characters():
    long_text = "長" * 32_767  # Excel's cell limit
    rows = [REQ, ["総務省", "1", long_text, "①髙～㈱\n改行"]]
    r = row_recs(parse(("p/a.xlsx", xlsx_bytes(rows))))[0]
    assert r["case_name"] == long_text
    assert r["usage_type"] == "①髙～㈱\n改行"


def test_xlsx_blank_rows_and_header_with_line_breaks():
    rows = [
        ["報告"],
        ["府省庁\n名", "案件\u3000番号", "案件名 ", "利用\n類型", None, None],
        ["総務省", 1, "a", "b", None, None],
        [None, None, None, None],
        ["  ", None, None, None, None, "\u3000"],
        ["総務省", 2, "c", "d", None, "はみ出し"],
    ]
    df = parse(("p/a.xlsx", xlsx_bytes(rows)))
    f = file_rec(df)
    assert (f["header_row"], f["empty_rows_skipped"], f["data_rows"], f["unknown_columns"]) == (
        2,
        2,
        2,
        "(列6)",
    )
    assert [(r["row_number"], r["case_id"], r["extra_values_json"]) for r in row_recs(df)] == [
        (3, "1", '{"(列6)": null}'),
        (6, "2", '{"(列6)": "はみ出し"}'),
    ]


def test_xlsx_wrong_dimension_does_not_truncate():
    rows = [REQ] + [["総務省", str(i), "a", "b"] for i in range(1, 6)]

    def bad_dimension(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:A2" />', xml)

    data = patch_sheet_xml(xlsx_bytes(rows), bad_dimension)
    assert b'ref="A1:A2"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    df = parse(("p/a.xlsx", data))
    assert [r["case_id"] for r in row_recs(df)] == ["1", "2", "3", "4", "5"]
    assert row_recs(df)[0]["case_name"] == "a"


def test_xlsx_shared_strings_from_write_only_workbook():
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("様式")
    ws.append(["表題"])
    ws.append(REQ)
    ws.append(["総務省", 7, "案件", "汎用型1"])
    buf = io.BytesIO()
    wb.save(buf)
    df = parse(("p/a.xlsx", buf.getvalue()))
    f = file_rec(df)
    assert (f["sheet_name"], f["header_row"], f["data_rows"]) == ("様式", 2, 1)
    assert canon(row_recs(df)[0]) == {
        "ministry": "総務省",
        "case_id": "7",
        "case_name": "案件",
        "usage_type": "汎用型1",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "cannot read workbook: the file is a password-protected workbook or a legacy .xls saved with an .xlsx name",
        ),
        (
            "府省庁名,案件番号\r\n".encode(),
            "cannot read workbook: the file is not an .xlsx workbook (not a ZIP archive)",
        ),
    ],
)
def test_xlsx_unreadable(data, message):
    df = parse(("p/a.xlsx", data))
    f = file_rec(df)
    assert (f["file_error"], f["sheet_name"], f["data_rows"]) == (message, None, 0)


def test_xlsx_truncated_zip_is_a_file_error():
    data = xlsx_bytes([REQ, ["総務省", "1", "a", "b"]])
    f = file_rec(parse(("p/a.xlsx", data[: len(data) // 2])))
    assert f["file_error"].startswith("cannot read workbook: the file is damaged or not an .xlsx workbook (")
    assert f["data_rows"] == 0


def test_xlsx_zip_without_workbook_is_a_file_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    f = file_rec(parse(("p/a.xlsx", buf.getvalue())))
    assert f["file_error"] == (
        "cannot read workbook: the file is damaged or not an .xlsx workbook "
        "(KeyError: \"There is no item named '[Content_Types].xml' in the archive\")"
    )


# ------------------------------------------------------------------------------------------
# files, paths, ordering
# ------------------------------------------------------------------------------------------


def test_hidden_and_lock_files_ignored():
    good = csv_bytes([REQ, ["総務省", "1", "a", "b"]])
    df = parse(
        ("2025-12-31/.DS_Store", b"\x00\x01"),
        ("2025-12-31/.hidden.csv", good),
        (".git/config", b"x"),
        ("2025-12-31/.sub/a.csv", good),
        ("2025-12-31/~$soumu.xlsx", b"\x0bowner"),
        ("2025-12-31/~$soumu.csv", b"\x0bowner"),
        ("__MACOSX/2025-12-31/._soumu.xlsx", b"\x00\x05\x16\x07"),
        ("2025-12-31/soumu.csv", good),
    )
    assert list(df["source_file"].unique()) == ["2025-12-31/soumu.csv"]
    assert list(df["record_type"]) == ["file", "row"]


def test_is_ignored():
    assert is_ignored(".x/a.csv") and is_ignored("a/.b") and is_ignored("a/~$b.xlsx")
    assert not is_ignored("2025-12-31/a.csv") and not is_ignored("a/b~$c.xlsx")


def test_path_without_period_folder_and_nested_path():
    good = csv_bytes([REQ, ["総務省", "1", "a", "b"]])
    df = parse(("moj.csv", good), ("2025-12-31/sub/moj.csv", good), ("not-a-date/moj.csv", good))
    got = {r["source_file"]: r["period_folder"] for r in records(df) if r["record_type"] == "file"}
    assert got == {
        "moj.csv": None,
        "2025-12-31/sub/moj.csv": "2025-12-31",
        "not-a-date/moj.csv": "not-a-date",  # validated in SQL, not here
    }
    assert file_rec(df, "moj.csv")["data_rows"] == 1


@pytest.mark.parametrize(
    ("path", "fmt", "message"),
    [
        ("2025-12-31/a.txt", "txt", "unsupported file type .txt; expected .csv or .xlsx"),
        ("2025-12-31/a.XLS", "xls", "unsupported file type .xls; expected .csv or .xlsx"),
        ("2025-12-31/a.xlsm", "xlsm", "unsupported file type .xlsm; expected .csv or .xlsx"),
        ("2025-12-31/README", None, "unsupported file type (no extension); expected .csv or .xlsx"),
    ],
)
def test_unsupported_extension(path, fmt, message):
    df = parse((path, b"whatever"))
    assert records(df) == [
        {
            "record_type": "file",
            "source_file": path,
            "period_folder": "2025-12-31",
            "file_format": fmt,
            "encoding": None,
            "sheet_name": None,
            "header_row": None,
            "row_number": None,
            "file_error": message,
            "missing_columns": None,
            "unknown_columns": None,
            "empty_rows_skipped": 0,
            "data_rows": 0,
            "extra_values_json": None,
            **dict.fromkeys(CANONICAL_COLUMNS),
        }
    ]


def test_deterministic_ordering():
    a = csv_bytes([REQ, ["総務省", "1", "a", "b"], ["総務省", "2", "a", "b"]])
    b = xlsx_bytes([REQ, ["法務省", "1", "a", "b"]])
    files = [
        ("2025-12-31/b.xlsx", b),
        ("2025-09-30/z.csv", a),
        ("2025-12-31/a.csv", a),
        ("2025-12-31/c.txt", b""),
    ]
    df1 = parse(*files)
    df2 = parse(*reversed(files))
    pd.testing.assert_frame_equal(df1, df2)
    assert [(r["source_file"], r["record_type"], r["row_number"]) for r in records(df1)] == [
        ("2025-09-30/z.csv", "file", None),
        ("2025-09-30/z.csv", "row", 2),
        ("2025-09-30/z.csv", "row", 3),
        ("2025-12-31/a.csv", "file", None),
        ("2025-12-31/a.csv", "row", 2),
        ("2025-12-31/a.csv", "row", 3),
        ("2025-12-31/b.xlsx", "file", None),
        ("2025-12-31/b.xlsx", "row", 2),
        ("2025-12-31/c.txt", "file", None),
    ]
    assert list(df1.index) == list(range(len(df1)))


def test_leading_or_double_slashes_do_not_invent_a_period_folder():
    good = csv_bytes([REQ, ["総務省", "1", "a", "b"]])
    df = parse(("2025-12-31//a.csv", good), ("/b.csv", good))
    got = {r["source_file"]: r["period_folder"] for r in records(df) if r["record_type"] == "file"}
    assert got == {"2025-12-31//a.csv": "2025-12-31", "/b.csv": None}


def test_accepts_bytearray_and_memoryview():
    data = csv_bytes([REQ, ["総務省", "1", "a", "b"]])
    df = parse(("p/a.csv", bytearray(data)), ("p/b.csv", memoryview(data)))
    assert list(df["data_rows"].dropna()) == [1, 1]


def test_data_rows_equals_row_records_per_file():
    files = [
        ("p/a.csv", csv_bytes([REQ, ["総務省", "1", "a", "b"], [], ["総務省", "2", "a", "b"]])),
        ("p/b.csv", csv_bytes([["府省庁名", "案件番号"], ["総務省", "1"]])),
        ("p/c.xlsx", xlsx_bytes([["t"], REQ, ["総務省", 1, "a", "b"]])),
    ]
    df = parse(*files)
    rows_per_file = df[df["record_type"] == "row"].groupby("source_file").size().to_dict()
    fr = df[df["record_type"] == "file"].set_index("source_file")["data_rows"].to_dict()
    assert fr == rows_per_file == {"p/a.csv": 2, "p/b.csv": 1, "p/c.xlsx": 1}


@pytest.mark.parametrize(
    ("filename", "landing_dir", "expected"),
    [
        ("data/landing/2025-12-31/moj.csv", "data/landing", "2025-12-31/moj.csv"),
        ("data/landing/2025-12-31/moj.csv", "data/landing/", "2025-12-31/moj.csv"),
        ("./data/landing/2025-12-31/moj.csv", "data/landing", "2025-12-31/moj.csv"),
        ("/abs/landing/2025-12-31/moj.csv", "/abs/landing", "2025-12-31/moj.csv"),
        ("C:\\land\\2025-12-31\\moj.csv", "C:\\land", "2025-12-31/moj.csv"),
        ("2025-12-31/moj.csv", ".", "2025-12-31/moj.csv"),
        ("/abs/landing/moj.csv", "/abs/landing", "moj.csv"),
    ],
)
def test_relative_path(filename, landing_dir, expected):
    assert relative_path(filename, landing_dir) == expected


def test_relative_path_mixed_absolute_and_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert relative_path(str(tmp_path / "landing" / "p" / "a.csv"), "landing") == "p/a.csv"


def test_relative_path_outside_raises():
    with pytest.raises(ValueError):
        relative_path("/elsewhere/a.csv", "/abs/landing")


def test_landing_dir_skips_hidden_and_lock_files(tmp_path):
    """The landing as the dbt model reads it (DuckDB read_blob over the folder, then load_landing)."""
    duckdb = pytest.importorskip("duckdb")
    good = csv_bytes([REQ, ["総務省", "1", "a", "b"]])
    (tmp_path / "2025-12-31").mkdir()
    (tmp_path / "2025-12-31" / "b.csv").write_bytes(good)
    (tmp_path / "2025-12-31" / "a.xlsx").write_bytes(xlsx_bytes([REQ, ["法務省", "1", "a", "b"]]))
    (tmp_path / "2025-12-31" / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / "2025-12-31" / ".DS_Store").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.csv").write_bytes(good)
    (tmp_path / "loose.csv").write_bytes(good)
    con = duckdb.connect()
    blobs = con.sql(f"select * from read_blob('{tmp_path}/**')")
    files = (
        load_landing(con, blobs, str(tmp_path))
        .filter("record_type = 'file'")
        .order("source_file")
        .project("source_file, file_checksum, data_rows, period_folder")
        .fetchall()
    )
    assert [path for path, *_ in files] == ["2025-12-31/a.xlsx", "2025-12-31/b.csv", "loose.csv"]
    assert files[1][1] == hashlib.md5(good).hexdigest()
    assert [data_rows for *_, data_rows, _ in files] == [1, 1, 1]
    assert files[2][3] is None


def test_duckdb_read_blob_integration(tmp_path, monkeypatch):
    """The way the dbt Python model calls the reader: DuckDB read_blob -> relative_path -> parse."""
    duckdb = pytest.importorskip("duckdb")
    land = tmp_path / "landing"
    (land / "2025-12-31").mkdir(parents=True)
    (land / ".hidden").mkdir()
    (land / "2025-12-31" / "a.csv").write_bytes(csv_bytes([REQ, ["総務省", "001", "a", "b"]], "cp932"))
    (land / "2025-12-31" / "b.xlsx").write_bytes(xlsx_bytes([REQ, ["法務省", 1, "a", "b"]]))
    (land / "2025-12-31" / "~$b.xlsx").write_bytes(b"lock")
    (land / ".hidden" / "c.csv").write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    for landing_dir in ("landing", "./landing/", str(land)):
        blobs = duckdb.sql(f"select filename, content from read_blob('{landing_dir}/**')").df()
        df = parse_landing_files(
            (relative_path(f, landing_dir), c) for f, c in zip(blobs["filename"], blobs["content"], strict=True)
        )
        assert [(r["source_file"], r["record_type"], r["case_id"]) for r in records(df)] == [
            ("2025-12-31/a.csv", "file", None),
            ("2025-12-31/a.csv", "row", "001"),
            ("2025-12-31/b.xlsx", "file", None),
            ("2025-12-31/b.xlsx", "row", "1"),
        ]


# ------------------------------------------------------------------------------------------
# robustness & performance
# ------------------------------------------------------------------------------------------


def test_never_raises_on_garbage():
    rng = random.Random(20251231)
    base_csv = csv_bytes([FULL_HEADER, ROW_A, ROW_B], "cp932")
    base_xlsx = xlsx_bytes([FULL_HEADER, ROW_A, ROW_B])
    files = []
    for i in range(150):
        base = base_csv if i % 2 else base_xlsx
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(data))
            data[pos] = rng.randrange(256)
        if i % 7 == 0:
            data = data[: rng.randrange(len(data))]
        ext = "csv" if i % 3 else "xlsx"
        files.append((f"p/{i:03d}.{ext}", bytes(data)))
    files.append(("p/random.csv", bytes(rng.randrange(256) for _ in range(5000))))
    df = parse_landing_files(files)
    fr = df[df["record_type"] == "file"]
    assert len(fr) == len(files)
    assert fr["data_rows"].notna().all() and fr["empty_rows_skipped"].notna().all()
    # a file without data rows either has an error or at least a header row
    assert ((fr["data_rows"] > 0) | fr["file_error"].notna() | fr["header_row"].notna()).all()
    rows = df[df["record_type"] == "row"].groupby("source_file").size()
    assert (fr.set_index("source_file")["data_rows"].loc[rows.index] == rows).all()
    assert fr["file_error"].isna().sum() > 0 and fr["file_error"].notna().sum() > 0


def test_large_csv_is_fast():
    rows = [FULL_HEADER] + [["総務省", str(i), "案件名" * 5, "汎用型1", *ROW_A[4:]] for i in range(100_000)]
    data = csv_bytes(rows, "cp932")
    start = time.perf_counter()
    df = parse_landing_files([("2025-12-31/big.csv", data)])
    elapsed = time.perf_counter() - start
    assert len(df) == 100_001
    assert df["case_id"].iloc[-1] == "99999"
    assert elapsed < 30, elapsed  # ~3 s on a slow CI box; generous bound against flakiness
