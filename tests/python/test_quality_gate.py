"""The Great Expectations gate (genai_report.quality_gate).

It passes on the shipped warehouse and on a build of other periods, and fails -- naming the suite,
table, period and cell -- when (a) one cell of report_cells is changed, (b) one case is dropped from
the case mart (report_cases) with the marts left as they were, (c) one more start timing is blanked in the landing files
and the warehouse rebuilt. Its Data Docs need no network. What it hands to GX are aggregates whose
size does not grow with the number of cases.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from genai_report import quality_gate
from genai_report.quality_gate import frames, main, rules, run_gate
from genai_report.quality_gate.run import build_checks
from genai_report.warehouse import build_warehouse
from tests.python.conftest import SHIPPED_LANDING, query

PERIOD = "2025-12-31"


def _copy(database: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy2(database, copy)
    return copy


def _failures(output: str) -> set[str]:
    """The suites the gate reported as failed."""
    return set(re.findall(r"^FAILED (\w+):", output, flags=re.MULTILINE))


# --------------------------------------------------------------------------------------------
# The shipped warehouse
# --------------------------------------------------------------------------------------------


def test_gate_passes_on_shipped_warehouse(shipped_warehouse, tmp_path, capsys):
    docs = tmp_path / "docs"
    assert run_gate(shipped_warehouse, docs, check_publication=True)
    output = capsys.readouterr().out
    assert "Great Expectations gate passed" in output
    assert not _failures(output)
    # Every suite ran, the publication's footnote counts included (both publication periods loaded).
    index = (docs / "index.html").read_text(encoding="utf-8")
    for suite in (
        "report_cells_totals",
        "report_cells_vs_int_cases",
        "report_cells_cross_table",
        "report_cells_prior_value",
        "report_populations",
        "int_cases_membership",
        "report_exclusions_vs_int_cases",
        "reference_ministries",
        "report_exclusions_publication",
        "rpt_headline",
    ):
        assert f"expectations/{suite}.html" in index, suite
    assert len(list((docs / "validations").rglob("*.html"))) >= 10


def test_data_docs_need_no_network_and_hold_no_restricted_text(shipped_warehouse, tmp_path):
    docs = tmp_path / "docs"
    run_gate(shipped_warehouse, docs)
    files = [*docs.rglob("*.html"), *docs.rglob("*.css")]
    assert files
    restricted = {
        text
        for row in query(
            shipped_warehouse,
            "select case_name, outcome_goal_text, model_name from intermediate.int_cases",
        )
        for text in row
        if text and len(text) >= 4
    }
    assert restricted
    for path in docs.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not [value for value in restricted if value in text], path
    remote = re.compile(r"""(?:src|href)=["']https?://|url\(\s*["']?https?://|@import""", re.IGNORECASE)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", text):
            assert not remote.search(tag), f"{path}: {tag}"
        assert not re.search(r"url\(\s*[\"']?https?://", text), path
        # jQuery is gone, so no page may still call it.
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, flags=re.DOTALL):
            assert "$(" not in script, path
    # The index lists the validations as plain HTML (GX would render them with bootstrap-table).
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert index.count('class="gate-static-table"') == 2
    assert "validations/report_cells_totals/" in index


def test_changed_cell_fails_naming_the_cell(shipped_warehouse, tmp_path, capsys):
    """(a) One body cell of report_cells + 1: its totals and the case count disagree."""
    database = _copy(shipped_warehouse, tmp_path)
    cell = (
        "table_id = 'T02' and period_end = date '2025-12-31' and measure = 'case_count' "
        "and usage_type = 'GENERAL_1' and start_status = 'STARTED' and user_scope = 'SINGLE_DIVISION'"
    )
    with duckdb.connect(str(database)) as connection:
        (value,) = connection.sql(f"select value from marts.report_cells where {cell}").fetchone()
        connection.execute(f"update marts.report_cells set value = value + 1 where {cell}")

    assert main([str(database), "--data-docs", str(tmp_path / "docs")]) == 1
    output = capsys.readouterr().out
    assert {"report_cells_totals", "report_cells_vs_int_cases"} <= _failures(output)
    assert (
        f"table T02 | period {PERIOD} | cell usage_type=GENERAL_1, start_status=STARTED, "
        f"user_scope=SINGLE_DIVISION | actual={value + 1}, expected={value}"
    ) in output
    # The grand total no longer adds up.
    assert f"table T02 | period {PERIOD} | cell usage_type=_T, start_status=_T, user_scope=_T |" in output


