"""Hostile input through the whole warehouse: every bad submission is accepted correctly or rejected
with a message naming file, row, column and value -- never a crash, never a silent loss.

The corpus is tests/fixtures/hostile/landing/ (made by tests/fixtures/hostile/generate.py; each case
has its own case ids, so the cases never collide). It is built ONCE, with rejects quarantined so the
build completes and the marts can be inspected; every case below then checks its own files. The
table in docs/hostile-input.md lists the same cases (a test keeps the two in step).

Also here: the build without quarantine fails on any reject, and the ministry-side
``python -m genai_report.validate`` gives the warehouse's own messages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from genai_report import contract, validate
from genai_report.landing import is_ignored
from genai_report.warehouse import build_warehouse
from tests.python.conftest import PROJECT_DIR

CORPUS = PROJECT_DIR / "tests" / "fixtures" / "hostile" / "landing"
DOCS = PROJECT_DIR / "docs" / "hostile-input.md"
P, Q = "2026-06-30", "2026-12-31"
QUARANTINE = {"quarantine_rejects": True, "check_publication": False}
#: reason -> its bare Japanese message (reject_reasons.message_ja).
REJECT_REASONS = {row["reason"]: row["message_ja"] for row in contract.seed_rows("reject_reasons")}

# --------------------------------------------------------------------------------------------
# Expected outcomes
# --------------------------------------------------------------------------------------------

#: the codes of the default row of generate.py (every accepted row differs from it only as stated)
DEFAULT_CODES = {
    "usage_type": "GENERAL_1",
    "start_timing": "STARTED",
    "user_scope": "SINGLE_MINISTRY_WIDE",
    "stage": "PRODUCTION",
    "confidentiality": "C1_ONLY",
    "outcome_goal": "QUANTITATIVE",
    "output_type": "TEXT_ONLY",
    "model_family": "OPENAI_GPT",
    "is_discontinued": False,
    "risk_incident": "NO",
    "high_risk": "NOT_APPLICABLE",
}
CASE_COLUMNS = ("source_file", "row_number", "ministry_code", "case_id", *DEFAULT_CODES)


def ok(source_file: str, row_number: int, ministry_code: str, case_id: str, **codes: object) -> tuple:
    """An accepted row: where it came from, its key and every code."""
    unknown = set(codes) - set(DEFAULT_CODES)
    assert not unknown, unknown
    merged = {**DEFAULT_CODES, **codes}
    return (source_file, row_number, ministry_code, case_id, *merged.values())


@dataclass(frozen=True)
class File:
    source_file: str
    rows_landed: int
    rows_accepted: int
    rows_rejected: int
    file_issue: str | None = None
    warning: str | None = None
    extra: dict = field(default_factory=dict)  # other submission_files columns to check


def unreadable(source_file: str, error: str) -> tuple[File, str]:
    """A file rejected as a whole: no row lands; one message with the loader's reason as the value."""
    return (
        File(source_file, 0, 0, 0, "UNREADABLE_FILE"),
        f'{source_file}, value "{error}": the file cannot be read',
    )


@dataclass(frozen=True)
class Case:
    id: str
    files: tuple[File, ...]
    accepted: tuple[tuple, ...] = ()
    rejects: tuple[str, ...] = ()  # exact message_en of every reject of the case's files
    checks: tuple[tuple[str, list], ...] = ()  # (sql, expected rows) on the corpus warehouse
    ignored: tuple[str, ...] = ()  # corpus files the warehouse must not load at all


UNKNOWN = "the value matches no code of the list"
MASK = "(非公開 / restricted)"
BLANK = "a required value is blank"
DUPLICATE = "the same (period, ministry, case id) appears on more than one row"
NO_HEADER = (
    "no header row with the required columns in the first 10 rows (required: 府省庁名, 案件番号, 案件名, 利用類型)"
)
LONG_NAME = "長い案件名" * 2_000
LONG_GOAL = "成果目標の説明、改行も含む。\n" * 10_000


def _case_value(column: str, case_key: str, period: str = P) -> str:
    return f"select {column} from intermediate.int_cases where case_key = '{case_key}' and period_end = '{period}'"


