"""Landing at scale (issue 14): DuckDB's CSV reader gives exactly the Python reader's records, the
records relation carries each file's checksum, and memory does not grow with the number of files."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import tracemalloc
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from genai_report.contract import REFERENCE_DIR
from genai_report.landing import RECORD_COLUMNS, load_landing
from genai_report.landing import csv as landing_csv
from genai_report.landing.contract import CONTRACT_HEADERS

HEADER = list(CONTRACT_HEADERS.values())
ROW = ["総務省", "001", "議事録作成支援", "汎用型1", "1. 利用開始済み", "3", "常用", "機密性1のみ"]
KEY = ["source_file", "record_type", "row_number"]


def _csv(rows: list[list[str]], newline: str = "\r\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue()


def _records(landing: Path, **options) -> pd.DataFrame:
    con = duckdb.connect()
    blobs = con.sql(f"select * from read_blob('{landing}/**')")
    frame = load_landing(con, blobs, str(landing), **options).df()
    assert list(frame.columns) == list(RECORD_COLUMNS)
    return frame.sort_values(KEY, na_position="first").reset_index(drop=True)


def _spy(monkeypatch) -> list[str]:
    """Names of the files DuckDB's CSV reader landed (the others went through the Python reader)."""
    landed: list[str] = []
    real = landing_csv.land_csv_duckdb

    def spy(cursor, plans, new_part):
        declined = real(cursor, plans, new_part)
        landed.extend(p.res.source_file for p in plans if p not in declined)
        return declined

    monkeypatch.setattr(landing_csv, "land_csv_duckdb", spy)
    return landed


#: UTF-8 files of the forms ministries send; True: DuckDB's reader must take them, False: Python's.
FILES: dict[str, tuple[bytes, bool]] = {
    "plain.csv": (_csv([HEADER, ROW, ROW[:4]]).encode(), True),
    "lf.csv": (_csv([HEADER, ROW], "\n").encode(), True),
    "bom.csv": (b"\xef\xbb\xbf" + _csv([HEADER, ROW]).encode(), True),
    "cp932.csv": (_csv([HEADER, ROW]).encode("cp932"), True),
    "title_rows.csv": (_csv([["令和7年度 生成AI利用状況"], ["", "作成: 総務省"], HEADER, ROW]).encode(), True),
    "quoted_newlines.csv": (_csv([HEADER, [*ROW[:2], '一行目\n二行目, "引用"', *ROW[3:]]], "\n").encode(), True),
    "excel_line_break_in_cell.csv": (_csv([HEADER, [*ROW[:2], "一行目\n二行目", *ROW[3:]], ROW]).encode(), True),
    "blank_rows.csv": (_csv([HEADER, ROW, [""] * 15, ["", " ", "\u3000"], ROW, [""] * 15]).encode(), True),
    "ragged_and_extra.csv": (
        _csv([[*HEADER[:4], "備考", "", "備考"], [*ROW[:4], "メモ", "値", None, "はみ出し"], ROW[:2]]).encode(),
        True,
    ),
    "missing_required.csv": (_csv([HEADER[:3], ROW[:3]]).encode(), True),
    "spaces_kept.csv": (_csv([HEADER[:4], ["  総務省 ", "1", " ", "汎用型1"]]).encode(), True),
    "empty_line.csv": (("\n".join([",".join(HEADER[:4]), "", ",".join(ROW[:4])]) + "\n").encode(), False),
    "mixed_line_ends.csv": ((",".join(HEADER[:4]) + "\r\n" + ",".join(ROW[:4]) + "\n").encode(), False),
    "space_before_quote.csv": ((",".join(HEADER[:4]) + '\n総務省, "1",a,b\n').encode(), False),
    "malformed.csv": ((",".join(HEADER[:4]) + '\n総務省,"1"x,a,b\n').encode(), False),
    "no_header.csv": (_csv([["a", "b"], ["c", "d"]]).encode(), False),
    "empty.csv": (b"", False),
}


def test_duckdb_csv_path_gives_the_python_readers_records(tmp_path, monkeypatch):
    for name, (data, _) in FILES.items():
        (tmp_path / "2025-12-31").mkdir(exist_ok=True)
        (tmp_path / "2025-12-31" / name).write_bytes(data)
    reference = _records(tmp_path, duckdb_csv=False)
    landed = _spy(monkeypatch)
    fast = _records(tmp_path)
    pd.testing.assert_frame_equal(fast, reference)
    expected = sorted(f"2025-12-31/{name}" for name, (_, duckdb_path) in FILES.items() if duckdb_path)
    assert sorted(landed) == expected
    assert len(fast[fast.record_type == "row"]) >= 15  # the records compared are not trivial


def _random_cell(rng: random.Random) -> str:
    pieces = ["総務省", "汎用型1", "a", "1", " ", "\u3000", ",", '"', "\n", "x y", "", "", "(1) 利用開始済み"]
    return "".join(rng.choices(pieces, k=rng.randint(0, 3)))


