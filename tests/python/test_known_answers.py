"""A second, independently typed set of records with answers worked out by hand (issue 5).

Two periods of the 令和8年度 forms, so fiscal-year-relative labels, the with-calendar-year form
(令和8年中) and prior values across a change of form are exercised. Every figure below was counted
by hand from the rows in LANDING, not computed by any code of the project.
"""

from __future__ import annotations

import pytest

from genai_report import contract
from genai_report.warehouse import build_warehouse
from tests.python.conftest import query

# Independent oracle: the form's header row as a ministry types it.
HEADER = (
    "府省庁名,案件番号,案件名,利用類型,利用開始時期,利用者の範囲,導入段階,取扱情報の機密性,"
    "成果目標,成果目標の内容,出力データの種類,利用モデル,利用廃止,リスクケース発生,高リスク判定"
)
# (relative path, encoding, rows)
LANDING = [
    (
        "2026-03-31/da.csv",
        "utf-8",
        [
            "デジタル庁,A1,チャット,汎用型1,利用開始済み,3,常用段階,1,定量成果目標あり,,1,GPT-4o,,なし,非該当",
            "デジタル庁,A2,検索,特化1,令和7年度中に利用開始予定,1,検証,3,定性成果目標あり,,,Claude Sonnet 4,,,",
            "デジタル庁,A3,窓口,汎用型２,令和8年度以降に利用開始予定,外部 (特定少数),検証段階,機密性1のみ,成果目標なし,,4,Gemini 2.5 Pro,,,",  # noqa: E501
        ],
    ),
    (
        "2026-03-31/mic.csv",
        "cp932",
        [
            "総務省,B1,髙橋①係の照会,その他,1. 利用開始済み,,常用,,定量,,テキスト出力のみ,tsuzumi,,,",
        ],
    ),
    (
        "2026-06-30/da.csv",
        "utf-8-sig",
        [
            "デジタル庁,A1,チャット,汎用型１,(1) 利用開始済み,単一府省庁のみ-全体,常用,機密性1情報のみ取り扱う,定量,,1,GPT-4o,,,",  # noqa: E501
            "デジタル庁,A2,検索,特化型1,1,1,常用段階,3,定性,,-,Claude Sonnet 4,,,",
            "デジタル庁,A3,窓口,汎用2,令和9年度以降に利用開始予定,6,検証,1,なし,,4,Gemini 2.5 Pro,廃止,,",
            "デジタル庁,A4,案内,汎用型 1,2,7,常用,1,成果目標なし,,2,Microsoft 365 Copilot,,,",
        ],
    ),
    (
        "2026-06-30/mic.csv",
        "cp932",
        [
            "総務省,B1,髙橋①係の照会,汎用型1,利用開始済み,,常用,,定量,,1,tsuzumi,,,",
            "総務省,B2,独自学習,特化型2,,2,,4,,,5,独自モデル,,,",
        ],
    ),
]
CURRENT, PRIOR = "2026-06-30", "2026-03-31"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("known_answers")
    landing = root / "landing"
    for path, encoding, rows in LANDING:
        target = landing / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding))
    database = root / "warehouse.duckdb"
    build_warehouse(database, landing)
    return database


def cell(database, table_id, period, **dimensions):
    """(value, prior_value) of one report_cells cell; unnamed dimensions of the table are '_T'."""
    table_dimensions = [d for d in contract.DIMENSIONS if d in contract.table(table_id).dimension_names]
    measure = dimensions.pop("measure", "case_count")
    where = " and ".join(f"{name} = '{dimensions.get(name, '_T')}'" for name in table_dimensions)
    rows = query(
        database,
        f"select value, prior_value from marts.report_cells where table_id = '{table_id}' "
        f"and period_end = date '{period}' and measure = '{measure}' and {where}",
    )
    assert len(rows) == 1, (table_id, dimensions, rows)
    return rows[0]


def test_no_rejects_and_every_row_accounted(warehouse):
    assert query(warehouse, "select count(*) from marts.submission_rejects") == [(0,)]
    assert query(
        warehouse,
        "select sum(rows_landed), sum(rows_accepted), sum(rows_rejected) from marts.submission_files",
    ) == [(10, 10, 0)]


def test_t01_counts_blank_start_timing_as_undecided(warehouse):
    assert cell(warehouse, "T01", CURRENT, usage_type="GENERAL_1", start_timing="STARTED") == (2, 1)
    assert cell(warehouse, "T01", CURRENT, start_timing="STARTED") == (3, 2)
    assert cell(warehouse, "T01", CURRENT, usage_type="GENERAL_1", start_timing="WITHIN_CY") == (1, None)
    assert cell(warehouse, "T01", CURRENT, usage_type="SPECIFIC_2", start_timing="UNDECIDED") == (1, 0)
    assert cell(warehouse, "T01", CURRENT, start_timing="WITHIN_FY") == (0, 1)
    assert cell(warehouse, "T01", CURRENT, usage_type="GENERAL_1") == (3, 1)
    assert cell(warehouse, "T01", CURRENT, usage_type="OTHER") == (0, 1)
    assert cell(warehouse, "T01", CURRENT) == (5, 4)
    # The March form offers no 令和N年中 row at all.
    assert query(
        warehouse,
        f"select count(*) from marts.report_cells where period_end = date '{PRIOR}' and start_timing = 'WITHIN_CY'",
    ) == [(0,)]