def _cases() -> list[Case]:
    cases: list[Case] = []
    add = cases.append

    # ---- encodings ------------------------------------------------------------------------
    f = f"{P}/enc_cp932.csv"
    add(
        Case(
            "cp932_with_vendor_characters_and_half_width_kana",
            (File(f, 2, 2, 0, extra={"encoding": "cp932"}),),
            (ok(f, 2, "MIC", "ENC-CP932-1"), ok(f, 3, "DA", "ENC-CP932-2", usage_type="GENERAL_2")),
            checks=(
                (_case_value("case_name", "MIC/ENC-CP932-1"), [("髙橋①係の照会～㈱",)]),
                (_case_value("case_name", "DA/ENC-CP932-2"), [("ｶﾅ案件",)]),
            ),
        )
    )
    f = f"{P}/enc_utf8_bom.csv"
    add(Case("utf8_with_bom", (File(f, 1, 1, 0, extra={"encoding": "utf-8-sig"}),), (ok(f, 2, "NPA", "ENC-BOM-1"),)))
    for case_id, name, error in (
        ("mixed_utf8_and_cp932", "enc_mixed.csv", "mixed encodings: line 1 is UTF-8 but line 3 is CP932/Shift_JIS"),
        (
            "bom_then_cp932",
            "enc_bom_then_cp932.csv",
            "mixed encodings: the file starts with a UTF-8 byte-order mark but line 2 is CP932/Shift_JIS",
        ),
        (
            "utf16_unicode_text",
            "enc_utf16.csv",
            "cannot decode: neither UTF-8 nor CP932 (the file is UTF-16; save it as CSV UTF-8)",
        ),
        (
            "cp932_read_as_utf8_and_resaved",
            "enc_mojibake_file.csv",
            "cannot decode: line 1 contains the replacement character U+FFFD, left by an earlier lossy conversion "
            "from another encoding (probably CP932); save the file again from the original",
        ),
        (
            "one_cell_with_replacement_characters",
            "enc_replacement_chars.csv",
            "cannot decode: line 3 contains the replacement character U+FFFD, left by an earlier lossy conversion "
            "from another encoding (probably CP932); save the file again from the original",
        ),
    ):
        file, message = unreadable(f"{P}/{name}", error)
        add(Case(case_id, (file,), rejects=(message,)))
    f = f"{P}/enc_mojibake_value.csv"
    add(
        Case(
            "ministry_name_pasted_as_mojibake",
            (File(f, 2, 1, 1),),
            (ok(f, 3, "DA", "ENC-MOJIV-2"),),
            (
                f'{f}, row 2, column 府省庁名 (ministry), value "ƒfƒWƒ^ƒ‹’¡": '
                "the ministry is not one of the 25 ministries (seed ministries)",
            ),
        )
    )

    # ---- header row and columns -----------------------------------------------------------
    f = f"{P}/hdr_title_rows.csv"
    add(
        Case(
            "header_row_not_on_line_1",
            (File(f, 2, 2, 0, extra={"header_row": 4}),),
            (ok(f, 5, "CAO", "HDR-1"), ok(f, 6, "CAO", "HDR-2", stage="POC")),
        )
    )
    file, message = unreadable(f"{P}/hdr_too_low.csv", NO_HEADER)
    add(Case("header_row_below_row_10", (file,), rejects=(message,)))
    missing_column = "a required column is missing from the header row"
    f = f"{P}/col_missing_required.csv"
    add(
        Case(
            "missing_required_column",
            (File(f, 1, 0, 1, "MISSING_REQUIRED_COLUMN"),),
            rejects=(
                f"{f}, row 2, column 利用類型 (usage_type), value (blank): {missing_column}",
                f"{f}, row 2, column 利用類型 (usage_type), value (blank): {BLANK}",
            ),
        )
    )
    f = f"{P}/col_missing_two.csv"
    add(
        Case(
            "two_missing_required_columns",
            (File(f, 1, 0, 1, "MISSING_REQUIRED_COLUMN"),),
            rejects=(
                f"{f}, row 2, column case_name,usage_type, value (blank): {missing_column}",
                f"{f}, row 2, column 利用類型 (usage_type), value (blank): {BLANK}",
            ),
        )
    )
    f = f"{P}/col_unknown_extra.csv"
    add(
        Case(
            "unknown_extra_columns",
            (File(f, 2, 2, 0, warning="unknown columns kept out of the marts: 備考,担当課"),),
            (ok(f, 2, "MOF", "COL-EXTRA-1"), ok(f, 3, "MOF", "COL-EXTRA-2")),
        )
    )
    file, message = unreadable(
        f"{P}/col_duplicate_header.csv",
        'duplicate header: "利用類型" (column 4 (D)) and "利用類型" (column 16 (P)) both map to usage_type',
    )
    add(Case("duplicate_header", (file,), rejects=(message,)))

    # ---- workbooks --------------------------------------------------------------------------
    f = f"{P}/xlsx_form.xlsx"
    add(
        Case(
            "xlsx_title_merged_two_level_header_and_extra_sheets",
            (File(f, 2, 2, 0, extra={"header_row": 3, "sheet_name": "報告様式"}),),
            (
                ok(f, 4, "MEXT", "XLSX-FORM-1", output_type="AUDIO_IMAGE_CAPABLE"),
                ok(f, 5, "MEXT", "102", usage_type="SPECIFIC_1", user_scope="EXTERNAL_SPECIFIC", stage="POC"),
            ),
        )
    )
    f = f"{P}/xlsx_numbers.xlsx"
    add(
        Case(
            "numbers_stored_as_text_and_text_as_numbers",
            (File(f, 4, 4, 0),),
            (
                ok(f, 2, "MHLW", "007"),
                ok(f, 3, "MHLW", "7"),
                ok(f, 4, "MHLW", "8", output_type="AUDIO_USE"),
                ok(f, 5, "MHLW", "NUM-9", output_type="OTHER"),
            ),
            checks=((_case_value("case_name", "MHLW/NUM-9"), [("12345",)]),),
        )
    )
    f = f"{P}/val_decimal.xlsx"
    add(
        Case(
            "decimal_number_in_a_code_column",
            (File(f, 3, 1, 2),),
            (ok(f, 4, "MHLW", "DEC-3", user_scope="SINGLE_DIVISION"),),
            (
                f'{f}, row 2, column 出力データの種類 (output_type), value "2.5": {UNKNOWN}',
                f'{f}, row 3, column 利用者の範囲 (user_scope), value "1 2": {UNKNOWN}',
            ),
        )
    )
    f = f"{P}/xlsx_formulas.xlsx"
    add(
        Case(
            "xlsx_formula_cells",
            (File(f, 3, 1, 2),),
            (ok(f, 2, "METI", "F-1"),),
            (
                f"{f}, row 3, column 利用類型 (usage_type), value (blank): {BLANK}",
                f'{f}, row 4, column 利用者の範囲 (user_scope), value "#N/A": {UNKNOWN}',
            ),
            checks=((_case_value("case_name", "METI/F-1"), [("計算した名前",)]),),
        )
    )
    for case_id, name, error in (
        ("xlsx_instructions_sheet_first", "xlsx_instructions_first.xlsx", NO_HEADER),
        ("xlsx_empty_workbook", "xlsx_empty.xlsx", 'empty file (the first worksheet "Sheet1" has no values)'),
        (
            "legacy_xls_named_xlsx",
            "xlsx_legacy.xlsx",
            "cannot read workbook: the file is a password-protected workbook or a legacy .xls saved with an .xlsx name",
        ),
    ):
        file, message = unreadable(f"{P}/{name}", error)
        add(Case(case_id, (file,), rejects=(message,)))

    # ---- values -----------------------------------------------------------------------------
    f = f"{P}/val_unknown_code.csv"
    add(
        Case(
            "unknown_code_values",
            (File(f, 4, 1, 3),),
            (ok(f, 2, "NPOLA", "VAL-CODE-1"),),
            (
                f'{f}, row 3, column 利用類型 (usage_type), value "汎用型9": {UNKNOWN}',
                f'{f}, row 4, column 導入段階 (stage), value "本番": {UNKNOWN}',
                f'{f}, row 5, column 利用類型 (usage_type), value "=SUM(A1)": {UNKNOWN}',
            ),
        )
    )
    f = f"{P}/val_unknown_ministry.csv"
    add(
        Case(
            "unknown_ministry",
            (File(f, 2, 1, 1),),
            (ok(f, 3, "JCRC", "VAL-MIN-2"),),
            (
                f'{f}, row 2, column 府省庁名 (ministry), value "デジタル省": '
                "the ministry is not one of the 25 ministries (seed ministries)",
            ),
        )
    )
    f = f"{P}/val_ambiguous.csv"
    add(
        Case(
            "ambiguous_code",
            (File(f, 2, 1, 1),),
            (ok(f, 3, "PPC", "VAL-AMB-2", confidentiality="C2_PROMPT"),),
            (
                f'{f}, row 2, column 取扱情報の機密性 (confidentiality), value "機密性2": the value matches several '
                "codes — ambiguous: C2_PROMPT, C2_REFERENCE or C2_TRAINING",
            ),
        )
    )
    f = f"{P}/val_wrong_fiscal_year.csv"
    wrong_year = "the label names another fiscal year than the period's"
    add(
        Case(
            "label_naming_the_wrong_fiscal_year",
            (File(f, 5, 3, 2),),
            (
                ok(f, 4, "FSA", "VAL-FY-3", start_timing="WITHIN_FY"),
                ok(f, 5, "FSA", "VAL-FY-4", start_timing="WITHIN_CY"),
                ok(f, 6, "FSA", "VAL-FY-5", start_timing="LATER_FY"),
            ),
            (
                f'{f}, row 2, column 利用開始時期 (start_timing), value "令和9年度中に利用開始予定": {wrong_year}',
                f'{f}, row 3, column 利用開始時期 (start_timing), value "2025年度中に利用開始予定": {wrong_year}',
            ),
        )
    )
    f = f"{Q}/val_code_not_on_form.csv"
    add(
        Case(
            "code_not_on_the_periods_form",
            (File(f, 2, 1, 1),),
            (ok(f, 3, "CAA", "VAL-FORM-2", start_timing="WITHIN_FY"),),
            (
                f'{f}, row 2, column 利用開始時期 (start_timing), value "令和8年中に利用開始予定": '
                "the code is not offered on this period's form",
            ),
        )
    )
    f = f"{P}/val_missing_required.csv"
    add(
        Case(
            "blank_required_values",
            (File(f, 4, 1, 3),),
            (ok(f, 5, "CFA", "VAL-REQ-5"),),
            (
                f'{f}, row 2, column 利用類型 (usage_type), value "未記入": {BLANK}',
                f"{f}, row 3, column 案件番号 (case_id), value (blank): {BLANK}",
                f'{f}, row 4, column 府省庁名 (ministry), value "\u3000": {BLANK}',
            ),
        )
    )
    f = f"{P}/val_blank_case_name.csv"
    add(
        Case(
            "blank_required_free_text",
            (File(f, 2, 1, 1),),
            (ok(f, 3, "CFA", "VAL-REQ-6"),),
            (f"{f}, row 2, column 案件名 (case_name), value (blank): {BLANK}",),
        )
    )
    f = f"{P}/val_restricted_invalid.csv"
    add(
        Case(
            "invalid_restricted_value",
            (File(f, 2, 1, 1),),
            (ok(f, 3, "IHA", "VAL-RES-2", high_risk="APPLICABLE"),),
            # 高リスク判定 is restricted (非公開): the public reject names the row and column, not the value.
            (f'{f}, row 2, column 高リスク判定 (high_risk), value "{MASK}": {UNKNOWN}',),
        )
    )

    # ---- duplicates -------------------------------------------------------------------------
    f = f"{P}/dup_within_file.csv"
    on_1 = f"ministry RA, case id DUP-1 appears on: {f} row 2; {f} row 3"
    on_2 = f"ministry RA, case id DUP-2 appears on: {f} row 4; {f} row 5"
    add(
        Case(
            "duplicate_case_within_a_file",
            (File(f, 6, 2, 4),),
            (ok(f, 6, "RA", "001"), ok(f, 7, "RA", "1")),
            (
                f'{f}, row 2, column 案件番号 (case_id), value "DUP-1": {DUPLICATE} — {on_1}',
                f'{f}, row 3, column 案件番号 (case_id), value "DUP-1": {DUPLICATE} — {on_1}',
                f'{f}, row 4, column 案件番号 (case_id), value "ＤＵＰ－２": {DUPLICATE} — {on_2}',
                f'{f}, row 5, column 案件番号 (case_id), value " DUP-2 ": {DUPLICATE} — {on_2}',
            ),
        )
    )
    a, b = f"{P}/dup_across_a.csv", f"{P}/dup_across_b.csv"
    on = f"ministry MAFF, case id X-1 appears on: {a} row 2; {b} row 3"
    add(
        Case(
            "duplicate_case_across_files_of_a_period",
            (File(a, 2, 1, 1), File(b, 2, 1, 1)),
            (ok(a, 3, "MAFF", "X-2"), ok(b, 2, "MAFF", "X-3")),
            (
                f'{a}, row 2, column 案件番号 (case_id), value "X-1": {DUPLICATE} — {on}',
                f'{b}, row 3, column 案件番号 (case_id), value "X-1": {DUPLICATE} — {on}',
            ),
        )
    )
    a, b = f"{P}/same_id_moe.csv", f"{P}/same_id_mod.csv"
    add(
        Case(
            "same_case_id_under_two_ministries",
            (File(a, 1, 1, 0), File(b, 1, 1, 0)),
            (ok(a, 2, "MOE", "SHARED-1"), ok(b, 2, "MOD", "SHARED-1", usage_type="SPECIFIC_2")),
            checks=(
                (
                    "select case_key from intermediate.int_cases where case_id = 'SHARED-1' order by 1",
                    [("MOD/SHARED-1",), ("MOE/SHARED-1",)],
                ),
            ),
        )
    )

    # ---- layout of the landing folder and of the file ----------------------------------------
    f = f"{P}/blank_rows.csv"
    add(
        Case(
            "blank_rows_and_trailing_empty_columns",
            (File(f, 2, 2, 0, extra={"empty_rows_skipped": 3, "unknown_columns": None}),),
            (ok(f, 2, "CAS", "BLANK-1"), ok(f, 6, "CAS", "BLANK-2")),
        )
    )
    file, message = unreadable(f"{P}/empty.csv", "empty file")
    add(Case("empty_file", (file,), rejects=(message,)))
    add(Case("header_only_file", (File(f"{P}/header_only.csv", 0, 0, 0),)))
    file, message = unreadable(
        f"{P}/csv_malformed.csv", "malformed CSV: unexpected end of data (record starting on line 2)"
    )
    add(Case("unterminated_quote", (file,), rejects=(message,)))
    file, message = unreadable(f"{P}/unsupported.xls", "unsupported file type .xls; expected .csv or .xlsx")
    add(Case("unsupported_file_type", (file,), rejects=(message,)))
    add(
        Case(
            "file_outside_a_period_folder",
            (File("outside.csv", 1, 0, 1, "FILE_OUTSIDE_PERIOD_FOLDER"),),
            rejects=(
                'outside.csv, row 2, value "(landing root)": '
                "the file is not inside a period folder (data/landing/<period end>/)",
            ),
        )
    )
    a, b = "2026-05-31/not_a_period_end.csv", "令和8年度第1回/japanese_folder.csv"
    unknown_period = "the folder name is not a known period end (seed periods)"
    add(
        Case(
            "invalid_period_folder_name",
            (File(a, 1, 0, 1, "UNKNOWN_PERIOD_FOLDER"), File(b, 1, 0, 1, "UNKNOWN_PERIOD_FOLDER")),
            rejects=(
                f'{a}, row 2, value "2026-05-31": {unknown_period}',
                f'{b}, row 2, value "令和8年度第1回": {unknown_period}',
            ),
        )
    )
    add(Case("hidden_and_excel_lock_files", (), ignored=(f"{P}/~$xlsx_form.xlsx", f"{P}/.DS_Store")))

    # ---- free text --------------------------------------------------------------------------
    f = f"{P}/free_text_long.csv"
    add(
        Case(
            "very_long_free_text",
            (File(f, 1, 1, 0),),
            (ok(f, 2, "CLB", "TEXT-LONG-1"),),
            checks=(
                (
                    "select case_name, outcome_goal_text from intermediate.int_cases "
                    "where case_key = 'CLB/TEXT-LONG-1'",
                    [(LONG_NAME, LONG_GOAL)],
                ),
            ),
        )
    )
    f = f"{P}/free_text_formula.csv"
    add(
        Case(
            "free_text_starting_with_formula_characters",
            (File(f, 4, 4, 0),),
            (
                ok(f, 2, "JFTC", "TEXT-F-1"),
                ok(f, 3, "JFTC", "TEXT-F-2"),
                ok(f, 4, "JFTC", "TEXT-F-3"),
                ok(f, 5, "JFTC", "TEXT-F-4", model_family="OTHER"),
            ),
            checks=(
                (
                    "select case_id, case_name, outcome_goal_text, model_name from intermediate.int_cases "
                    "where ministry_code = 'JFTC' order by case_id",
                    [
                        ("TEXT-F-1", '=HYPERLINK("http://example.com","詳細")', None, "GPT-4o"),
                        ("TEXT-F-2", "+81-3-1234-5678", "-10%削減", "GPT-4o"),
                        ("TEXT-F-3", "-テスト案件", None, "@GPT-4o"),
                        ("TEXT-F-4", "@SUM(A1)", None, "=cmd|' /C calc'!A0"),
                    ],
                ),
            ),
        )
    )
    return cases


