"""The report-layout marts (models/marts/layouts) against the 令和7年度第3回 publication.

Built on the shipped sample (fixture `shipped_warehouse`). Two kinds of check:
- the figures, labels, footnotes and sentences the publication prints for 2025-12-31;
- every numeric cell of every layout equals its cell of `report_cells`: the layouts are views
  of the cube, never a second count. Labels are mapped back to codes here from the reference
  seeds, independently of the layout models.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
import yaml

from genai_report import contract
from tests.python.conftest import PROJECT_DIR

PERIOD = "2025-12-31"
#: the cube's dimension columns (only a list; what each table prints is the oracle below).
DIMENSIONS = list(contract.DIMENSIONS)

# Independent oracle: each table's printed layout transcribed from the publication, not read from the contract.
# How each layout prints its table: row dimensions with their header columns, column dimensions,
# the name of the total column, the previous-period row / column and its name.
LAYOUTS = {
    "T01": dict(rows=[("start_timing", "利用開始時期")], columns=["usage_type"], prior_row=True),
    "T02": dict(
        rows=[("user_scope", "利用者の範囲")],
        columns=["usage_type", "start_status"],
        prior_row=True,
        prior_column=True,
    ),
    "T03": dict(
        rows=[("user_scope", "利用者の範囲"), ("stage", "導入段階")],
        columns=["usage_type", "start_status"],
        prior_row=True,
        prior_column=True,
        prior_label="前報告件数",
    ),
    "T04": dict(
        rows=[("confidentiality", "情報の機密性")],
        columns=["usage_type", "start_status"],
        prior_row=True,
        prior_column=True,
    ),
    "T05": dict(
        rows=[("user_scope", "利用者の範囲"), ("stage", "導入段階")],
        columns=["usage_type", "start_status"],
        prior_row=True,
        prior_column=True,
    ),
    "T06": dict(rows=[("output_type", "出力データの種類")], columns=[], prior_column=True, total="集計"),
    "T07": dict(rows=[("outcome_goal", "成果目標")], columns=["usage_type"]),
    "T08": dict(rows=[("user_scope", "利用者の範囲"), ("stage", "導入段階")], columns=["usage_type", "start_status"]),
    "T09": dict(rows=[("model_family", "モデル")], columns=["usage_type"]),
}
TEXT_COLUMNS = {"その他モダリティの利用を想定しているか"}


def _rows(database: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(database), read_only=True) as connection:
        result = connection.sql(sql)
        names = result.columns
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _layout(database: Path, table: str, period: str = PERIOD) -> list[dict]:
    return _rows(
        database,
        f"select * from marts.rpt_{table.lower()} where period_end = '{period}' order by row_order",
    )


def _by_label(rows: list[dict], header: str) -> dict[str, dict]:
    return {row[header]: row for row in rows}


@pytest.fixture(scope="module")
def cells(shipped_warehouse) -> dict[tuple, tuple]:
    """report_cells case counts keyed by (table_id, period, measure, *dimensions)."""
    found = {}
    for row in _rows(shipped_warehouse, "select * from marts.report_cells"):
        key = (row["table_id"], str(row["period_end"]), row["measure"], *(row[d] for d in DIMENSIONS))
        found[key] = (row["value"], row["prior_value"])
    return found


@pytest.fixture(scope="module")
def labels(shipped_warehouse) -> dict[tuple, str]:
    """(period, code_list, printed label) -> code, rebuilt from the reference seeds."""
    periods = _rows(shipped_warehouse, "select * from reference.periods")
    code_lists = _rows(shipped_warehouse, "select * from reference.code_lists")
    numbers = _rows(shipped_warehouse, "select * from reference.code_numbers")
    mapping = {}
    for period in periods:
        fy = period["fiscal_year_reiwa"]
        for code in code_lists:
            label = code["label_ja"].replace("{FY+1}", str(fy + 1)).replace("{FY}", str(fy))
            number = next(
                (
                    n["number"]
                    for n in numbers
                    if n["code_list"] == code["code_list"]
                    and n["code"] == code["code"]
                    and n["form_version"] in ("*", period["form_version"])
                ),
                None,
            )
            printed = f"{number}. {label}" if number is not None else label
            mapping[(str(period["period_end"]), code["code_list"], printed)] = code["code"]
            mapping[(str(period["period_end"]), code["code_list"], code["label_ja"])] = code["code"]
    return mapping


# -- The publication's figures for 2025-12-31 ------------------------------------------------


def test_t01_total_and_prior_rows(shipped_warehouse):
    rows = _layout(shipped_warehouse, "T01")
    assert [row["利用開始時期"] for row in rows] == [
        "1. 利用開始済み",
        "2. 令和7年度中に利用開始予定",
        "3. 令和8年度以降に利用開始予定",
        "4. 未定・その他",
        "総計",
        "前回報告件数",
    ]
    by_label = _by_label(rows, "利用開始時期")
    figures = ["汎用型1", "汎用型2", "特化型1", "特化型2", "その他", "総計"]
    assert [by_label["総計"][c] for c in figures] == [221, 33, 51, 3, 11, 319]
    assert [by_label["前回報告件数"][c] for c in figures] == [218, 32, 36, 4, 16, 306]
    assert [by_label["1. 利用開始済み"][c] for c in figures] == [212, 30, 30, 2, 8, 282]


def test_t01_rows_follow_the_period_form(shipped_warehouse):
    """The 2025-09-30 form offers 令和7年中, so its start timings are numbered 1-5."""
    rows = _layout(shipped_warehouse, "T01", "2025-09-30")
    assert [row["利用開始時期"] for row in rows][:5] == [
        "1. 利用開始済み",
        "2. 令和7年中に利用開始予定",
        "3. 令和7年度中に利用開始予定",
        "4. 令和8年度以降に利用開始予定",
        "5. 未定・その他",
    ]


def test_t02_totals_and_ministry_count(shipped_warehouse):
    rows = _layout(shipped_warehouse, "T02")
    by_label = _by_label(rows, "利用者の範囲")
    assert list(rows[0])[:5] == ["period_end", "row_order", "利用者の範囲", "汎用型1_開始済", "汎用型1_開始前"]
    assert list(rows[0])[-4:] == ["総計", "前回報告件数", "総計_表示", "前回報告件数_表示"]
    total, prior = by_label["総計"], by_label["前回報告件数"]
    assert total["総計"] == 306 and total["前回報告件数"] is None and total["前回報告件数_表示"] == "-"
    assert prior["前回報告件数"] == 295 and prior["総計"] is None and prior["総計_表示"] == "-"
    wide = by_label["3. 単一府省庁のみ-全体"]
    assert (wide["総計"], wide["総計_表示"]) == (37, "37(18)")
    assert (wide["前回報告件数"], wide["前回報告件数_表示"]) == (27, "27(17)")
    assert by_label["1. 単一府省庁のみ-課室単位以下"]["総計_表示"] == "205"


def test_t03_uses_the_publications_prior_label(shipped_warehouse):
    rows = _layout(shipped_warehouse, "T03")
    assert rows[-1]["利用者の範囲"] == "前報告件数" and rows[-1]["前報告件数"] == 292
    assert rows[-2]["利用者の範囲"] == "総計" and rows[-2]["総計"] == 304


def test_t08_prints_only_scopes_with_discontinued_cases(shipped_warehouse):
    rows = _layout(shipped_warehouse, "T08")
    scopes = [row["利用者の範囲"] for row in rows]
    assert sorted(set(scopes)) == sorted(
        {"1. 単一府省庁のみ-課室単位以下", "2. 単一府省庁のみ-部局単位 (複数部局での利用を含む)", "8. その他", "総計"}
    )
    assert rows[-1]["総計"] == 42


HEADLINE = {
    # figure: (value, prior_value, numerator, denominator, prior_numerator, prior_denominator)
    "ministries_with_started_case": (25, 25, 25, 25, 25, 25),
    "ministries_with_started_single_ministry_wide_case": (18, 17, 18, 25, 17, 25),
    "active_cases": (319, 306, None, None, None, None),
    "started_cases": (282, None, 282, 319, None, None),
    "started_or_due_within_fiscal_year": (300, None, 300, 319, None, None),
    "t04_population": (306, 295, None, None, None, None),
    "t04_c2_or_personal_cases": (81, 58, 81, 306, 58, 295),
    "risk_incidents": (0, 0, None, None, None, None),
}
SENTENCES = {
    "ministries_with_started_case": (
        "全府省庁において、生成AIシステムを利用開始済み（前回報告（令和7年9月末時点）から変更なし）"
    ),
    "ministries_with_started_single_ministry_wide_case": (
        "25府省庁中、18府省庁において、府省庁内全体で生成AIを利用開始済み（前回報告から1府省庁増）"
    ),
    "started_cases": "全体傾向として、約90%が利用開始済、約95%が年度内に利用開始予定",
    "risk_incidents": "令和7年12月末時点まで、リスクケースの発生事例はなし",
    "t04_c2_or_personal_cases": (
        "機密性2 情報や個人情報を取り扱う案件が2割（58件/295件）から3割弱（81件/306件）までわずかに増加"
    ),
    "specific_share_of_started": "利用開始済の案件の1割以上が特化型",
}


def test_headline_figures(shipped_warehouse):
    sql = f"select * from marts.rpt_headline where period_end = '{PERIOD}'"
    rows = {row["figure"]: row for row in _rows(shipped_warehouse, sql)}
    for figure, (value, prior, numerator, denominator, prior_num, prior_den) in HEADLINE.items():
        row = rows[figure]
        assert row["value"] == value, figure
        if prior is not None:
            assert row["prior_value"] == prior, figure
        assert (row["numerator"], row["denominator"]) == (numerator, denominator), figure
        if prior_num is not None:
            assert (row["prior_numerator"], row["prior_denominator"]) == (prior_num, prior_den), figure
        if denominator:
            assert row["ratio"] == pytest.approx(numerator / denominator), figure


def test_headline_sentences(shipped_warehouse):
    rows = _rows(shipped_warehouse, f"select * from marts.rpt_headline where period_end = '{PERIOD}'")
    sentences = {row["figure"]: row["sentence_ja"] for row in rows}
    for figure, sentence in SENTENCES.items():
        assert sentences[figure] == sentence, figure
    headline = [row["figure"] for row in sorted(rows, key=lambda r: r["headline_order"] or 99) if row["headline_order"]]
    assert headline == [
        "ministries_with_started_case",
        "ministries_with_started_single_ministry_wide_case",
        "started_cases",
        "risk_incidents",
    ]


def test_headline_matches_published_seed(shipped_warehouse):
    """Every figure of seeds/published/published_headline.csv, for the loaded periods."""
    computed = {
        (str(row["period_end"]), row["figure"]): row["value"]
        for row in _rows(shipped_warehouse, "select period_end, figure, value from marts.rpt_headline")
    }
    with open(PROJECT_DIR / "seeds" / "published" / "published_headline.csv", encoding="utf-8") as f:
        published = list(csv.DictReader(f))
    compared = [row for row in published if (row["period_end"], row["figure"]) in computed]
    assert compared
    for row in compared:
        assert computed[(row["period_end"], row["figure"])] == int(row["value"]), row


FOOTNOTES = {
    "T01": "※ 利用開始時期未回答が1件あり、「4. 未定・その他」として集計",
    "T02": (
        "※ 政府職員を利用者とするもののみを対象、利用開始時期の記入がない1件、利用者の範囲の記載がない2件は除いている"
    ),
    "T03": (
        "※ 政府職員を利用者とするもののみを対象、利用開始時期の記入がない1件、利用者の範囲の記載がない2件、"
        "導入段階の記載がない2件は除いている"
    ),
    "T04": (
        "※ 政府職員を利用者とするもののみを対象、利用開始時期の記入がない1件、"
        "入力・参照情報の機密性の記載がない2件は除いている"
    ),
    "T05": "※ 特定少数及び不特定多数の外部の方を利用者とするもののみを対象",
    "T08": "※ 利用者の範囲及び導入段階を選択していた案件を対象、導入段階の記載がない1件は除いている",
}


def test_footnotes(shipped_warehouse):
    rows = _rows(
        shipped_warehouse,
        f"select * from marts.rpt_footnotes where period_end = '{PERIOD}' order by table_id, footnote_order",
    )
    first = {}
    for row in rows:
        first.setdefault(row["table_id"], row["text_ja"])
    for table, text in FOOTNOTES.items():
        assert first[table] == text, table
    t02 = [row["text_ja"] for row in rows if row["table_id"] == "T02"]
    assert t02[1] == "※ 「単一府省庁のみ-全体」に記載の「(数値)」は、重複削除した際の省庁数を示している"


def test_footnote_t01_numbering_follows_the_form(shipped_warehouse):
    rows = _rows(
        shipped_warehouse,
        "select text_ja from marts.rpt_footnotes where period_end = '2025-09-30' and table_id = 'T01'",
    )
    assert rows == [{"text_ja": "※ 利用開始時期未回答が1件あり、「5. 未定・その他」として集計"}]


def test_rule_bullets(shipped_warehouse):
    rows = _rows(shipped_warehouse, f"select * from marts.rpt_bullets where period_end = '{PERIOD}'")
    bullets = {(row["table_id"], row["bullet_order"]): row["text_ja"] for row in rows}
    assert bullets[("T01", 1)] == "前回報告に引き続き、約90%が利用開始済、約95%が年度内に利用開始予定"
    assert bullets[("T01", 2)] == "利用開始済の案件の1割以上が特化型"
    assert bullets[("T02", 1)] == "前回報告と比較して、特化型1の案件が増加"
    assert bullets[("T02", 2)] == SENTENCES["ministries_with_started_single_ministry_wide_case"]
    assert bullets[("T04", 1)] == SENTENCES["t04_c2_or_personal_cases"]
    assert bullets[("T06", 1)] == "出力データの種類が、テキスト出力のみのものは170件/319件が該当"
    assert bullets[("T06", 2)] == (
        "画像を含む出力をするユースケースは10件/319件、音声を含む出力をするユースケースは1件/319件と変わらないものの、"
        "機能上音声・画像を提供可能な生成AI利用は増加"
    )


# -- The layouts are views of the cube ---------------------------------------------------------


def _column_codes(name: str, layout: dict, period: str, labels: dict) -> dict[str, str] | None:
    """Column name -> {dimension: code}; None for the previous-period column."""
    if name == layout.get("prior_label", "前回報告件数"):
        return None
    if name == layout.get("total", "総計"):
        return {dimension: "_T" for dimension in layout["columns"]}
    parts = name.split("_")
    assert len(parts) == len(layout["columns"]), name
    return {
        dimension: labels[(period, dimension, part)] for dimension, part in zip(layout["columns"], parts, strict=True)
    }


@pytest.mark.parametrize("table", sorted(LAYOUTS))
def test_every_layout_cell_is_its_cube_cell(shipped_warehouse, cells, labels, table):
    layout = LAYOUTS[table]
    prior_label = layout.get("prior_label", "前回報告件数")
    row_dimensions = [dimension for dimension, _ in layout["rows"]]
    headers = [header for _, header in layout["rows"]]
    rows = _rows(shipped_warehouse, f"select * from marts.rpt_{table.lower()} order by period_end, row_order")
    assert rows, table
    checked = 0
    printed_body = defaultdict(set)
    for row in rows:
        period = str(row["period_end"])
        first = row[headers[0]]
        kind = {"総計": "total", prior_label: "prior"}.get(first, "body")
        if kind == "body":
            row_codes = {d: labels[(period, d, row[h])] for d, h in zip(row_dimensions, headers, strict=True)}
            printed_body[period].add(tuple(row_codes.values()))
        else:
            row_codes = {d: "_T" for d in row_dimensions}
            assert all(row[h] is None for h in headers[1:]), row
        for name, printed in row.items():
            if name in ("period_end", "row_order", *headers) or name in TEXT_COLUMNS:
                continue
            if name.endswith("_表示") or name.endswith("_割合"):
                continue
            column_codes = _column_codes(name, layout, period, labels)
            totals = {d: "_T" for d in layout["columns"]}
            if column_codes is None:
                # 前回報告件数 column: the previous total of the row; the previous grand total is
                # printed once, on the 前回報告件数 row when there is one.
                if kind == "total" and layout.get("prior_row"):
                    expected = None
                else:
                    expected = _cell(cells, table, period, {**row_codes, **totals})[1]
            elif kind == "prior":
                # 前回報告件数 row: the previous 総計 row, with "-" under 総計 when the previous
                # grand total has a column of its own.
                if column_codes == totals and layout.get("prior_column"):
                    expected = None
                else:
                    expected = _cell(cells, table, period, {**row_codes, **column_codes})[1]
            else:
                expected = _cell(cells, table, period, {**row_codes, **column_codes})[0]
            assert printed == expected, (table, period, first, name)
            checked += 1
    assert checked > 0
    # Every body row of the cube is printed, except T08's user scopes with no case at all.
    for period in printed_body:
        for key, (value, _) in cells.items():
            if key[0] != table or key[1] != period or key[2] != "case_count":
                continue
            codes = dict(zip(DIMENSIONS, key[3:], strict=True))
            if any(codes[d] == "_T" for d in row_dimensions):
                continue
            row_key = tuple(codes[d] for d in row_dimensions)
            if row_key not in printed_body[period]:
                assert table == "T08" and value == 0, (table, period, row_key)


def _cell(cells: dict, table: str, period: str, codes: dict) -> tuple:
    key = (table, period, "case_count", *(codes.get(d) for d in DIMENSIONS))
    assert key in cells, key
    return cells[key]


def test_t07_shares_are_of_the_usage_types_active_cases(shipped_warehouse, cells):
    for row in _layout(shipped_warehouse, "T07"):
        for usage, code in [("汎用型1", "GENERAL_1"), ("特化型1", "SPECIFIC_1"), ("総計", "_T")]:
            active = _cell(cells, "T01", PERIOD, {"usage_type": code, "start_timing": "_T"})[0]
            assert row[f"{usage}_割合"] == pytest.approx(row[usage] / active)


def test_case_flow_adds_up_to_the_active_cases(shipped_warehouse, cells):
    rows = _rows(shipped_warehouse, "select * from marts.rpt_case_flow")
    assert {str(row["period_end"]) for row in rows} == {PERIOD}
    for row in rows:
        active = _cell(cells, "T01", str(row["period_end"]), {"usage_type": row["usage_type"], "start_timing": "_T"})
        flows_in = row["continuing_cases"] + row["new_cases"] + row["reactivated_cases"] + row["reclassified_in_cases"]
        assert flows_in == active[0], row
    total = next(row for row in rows if row["usage_type"] == "_T")
    assert total["reclassified_in_cases"] == total["reclassified_out_cases"]


def test_every_layout_column_is_documented(shipped_warehouse):
    with open(PROJECT_DIR / "models" / "marts" / "layouts" / "_layouts__models.yml", encoding="utf-8") as f:
        documented = {model["name"]: [c["name"] for c in model["columns"]] for model in yaml.safe_load(f)["models"]}
    models = sorted(p.stem for p in (PROJECT_DIR / "models" / "marts" / "layouts").glob("*.sql"))
    assert sorted(documented) == models
    for model in models:
        columns = _rows(
            shipped_warehouse,
            f"select column_name from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{model}' order by ordinal_position",
        )
        assert [c["column_name"] for c in columns] == documented[model], model