def test_t02_to_t05_populations_and_exclusions(warehouse):
    assert cell(warehouse, "T02", CURRENT) == (2, 2)
    assert cell(warehouse, "T02", CURRENT, user_scope="SINGLE_MINISTRY_WIDE") == (1, 1)
    assert cell(warehouse, "T02", CURRENT, user_scope="SINGLE_MINISTRY_WIDE", measure="ministry_count") == (
        1,
        1,
    )
    assert cell(
        warehouse,
        "T02",
        CURRENT,
        usage_type="SPECIFIC_1",
        start_status="STARTED",
        user_scope="SINGLE_DIVISION",
    ) == (1, 0)
    assert cell(warehouse, "T02", CURRENT, usage_type="SPECIFIC_1", start_status="NOT_STARTED") == (0, 1)
    assert cell(
        warehouse,
        "T03",
        CURRENT,
        usage_type="SPECIFIC_1",
        start_status="STARTED",
        user_scope="SINGLE_DIVISION",
        stage="PRODUCTION",
    ) == (1, 0)
    assert cell(warehouse, "T03", CURRENT, user_scope="SINGLE_DIVISION", stage="POC") == (0, 1)
    assert cell(warehouse, "T03", CURRENT) == (2, 2)
    assert cell(warehouse, "T04", CURRENT, confidentiality="C2_REFERENCE") == (1, 1)
    assert cell(warehouse, "T04", CURRENT, confidentiality="C2_TRAINING") == (0, 0)
    assert cell(warehouse, "T04", CURRENT) == (2, 2)
    assert cell(
        warehouse,
        "T05",
        CURRENT,
        usage_type="GENERAL_1",
        start_status="NOT_STARTED",
        user_scope="EXTERNAL_PUBLIC",
        stage="PRODUCTION",
    ) == (1, 0)
    assert cell(warehouse, "T05", CURRENT, user_scope="EXTERNAL_SPECIFIC") == (0, 1)
    assert cell(warehouse, "T05", CURRENT) == (1, 1)
    assert sorted(
        query(
            warehouse,
            f"select table_id, reason, treatment, case_count from marts.report_exclusions "
            f"where period_end = date '{CURRENT}'",
        )
    ) == [
        ("T01", "START_TIMING_BLANK_COUNTED_AS_UNDECIDED", "counted_as_undecided", 1),
        ("T02", "START_TIMING_BLANK", "excluded", 1),
        ("T02", "USER_SCOPE_BLANK", "excluded", 1),
        ("T03", "START_TIMING_BLANK", "excluded", 1),
        ("T03", "USER_SCOPE_BLANK", "excluded", 1),
        ("T04", "CONFIDENTIALITY_BLANK", "excluded", 1),
        ("T04", "START_TIMING_BLANK", "excluded", 1),
        ("T07", "OUTCOME_GOAL_BLANK", "excluded", 1),
    ]


def test_t06_to_t09(warehouse):
    assert cell(warehouse, "T06", CURRENT, output_type="TEXT_ONLY") == (2, 2)
    assert cell(warehouse, "T06", CURRENT, output_type="UNANSWERED") == (1, 1)
    assert cell(warehouse, "T06", CURRENT, output_type="AUDIO_IMAGE_CAPABLE") == (0, 1)
    assert cell(warehouse, "T06", CURRENT) == (5, 4)
    assert cell(warehouse, "T07", CURRENT, usage_type="GENERAL_1", outcome_goal="QUANTITATIVE") == (2, 1)
    assert cell(warehouse, "T07", CURRENT, outcome_goal="QUANTITATIVE") == (2, 2)
    assert cell(warehouse, "T07", CURRENT, outcome_goal="NONE") == (1, 1)
    assert cell(warehouse, "T07", CURRENT) == (4, 4)
    assert cell(
        warehouse,
        "T08",
        CURRENT,
        usage_type="GENERAL_2",
        start_status="NOT_STARTED",
        user_scope="EXTERNAL_SPECIFIC",
        stage="POC",
    ) == (1, 0)
    assert cell(warehouse, "T08", CURRENT) == (1, 0)
    assert cell(warehouse, "T09", CURRENT, usage_type="GENERAL_1", model_family="DOMESTIC") == (1, 0)
    assert cell(warehouse, "T09", CURRENT, model_family="IN_HOUSE") == (1, 0)
    assert cell(warehouse, "T09", CURRENT, model_family="MICROSOFT_COPILOT") == (1, 0)
    assert cell(warehouse, "T09", CURRENT, model_family="GOOGLE_GEMINI") == (0, 1)
    assert cell(warehouse, "T09", CURRENT, model_family="OTHER") == (0, 0)


def test_case_flow(warehouse):
    assert sorted(
        query(
            warehouse,
            f"select case_key, flow, moved_poc_to_production, moved_not_started_to_started "
            f"from intermediate.int_case_flow where period_end = date '{CURRENT}'",
        )
    ) == [
        ("DA/A1", "CONTINUING", False, False),
        ("DA/A2", "CONTINUING", True, True),
        ("DA/A3", "DISCONTINUED", False, False),
        ("DA/A4", "NEW", False, False),
        ("MIC/B1", "RECLASSIFIED", False, False),
        ("MIC/B2", "NEW", False, False),
    ]


def test_cp932_free_text_survives(warehouse):
    assert query(warehouse, "select case_name from intermediate.int_cases where case_key = 'MIC/B1'") == [
        ("髙橋①係の照会",),
        ("髙橋①係の照会",),
    ]