CASES = _cases()

# --------------------------------------------------------------------------------------------
# The corpus warehouse
# --------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    database: Path
    files: dict[str, dict]
    rejects: list[dict]
    cases: list[tuple]


def _records(connection, sql: str) -> list[dict]:
    result = connection.sql(sql)
    return [dict(zip(result.columns, row, strict=True)) for row in result.fetchall()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    database = tmp_path_factory.mktemp("hostile") / "warehouse.duckdb"
    result = build_warehouse(database, CORPUS, dbt_vars=QUARANTINE, check=False)
    assert result.success, f"the hostile corpus crashed the build: {result.exception}"
    with duckdb.connect(str(database), read_only=True) as connection:
        files = {r["source_file"]: r for r in _records(connection, "select * from marts.submission_files")}
        rejects = _records(connection, "select * from marts.submission_rejects")
        cases = connection.sql(
            f"select {', '.join(CASE_COLUMNS)} from intermediate.int_cases order by source_file, row_number"
        ).fetchall()
    return Corpus(database, files, rejects, cases)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_corpus_case(corpus: Corpus, case: Case):
    names = {file.source_file for file in case.files}
    for file in case.files:
        got = corpus.files.get(file.source_file)
        assert got is not None, f"{file.source_file} is missing from submission_files"
        assert got["rows_landed"] == got["rows_accepted"] + got["rows_rejected"], got
        assert (got["rows_landed"], got["rows_accepted"], got["rows_rejected"], got["file_issue"]) == (
            file.rows_landed,
            file.rows_accepted,
            file.rows_rejected,
            file.file_issue,
        ), file.source_file
        assert got["warning"] == file.warning
        assert {key: got[key] for key in file.extra} == file.extra
    rejects = sorted(r["message_en"] for r in corpus.rejects if r["source_file"] in names)
    assert rejects == sorted(case.rejects)
    assert [row for row in corpus.cases if row[0] in names] == sorted(case.accepted, key=lambda r: (r[0], r[1]))
    for path in case.ignored:
        assert (CORPUS / path).is_file() and is_ignored(path)
        assert path not in corpus.files
        assert not any(r["source_file"] == path for r in corpus.rejects)
    with duckdb.connect(str(corpus.database), read_only=True) as connection:
        for sql, expected in case.checks:
            assert connection.sql(sql).fetchall() == expected, sql


def test_every_landed_row_is_accepted_or_rejected(corpus: Corpus):
    for name, file in corpus.files.items():
        assert file["rows_landed"] == file["rows_accepted"] + file["rows_rejected"], name
    # ... and every rejected row has a message naming its row; every file-level reject names the file.
    for reject in corpus.rejects:
        assert reject["message_en"].startswith(reject["source_file"] + ", "), reject
        assert reject["message_ja"], reject
        if reject["row_number"] is not None:
            assert f", row {reject['row_number']}, " in reject["message_en"]


def test_the_cases_cover_the_whole_corpus(corpus: Corpus):
    on_disk = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())
    loaded = sorted(p for p in on_disk if not is_ignored(p))
    covered = [file.source_file for case in CASES for file in case.files]
    assert sorted(covered) == loaded == sorted(corpus.files), "a corpus file without a case, or twice"
    assert sorted(p for case in CASES for p in case.ignored) == sorted(set(on_disk) - set(loaded))
    assert len({case.id for case in CASES}) == len(CASES)


