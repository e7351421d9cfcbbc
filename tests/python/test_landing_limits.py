"""Hostile sizes at the loader, within a DuckDB memory limit: a ZIP bomb is refused unopened, and
10^5 empty rows, a 10 MB cell and 10^4 columns land exactly (docs/hostile-input.md, "Sizes").
The files are made here, in a temporary folder: too big for the corpus in git."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from genai_report.landing import load_landing
from genai_report.landing.contract import CONTRACT_HEADERS
from genai_report.landing.xlsx import MAX_DECLARED_BYTES

PERIOD = "2026-06-30"
HEADER = list(CONTRACT_HEADERS.values())
ROW = ["総務省", "001", "議事録作成支援", "汎用型1", "1. 利用開始済み", "3", "常用", "機密性1のみ"]
LIMIT = "1GiB"


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def _land(tmp_path: Path, name: str, data: bytes) -> tuple[dict, list[dict]]:
    """(the file record, the row records) of one file landed by load_landing within LIMIT."""
    landing = tmp_path / "landing"
    (landing / PERIOD).mkdir(parents=True)
    (landing / PERIOD / name).write_bytes(data)
    with duckdb.connect(config={"memory_limit": LIMIT}) as connection:
        blobs = connection.sql(f"select * from read_blob('{landing}/**')")
        frame = load_landing(connection, blobs, str(landing), workdir=tmp_path).df()
    records = frame.to_dict("records")
    files = [r for r in records if r["record_type"] == "file"]
    assert len(files) == 1
    rows = sorted((r for r in records if r["record_type"] == "row"), key=lambda r: r["row_number"])
    return files[0], rows


def _bomb() -> bytes:
    """A real workbook with one more part of zeros, declared (and inflating to) 80 MiB."""
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/media/zeros.bin", bytes(80 << 20))
    return buffer.getvalue()


def test_zip_bomb_is_refused_unopened(tmp_path):
    data = _bomb()
    declared = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert declared > MAX_DECLARED_BYTES
    record, rows = _land(tmp_path, "bomb.xlsx", data)
    assert record["file_error"] == (
        f"cannot read workbook: a ZIP bomb: its parts declare {declared:,} bytes uncompressed, "
        f"{declared // len(data):,} times the file's {len(data):,} bytes "
        "(limit 67,108,864 bytes or 100 times); the file was not opened"
    )
    assert (record["data_rows"], record["sheet_name"], rows) == (0, None, [])


def test_a_hundred_thousand_empty_rows(tmp_path):
    record, rows = _land(tmp_path, "empty_rows.csv", _csv([HEADER, ROW, *([[""] * 8] * 10**5), ROW]))
    assert (record["file_error"], record["data_rows"], record["empty_rows_skipped"]) == (None, 2, 10**5)
    assert [r["row_number"] for r in rows] == [2, 10**5 + 3]


@pytest.mark.parametrize("name", ["big_cell.csv", "big_cell.xlsx"])
def test_a_ten_megabyte_cell(tmp_path, name):
    big = "案" * (10 << 20)
    if name.endswith(".csv"):
        data = _csv([HEADER, [*ROW[:2], big, *ROW[3:]]])
    else:
        workbook = openpyxl.Workbook()
        workbook.active.append(HEADER)
        workbook.active.append([*ROW[:2], big[:32767], *ROW[3:]])  # Excel's own limit for a cell
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
        big = big[:32767]
    record, rows = _land(tmp_path, name, data)
    assert (record["file_error"], record["data_rows"]) == (None, 1)
    assert rows[0]["case_name"] == big


def test_ten_thousand_columns(tmp_path):
    extra = [f"列外{j}" for j in range(10**4 - len(HEADER))]
    padded = ROW + [""] * (len(HEADER) - len(ROW))
    record, rows = _land(tmp_path, "wide.csv", _csv([HEADER + extra, padded + [str(j) for j in range(len(extra))]]))
    assert (record["file_error"], record["data_rows"]) == (None, 1)
    assert record["unknown_columns"] == ",".join(extra)
    assert json.loads(rows[0]["extra_values_json"]) == {name: str(j) for j, name in enumerate(extra)}
    assert [rows[0][c] for c in CONTRACT_HEADERS][: len(ROW)] == ROW