def test_dropped_case_fails(shipped_warehouse, tmp_path, capsys):
    """(b) One case removed from the case mart the gate reads (report_cases, a view of int_cases: the
    row goes from int_cases); the marts still count it."""
    database = _copy(shipped_warehouse, tmp_path)
    with duckdb.connect(str(database)) as connection:
        ministry, case_id, usage_type, user_scope = connection.sql(
            "select ministry_code, case_id, usage_type, user_scope from marts.report_cases "
            "where period_end = date '2025-12-31' and t02_membership = 'INCLUDED' "
            "order by ministry_code, case_id limit 1"
        ).fetchone()
        connection.execute(
            "delete from intermediate.int_cases where period_end = date '2025-12-31' "
            "and ministry_code = ? and case_id = ?",
            [ministry, case_id],
        )

    assert not run_gate(database, tmp_path / "docs")
    output = capsys.readouterr().out
    assert {"report_cells_vs_int_cases", "report_cells_cross_table", "report_populations"} <= _failures(output)
    assert f"table T01 | period {PERIOD} | cell T01 total = active cases in int_cases |" in output
    assert f"table T02 | period {PERIOD} | cell population_cases = government_staff cases in int_cases |" in output
    counted = re.search(
        rf"table T02 \| period {PERIOD} \| cell usage_type={usage_type}, start_status=\w+, "
        rf"user_scope={user_scope} \| actual=(\d+), expected=(\d+)",
        output,
    )
    assert counted and int(counted[1]) == int(counted[2]) + 1
    # Nothing else is wrong with the marts themselves.
    assert "report_cells_totals" not in _failures(output)


def test_wrong_membership_and_prior_value_fail(shipped_warehouse, tmp_path, capsys):
    """One case's stored T04 membership and one prior_value made wrong: the aggregated membership
    frame and the prior-value frame each name the row."""
    database = _copy(shipped_warehouse, tmp_path)
    with duckdb.connect(str(database)) as connection:
        ministry, case_id = connection.sql(
            "select ministry_code, case_id from marts.report_cases where period_end = date '2025-12-31' "
            "and t04_membership = 'CONFIDENTIALITY_BLANK' order by all limit 1"
        ).fetchone()
        connection.execute(
            "update intermediate.int_cases set t04_membership = 'INCLUDED' where period_end = date '2025-12-31' "
            "and ministry_code = ? and case_id = ?",
            [ministry, case_id],
        )
        connection.execute(
            "update marts.report_cells set prior_value = prior_value + 1 "
            "where table_id = 'T06' and period_end = date '2025-12-31' and output_type = '_T'"
        )

    assert not run_gate(database, tmp_path / "docs", periods=[PERIOD])
    output = capsys.readouterr().out
    assert {"int_cases_membership", "report_cells_prior_value"} <= _failures(output)
    assert (
        f"table T04 | period {PERIOD} | cell CONFIDENTIALITY_BLANK (1 cases, e.g. {ministry}/{case_id}) | "
        "actual='INCLUDED', expected='CONFIDENTIALITY_BLANK'"
    ) in output
    assert f"table T06 | period {PERIOD} | cell output_type=_T | actual='307', expected='306'" in output