def test_docs_table_lists_every_case():
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"test_corpus_case\[([a-z0-9_]+)\]", text))
    assert sorted(documented) == sorted(case.id for case in CASES)


def test_submission_status_counts_a_ministry_whose_rows_are_all_rejected(corpus: Corpus):
    with duckdb.connect(str(corpus.database), read_only=True) as connection:
        status = connection.sql(
            "select files, rows_landed, rows_accepted, rows_rejected, is_missing from marts.submission_status "
            f"where period_end = '{P}' and ministry_code = 'MOFA'"
        ).fetchall()
    # 外務省 sent col_missing_required.csv and col_missing_two.csv, one (rejected) row each.
    assert status == [(2, 2, 0, 2, False)]
    mofa = {name: file["ministry_code"] for name, file in corpus.files.items() if file["ministry_code"] == "MOFA"}
    assert mofa == {f"{P}/col_missing_required.csv": "MOFA", f"{P}/col_missing_two.csv": "MOFA"}


def test_rejects_do_not_show_restricted_values(corpus: Corpus):
    """submission_rejects is a public mart: a rejected 高リスク判定 is located, its value masked."""
    restricted = ("high_risk", "case_name", "outcome_goal_text", "model_name")
    rows = [r for r in corpus.rejects if r["column_name"] in restricted]
    assert rows and {r["raw_value"] for r in rows} <= {None, MASK}
    assert not [r for r in corpus.rejects if any("要検討" in str(value) for value in r.values())]