@pytest.mark.parametrize("seed", range(4))
def test_duckdb_csv_path_equals_python_reader_on_random_files(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    for i in range(40):
        header = rng.sample(HEADER, rng.randint(2, 15)) + ["備考"] * rng.randint(0, 1) + [""] * rng.randint(0, 1)
        rows = [[_random_cell(rng) for _ in range(rng.randint(1, 3))] for _ in range(rng.randint(0, 2))]
        rows.append(header)
        for _ in range(rng.randint(0, 30)):
            width = len(header) + rng.choice([0, 0, 0, -1, 1])
            rows.append([_random_cell(rng) if rng.random() < 0.8 else "" for _ in range(max(width, 0))])
        text = _csv(rows, rng.choice(["\r\n", "\n"]))
        data = text.encode(rng.choice(["utf-8", "utf-8-sig"]))
        (tmp_path / "2026-03-31").mkdir(exist_ok=True)
        (tmp_path / "2026-03-31" / f"f{i:02d}.csv").write_bytes(data)
    reference = _records(tmp_path, duckdb_csv=False)
    landed = _spy(monkeypatch)
    pd.testing.assert_frame_equal(_records(tmp_path), reference)
    assert len(landed) >= 5  # a share of the files went through DuckDB's reader (about 3 in 4)


def test_file_checksum_and_a_filtered_source(tmp_path):
    folder = tmp_path / "2025-12-31"
    folder.mkdir()
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append(ROW)
    buf = io.BytesIO()
    wb.save(buf)
    files = {"a.csv": _csv([HEADER, ROW]).encode(), "b.xlsx": buf.getvalue(), "c.csv": b"garbage"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    con = duckdb.connect()
    blobs = con.sql(f"select * from read_blob('{tmp_path}/**') where filename not like '%c.csv'")
    frame = load_landing(con, blobs, str(tmp_path)).df()
    file_records = frame[frame.record_type == "file"].set_index("source_file")
    assert sorted(file_records.index) == ["2025-12-31/a.csv", "2025-12-31/b.xlsx"]  # only the relation's files
    for name in ("a.csv", "b.xlsx"):
        assert file_records.loc[f"2025-12-31/{name}", "file_checksum"] == hashlib.md5(files[name]).hexdigest()
    assert frame[frame.record_type == "row"]["file_checksum"].isna().all()
    assert len(frame[frame.record_type == "row"]) == 2


def test_the_form_headers_come_from_the_seed():
    # Independent oracle: the seed read with the csv module, not through genai_report.contract.
    with open(REFERENCE_DIR / "submission_columns.csv", encoding="utf-8") as handle:
        seed = {row["column_name"]: row["header_ja"] for row in csv.DictReader(handle)}
    assert CONTRACT_HEADERS == seed


def _peak_python_bytes(landing: Path) -> int:
    con = duckdb.connect()
    blobs = con.sql(f"select * from read_blob('{landing}/**')")
    tracemalloc.start()
    try:
        relation = load_landing(con, blobs, str(landing), duckdb_csv=False, batch_bytes=1, part_rows=500)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        assert relation.aggregate("count(*)").fetchone()[0] > 0


def test_memory_does_not_grow_with_the_number_of_files(tmp_path):
    """Python holds one file's bytes and at most one part of records, however many files land."""
    rows = [HEADER] + [[*ROW[:1], str(i), *ROW[2:]] for i in range(400)]
    data = _csv(rows).encode("cp932")  # CP932: decoded and parsed in Python, the costly path
    peaks = {}
    for count in (4, 128):
        landing = tmp_path / str(count)
        for i in range(count):
            (landing / f"2025-12-{i % 28 + 1:02d}").mkdir(parents=True, exist_ok=True)
            (landing / f"2025-12-{i % 28 + 1:02d}" / f"m{i:02d}.csv").write_bytes(data)
        peaks[count] = _peak_python_bytes(landing)
    total = 128 * len(data)
    assert peaks[128] < 1.5 * peaks[4], peaks  # 32 times the files, (about) the same peak
    assert peaks[128] < total / 2, (peaks, total)  # never the whole landing at once


def test_the_benchmarks_forms_land_without_errors(tmp_path):
    """scripts/benchmark.py's landing as ministries send it (CSV in three encodings, XLSX): every file
    reads, CSV through DuckDB's reader, and every generated row lands."""
    from benchmarks import synth

    seeds = REFERENCE_DIR.parent
    periods, ministries = synth.read_periods(seeds)[:2], synth.read_ministries(seeds)
    landing = synth.write_landing(tmp_path, 300, periods, ministries, "forms")
    frame = _records(tmp_path)
    files = frame[frame.record_type == "file"]
    assert files["file_error"].isna().all()
    assert set(files["encoding"].dropna()) == {"utf-8", "utf-8-sig", "cp932"}
    assert (files["file_format"] == "xlsx").sum() > 0
    assert (frame.record_type == "row").sum() == landing.rows == 300
