"""Parquet landing files: DuckDB reads them itself, with the same records a CSV of the table gives."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from genai_report.landing import OUTPUT_COLUMNS, RECORD_COLUMNS, load_landing, parquet_landing_sql
from genai_report.warehouse import build_warehouse
from tests.python.conftest import query

# Independent oracle: the form's headers typed out, as a ministry's Parquet file carries them.
HEADER = ["府省庁名", "案件番号", "案件名", "利用類型", "利用開始時期", "利用者の範囲", "導入段階"]
ROWS = [
    ["デジタル庁", "A1", "チャット", "汎用型1", "利用開始済み", "3", "常用段階"],
    [None, None, None, None, None, None, None],
    ["デジタル庁", "A2", "検索", "特化1", "令和7年度中に利用開始予定", "1", "検証"],
    ["\u3000", " ", None, None, None, None, None],
]


def _write(con, path: Path, header: list[str], rows: list[list], types: list[str] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    types = types or ["varchar"] * len(header)
    values = ", ".join(
        "(" + ", ".join("null" if v is None else f"cast('{v}' as {t})" for v, t in zip(row, types, strict=True)) + ")"
        for row in rows
    )
    columns = ", ".join(f'"{h}"' for h in header)
    con.execute(f"copy (select * from (values {values}) as t({columns})) to '{path}' (format parquet)")


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header)] + [",".join("" if v is None else v for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _load(con, landing: Path) -> pd.DataFrame:
    blobs = con.sql(f"select * from read_blob('{landing}/**')")
    result = load_landing(con, blobs, str(landing))
    frame = result if isinstance(result, pd.DataFrame) else result.df()
    # load_landing's layout: OUTPUT_COLUMNS plus file_checksum (issue 14), which these tests set aside
    assert list(frame.columns) == list(RECORD_COLUMNS) == [*OUTPUT_COLUMNS, "file_checksum"]
    return frame.drop(columns="file_checksum")


def _records(frame: pd.DataFrame) -> list[dict]:
    frame = frame.sort_values(["source_file", "record_type", "row_number"], na_position="first")
    return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")]


def test_parquet_gives_the_records_of_the_same_csv(tmp_path):
    con = duckdb.connect()
    _csv(tmp_path / "csv" / "2025-12-31" / "da.csv", HEADER, ROWS)
    _write(con, tmp_path / "pq" / "2025-12-31" / "da.parquet", HEADER, ROWS)
    from_csv = _records(_load(con, tmp_path / "csv"))
    from_parquet = _records(_load(con, tmp_path / "pq"))
    assert [r["record_type"] for r in from_parquet] == ["file", "row", "row"]
    for a, b in zip(from_csv, from_parquet, strict=True):
        a = {**a, "source_file": a["source_file"][:-4], "file_format": None, "encoding": None}
        b = {**b, "source_file": b["source_file"][:-8], "file_format": None}
        assert a == b
    assert from_parquet[0]["empty_rows_skipped"] == 1  # the blank row between; not the trailing one
    assert [r["row_number"] for r in from_parquet[1:]] == [2, 4]


def test_parquet_alongside_csv_and_ignored_files(tmp_path):
    con = duckdb.connect()
    _csv(tmp_path / "2025-12-31" / "a.csv", HEADER, ROWS[:1])
    _write(con, tmp_path / "2025-12-31" / "b.parquet", HEADER, ROWS[2:3])
    (tmp_path / "2025-12-31" / "~$b.parquet").write_bytes(b"lock")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.parquet").write_bytes(b"x")
    records = _records(_load(con, tmp_path))
    assert [(r["source_file"], r["record_type"], r["case_id"]) for r in records] == [
        ("2025-12-31/a.csv", "file", None),
        ("2025-12-31/a.csv", "row", "A1"),
        ("2025-12-31/b.parquet", "file", None),
        ("2025-12-31/b.parquet", "row", "A2"),
    ]


def test_parquet_header_problems_and_unreadable_files(tmp_path):
    con = duckdb.connect()
    folder = tmp_path / "2025-12-31"
    _write(con, folder / "missing.parquet", ["府省庁名", "案件名"], [["総務省", "x"]])
    _write(
        con,
        folder / "dup.parquet",
        ["府省庁名", "案件番号", "案件 番号", "案件名", "利用類型"],
        [["総務省", "1", "1", "n", "u"]],
    )
    (folder / "bad.parquet").write_bytes(b"not parquet")
    records = {(r["source_file"], r["record_type"]): r for r in _records(_load(con, tmp_path))}
    missing = records[("2025-12-31/missing.parquet", "file")]
    assert missing["missing_columns"] == "case_id,usage_type"
    assert missing["file_error"] == "missing required columns: 案件番号 (case_id), 利用類型 (usage_type)"
    assert records[("2025-12-31/missing.parquet", "row")]["ministry"] == "総務省"  # rows still landed
    dup = records[("2025-12-31/dup.parquet", "file")]
    assert dup["file_error"].startswith('duplicate header: "案件番号" (column 2 (B)) and "案件 番号" (column 3 (C))')
    assert dup["data_rows"] == 0 and ("2025-12-31/dup.parquet", "row") not in records
    bad = records[("2025-12-31/bad.parquet", "file")]
    assert bad["file_error"].startswith("cannot read Parquet file:") and bad["header_row"] is None


def test_parquet_typed_columns_and_unknown_columns(tmp_path):
    con = duckdb.connect()
    header = ["府省庁名", "案件番号", "案件名", "利用類型", "備考", "フラグ", "件数"]
    types = ["varchar", "double", "varchar", "varchar", "varchar", "boolean", "double"]
    rows = [
        ["総務省", "1.0", "a", "汎用型1", "メモ", "true", "2.5"],
        ["総務省", "12", "b", "汎用型1", None, "false", None],
    ]
    _write(con, tmp_path / "2025-12-31" / "t.parquet", header, rows, types)
    records = _records(_load(con, tmp_path))
    assert records[0]["unknown_columns"] == "備考,フラグ,件数"
    assert [r["case_id"] for r in records[1:]] == ["1", "12"]  # numbers as text, no trailing .0
    assert json.loads(records[1]["extra_values_json"]) == {"備考": "メモ", "フラグ": "TRUE", "件数": "2.5"}
    assert records[2]["extra_values_json"] == '{"備考": null, "フラグ": "FALSE", "件数": null}'


def test_no_parquet_files_no_sql():
    assert parquet_landing_sql(duckdb.connect(), []) is None


@pytest.fixture(scope="module")
def parquet_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("parquet_landing")
    con = duckdb.connect()
    full = [*HEADER, "取扱情報の機密性", "成果目標"]
    _write(
        con, root / "landing" / "2026-03-31" / "da.parquet", full, [[*ROWS[0], "1", "定量"], [*ROWS[2], "3", "定性"]]
    )
    _csv(
        root / "landing" / "2026-03-31" / "mic.csv",
        full,
        [["総務省", "B1", "照会", "その他", "1", "1", "常用", "1", "なし"]],
    )
    database = root / "warehouse.duckdb"
    build_warehouse(database, root / "landing", dbt_vars={"check_publication": False})
    return database


def test_parquet_landing_builds_the_warehouse(parquet_warehouse):
    files = query(
        parquet_warehouse,
        "select source_file, file_format, rows_landed, rows_accepted, rows_rejected "
        "from marts.submission_files order by source_file",
    )
    assert files == [("2026-03-31/da.parquet", "parquet", 2, 2, 0), ("2026-03-31/mic.csv", "csv", 1, 1, 0)]
    total = query(
        parquet_warehouse,
        "select value from marts.report_cells where table_id = 'T01' and period_end = '2026-03-31' "
        "and usage_type = '_T' and start_timing = '_T' and measure = 'case_count'",
    )
    assert total == [(3,)]