# --------------------------------------------------------------------------------------------
# Without quarantine a reject fails the build
# --------------------------------------------------------------------------------------------


def test_build_fails_on_any_reject_without_quarantine(tmp_path):
    landing = tmp_path / "landing"
    (landing / P).mkdir(parents=True)
    shutil.copy(CORPUS / P / "val_unknown_code.csv", landing / P / "val_unknown_code.csv")
    result = build_warehouse(
        tmp_path / "warehouse.duckdb",
        landing,
        extra_args=["--select", "+assert_no_rejected_submissions", "--indirect-selection", "cautious"],
        check=False,
    )
    assert result.success is False
    failed = {r.node.name: r.status for r in result.result.results if r.status in ("error", "fail")}
    assert failed == {"assert_no_rejected_submissions": "fail"}


# --------------------------------------------------------------------------------------------
# python -m genai_report.validate
# --------------------------------------------------------------------------------------------


def test_validate_gives_the_warehouses_messages(corpus: Corpus, capsys):
    files = sorted(p for p in (CORPUS / P).iterdir() if p.is_file())
    status = validate.main([str(p) for p in files])
    out = capsys.readouterr().out
    assert status == 1
    expected = [r for r in corpus.rejects if r["source_file"].startswith(f"{P}/")]
    shown = [line[4:] for line in out.splitlines() if line.startswith("NG  ")]
    assert sorted(shown) == sorted(r["message_en"] for r in expected)
    for reject in expected:  # the Japanese line follows each English one
        assert reject["message_ja"] in out
    sent = [f for name, f in corpus.files.items() if name.startswith(f"{P}/")]
    landed, accepted, rejected = (sum(f[k] for f in sent) for k in ("rows_landed", "rows_accepted", "rows_rejected"))
    bad = sum(1 for f in sent if f["file_issue"])
    assert (
        f"Summary: {len(sent)} file(s), rows landed {landed}, accepted {accepted}, rejected {rejected}; "
        f"files rejected {bad}; {len(expected)} message(s)"
    ) in out
    assert "~$xlsx_form.xlsx: skipped" in out and ".DS_Store: skipped" in out
    assert "WARNING  2026-06-30/col_unknown_extra.csv: unknown columns kept out of the marts: 備考,担当課" in out