def _blank_one_start_timing(landing: Path, database: Path) -> tuple[str, str]:
    """Blank the start timing of one counted government-staff case of 2025-12-31 in its CSV file."""
    source_file, row_number, case_id, encoding = query(
        database,
        "select c.source_file, c.row_number, c.case_id, f.encoding from intermediate.int_cases c "
        "join marts.submission_files f using (source_file) "
        "where c.period_end = date '2025-12-31' and c.source_file like '%.csv' and c.start_timing is not null "
        "and c.t02_membership = 'INCLUDED' and c.t03_membership = 'INCLUDED' and c.t04_membership = 'INCLUDED' "
        "and f.encoding in ('utf-8', 'utf-8-sig', 'cp932') order by c.source_file, c.row_number limit 1",
    )[0]
    path = landing / source_file
    raw = path.read_bytes()
    text = raw.decode(encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = next(i for i, row in enumerate(rows) if "利用開始時期" in [cell.strip() for cell in row])
    column = [cell.strip() for cell in rows[header]].index("利用開始時期")
    row = rows[row_number - 1]
    assert case_id in row[[cell.strip() for cell in rows[header]].index("案件番号")], (row, case_id)
    assert row[column].strip(), row
    row[column] = ""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=newline).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return source_file, case_id


def test_blanked_start_timing_fails_against_the_publication(shipped_warehouse, tmp_path, capsys, monkeypatch):
    """(c) One more blank start timing, warehouse rebuilt: the footnote counts no longer match the
    publication (T02: 利用開始時期の記入がない1件), while every invariant still holds."""
    landing = tmp_path / "landing"
    shutil.copytree(SHIPPED_LANDING, landing)
    _blank_one_start_timing(landing, shipped_warehouse)
    database = tmp_path / "rebuilt.duckdb"
    # The dbt tests (reconciliation with the publication) would fail too; the gate must catch it alone.
    build_warehouse(database, landing, extra_args=["--exclude-resource-type", "test"])
    assert query(
        database,
        "select case_count from marts.report_exclusions where table_id = 'T02' "
        "and period_end = date '2025-12-31' and reason = 'START_TIMING_BLANK'",
    ) == [(2,)]

    assert not run_gate(database, tmp_path / "docs", check_publication=True)
    output = capsys.readouterr().out
    assert _failures(output) == {"report_exclusions_publication"}
    assert f"table T02 | period {PERIOD} | cell START_TIMING_BLANK | actual=2, expected=1" in output
    assert (
        f"table T01 | period {PERIOD} | cell START_TIMING_BLANK_COUNTED_AS_UNDECIDED | actual=2, expected=1" in output
    )

    # Judged by the invariants alone ($GENAI_CHECK_PUBLICATION=false), the rebuilt warehouse passes.
    monkeypatch.setenv("GENAI_CHECK_PUBLICATION", "false")
    assert run_gate(database, tmp_path / "docs")
    output = capsys.readouterr().out
    assert "skipped report_exclusions_publication: publication checks switched off" in output


# --------------------------------------------------------------------------------------------
# Other periods: no publication, a change of form (WITHIN_CY offered in one period only)
# --------------------------------------------------------------------------------------------

HEADER = (
    "府省庁名,案件番号,案件名,利用類型,利用開始時期,利用者の範囲,導入段階,取扱情報の機密性,"
    "成果目標,成果目標の内容,出力データの種類,利用モデル,利用廃止,リスクケース発生,高リスク判定"
)
OTHER_PERIODS = {
    "2026-03-31/da.csv": [
        "デジタル庁,A1,チャット,汎用型1,利用開始済み,3,常用段階,1,定量成果目標あり,,1,GPT-4o,,なし,非該当",
        "デジタル庁,A2,検索,特化型1,,1,検証段階,3,定性成果目標あり,,,Claude Sonnet 4,,,",
        "デジタル庁,A3,窓口,汎用型2,令和8年度以降に利用開始予定,6,検証段階,1,成果目標なし,,4,Gemini,,,",
    ],
    "2026-06-30/da.csv": [
        "デジタル庁,A1,チャット,汎用型1,利用開始済み,3,常用段階,1,定量成果目標あり,,1,GPT-4o,,,",
        "デジタル庁,A2,検索,特化型1,令和8年中に利用開始予定,,検証段階,3,,,,Claude Sonnet 4,,,",
        "デジタル庁,A3,窓口,汎用型2,令和9年度以降に利用開始予定,6,検証段階,1,成果目標なし,,4,Gemini,廃止,,",
        "デジタル庁,A4,案内,汎用型1,利用開始済み,7,常用段階,1,成果目標なし,,2,Copilot,,,",
    ],
}