# Independent oracle: the located Japanese message int_submission_issues builds, re-derived in Python.
def located_message_ja(row: dict) -> str:
    """A reject's bare reason (reject_reasons.message_ja) located: file, row, column, value."""
    text = row["source_file"]
    if row["row_number"] is not None:
        text += f" {row['row_number']}行目"
    if row["column_name"] is not None:
        header = f"「{row['header_ja']}」（{row['column_name']}）" if row["header_ja"] else row["column_name"]
        text += f" 列{header}"
    if row["raw_value"] is not None:
        text += f" 値「{row['raw_value']}」"
    elif row["row_number"] is not None:
        text += " 値（空欄）"
    text += f": {row['message_ja']}"
    if row["detail"]:
        text += f" — {row['detail']}"
    return text


def test_validate_message_ja_names_file_row_column_and_value(corpus: Corpus):
    """The warehouse's Japanese message (the one validate prints) names file, row, column and value."""
    f = f"{P}/val_unknown_code.csv"
    (row,) = [r for r in corpus.rejects if r["source_file"] == f and r["row_number"] == 3]
    assert (
        row["message_ja"] == f"{f} 3行目 列「利用類型」（usage_type） 値「汎用型9」: 値がコード表のどれにも該当しません"
    )
    blank = next(
        r
        for r in corpus.rejects
        if r["raw_value"] is None and r["row_number"] is not None and r["header_ja"] and not r["detail"]
    )
    assert blank["message_ja"].endswith(
        f" {blank['row_number']}行目 列「{blank['header_ja']}」（{blank['column_name']}） 値（空欄）: "
        + REJECT_REASONS[blank["reason"]]
    )


def test_message_ja_is_located_in_sql_in_the_words_validate_uses(corpus: Corpus):
    """int_submission_issues builds message_ja beside message_en (file, row, column, value, reason),
    in the words of the oracle above, which validate prints."""
    assert corpus.rejects
    for reject in corpus.rejects:
        assert reject["message_ja"] == located_message_ja({**reject, "message_ja": REJECT_REASONS[reject["reason"]]})
        assert reject["message_ja"].startswith(reject["source_file"]), reject
        if reject["row_number"] is not None:
            assert f" {reject['row_number']}行目 " in reject["message_ja"], reject
    masked = [r for r in corpus.rejects if r["raw_value"] == MASK]
    assert masked and all(f"値「{MASK}」" in r["message_ja"] for r in masked)


def test_validate_command_accepts_a_clean_file_given_its_period():
    """The console entry point, on a file outside any period folder, with --period."""
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "genai_report.validate", str(CORPUS / "outside.csv"), "--period", P],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=PROJECT_DIR,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"== {P}/outside.csv" in done.stdout
    assert "Summary: 1 file(s), rows landed 1, accepted 1, rejected 0; files rejected 0; 0 message(s)" in done.stdout
    assert "OK: nothing rejected" in done.stdout
    assert "NG" not in done.stdout


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["outside.csv"], "outside.csv: the file is not in a period folder (YYYY-MM-DD); pass --period"),
        ([f"{P}/empty.csv", "--period", "2026-06-31"], "--period 2026-06-31 is not a period end"),
        (["no_such_file.csv", "--period", P], "no_such_file.csv: no such file"),
        ([f"{P}/.DS_Store"], "error: no file left to check"),
    ],
)
def test_validate_usage_errors(args, error, capsys, monkeypatch):
    monkeypatch.chdir(CORPUS)
    assert validate.main(args) == 2
    assert error in capsys.readouterr().err