def test_gate_passes_on_other_periods(tmp_path, capsys):
    landing = tmp_path / "landing"
    for name, rows in OTHER_PERIODS.items():
        (landing / name).parent.mkdir(parents=True, exist_ok=True)
        (landing / name).write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    database = tmp_path / "other.duckdb"
    build_warehouse(database, landing)

    assert run_gate(database, tmp_path / "docs", check_publication=True)
    output = capsys.readouterr().out
    assert "skipped report_exclusions_publication: no footnote counts of the publication" in output


# --------------------------------------------------------------------------------------------
# The derived frames (no GX): SQL over small in-memory tables
# --------------------------------------------------------------------------------------------


def _cases(rows: list[dict]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a table `cases` holding the given cases over a default case."""
    base = {
        "period_end": PERIOD,
        "ministry_code": "DA",
        "usage_type": "GENERAL_1",
        "start_timing": "STARTED",
        "user_scope": "SINGLE_DIVISION",
        "stage": "PRODUCTION",
        "confidentiality": "C1_ONLY",
        "outcome_goal": "NONE",
        "output_type": "TEXT_ONLY",
        "model_family": "OPENAI_GPT",
        "is_active": True,
        "is_discontinued": False,
    }
    connection = duckdb.connect()
    columns = ["case_id", *base]
    connection.execute(
        f"create table cases ({', '.join(f'{c} boolean' if c.startswith('is_') else f'{c} varchar' for c in columns)})"
    )
    for row in rows:
        values = {**base, **row}
        connection.execute(
            f"insert into cases values ({', '.join('?' for _ in columns)})", [values[c] for c in columns]
        )
    return connection


def test_membership_rule_follows_the_footnotes():
    connection = _cases(
        [
            {"case_id": "1"},
            {"case_id": "2", "start_timing": None, "user_scope": None},
            {"case_id": "3", "user_scope": None, "confidentiality": None},
            {"case_id": "4", "user_scope": "EXTERNAL_PUBLIC", "stage": None},
            {"case_id": "5", "is_active": False, "is_discontinued": True, "stage": None},
        ]
    )
    expect = {
        "T01": ["INCLUDED", "INCLUDED", "INCLUDED", "INCLUDED", None],
        "T02": ["INCLUDED", "START_TIMING_BLANK", "USER_SCOPE_BLANK", None, None],
        "T03": ["INCLUDED", "START_TIMING_BLANK", "USER_SCOPE_BLANK", None, None],
        "T04": ["INCLUDED", "START_TIMING_BLANK", "CONFIDENTIALITY_BLANK", None, None],
        "T05": [None, None, None, "STAGE_BLANK", None],
        "T06": ["INCLUDED", "INCLUDED", "INCLUDED", "INCLUDED", None],
        "T08": [None, None, None, None, "STAGE_BLANK"],
    }
    for table, memberships in expect.items():
        sql = f"select {rules.membership_sql(table)} from cases order by case_id"
        assert [value for (value,) in connection.sql(sql).fetchall()] == memberships, table


def test_totals_frame_finds_a_total_that_does_not_add_up():
    # T09 (usage_type x model_family): body 2 + 3; every total right except the grand total.
    values = {
        ("GENERAL_1", "OPENAI_GPT"): 2,
        ("GENERAL_2", "OPENAI_GPT"): 3,
        ("GENERAL_1", "_T"): 2,
        ("GENERAL_2", "_T"): 3,
        ("_T", "OPENAI_GPT"): 5,
        ("_T", "_T"): 6,
    }
    connection = duckdb.connect()
    dimensions = ", ".join(f"{d} varchar" for d in rules.DIMENSIONS)
    connection.execute(
        f"create temp table gate_cells (table_id varchar, period_end date, {dimensions}, measure varchar, value bigint)"
    )
    for (usage_type, model_family), value in values.items():
        connection.execute(
            "insert into gate_cells (table_id, period_end, usage_type, model_family, measure, value) "
            "values ('T09', ?, ?, ?, 'case_count', ?)",
            [PERIOD, usage_type, model_family, value],
        )
    frame = frames.totals_frame(connection)
    assert len(frame) == 4  # every total cell was compared
    wrong = frame[frame["expected"] != frame["actual"]]
    assert list(wrong["cell"]) == ["usage_type=_T, model_family=_T"]
    assert (wrong["expected"].iloc[0], wrong["actual"].iloc[0]) == (5, 6)


@pytest.mark.parametrize("value", ["0", "false", "No", "off"])
def test_env_switches_publication_checks_off(value, monkeypatch):
    monkeypatch.setenv("GENAI_CHECK_PUBLICATION", value)
    assert quality_gate.env_flag("GENAI_CHECK_PUBLICATION", True) is False


# --------------------------------------------------------------------------------------------
# Scale: the gate hands GX aggregates, never a frame of all cases
# --------------------------------------------------------------------------------------------


def _frame_sizes(database: Path, periods: list[str] | None = None) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        checks, _ = build_checks(connection, check_publication=True, periods=periods)
    return {check.name: len(check.frame) for check in checks}


def test_gate_frames_do_not_grow_with_cases(shipped_warehouse, tmp_path):
    """Ten times the cases (same codes, new case ids): every frame given to GX keeps its size."""
    database = _copy(shipped_warehouse, tmp_path)
    small = _frame_sizes(database)
    (cases,) = query(database, "select count(*) from marts.report_cases")[0]
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "insert into intermediate.int_cases by name select c.* replace (c.case_id || '-copy' || n as case_id, "
            "c.case_key || '-copy' || n as case_key, c.row_key || '-copy' || n as row_key) "
            "from intermediate.int_cases as c, range(1, 10) as copies(n)"
        )
    assert query(database, "select count(*) from marts.report_cases")[0][0] == 10 * cases
    big = _frame_sizes(database)
    assert big == small
    # No frame is larger than the cube: at most one row per cell of report_cells.
    (cells,) = query(database, "select count(*) from marts.report_cells")[0]
    assert max(big.values()) <= cells, big


def test_gate_checks_only_the_given_periods(shipped_warehouse, tmp_path, capsys):
    with duckdb.connect(str(shipped_warehouse), read_only=True) as connection:
        checks, _ = build_checks(connection, check_publication=True, periods=[PERIOD])
    for check in checks:
        assert set(check.frame["period_end"]) <= {PERIOD, ""}, check.name
    everything = _frame_sizes(shipped_warehouse)
    assert sum(len(check.frame) for check in checks) < sum(everything.values())
    assert run_gate(shipped_warehouse, tmp_path / "docs", periods=[PERIOD])
    assert f"(periods {PERIOD})" in capsys.readouterr().out


def test_great_expectations_is_imported_only_when_the_gate_runs():
    code = "import sys, genai_report.quality_gate, genai_report.build; sys.exit('great_expectations' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(("value", "enabled"), [("", True), ("false", False)])
def test_one_switch_for_dbt_publication_tests(value, enabled, monkeypatch, tmp_path):
    """$GENAI_CHECK_PUBLICATION also enables or disables dbt's reconciliation with the publication."""
    monkeypatch.setenv("GENAI_CHECK_PUBLICATION", value)
    result = build_warehouse(
        tmp_path / "parse_only.duckdb",
        SHIPPED_LANDING,
        command="ls",
        extra_args=["--resource-type", "test", "--select", "assert_report_cells_match_publication", "-q"],
    )
    assert bool(result.result) is enabled, result.result
