"""Landing-file reader: turns the ministries' submitted CSV/XLSX files into one raw, all-text table.

The reader is pure: it takes ``(relative path, bytes)`` pairs and never touches the file system
(except :func:`iter_landing_dir`, a convenience for the ministry-side ``validate`` command). It is
called from a dbt-duckdb Python model that gets the files from DuckDB ``read_blob('<dir>/**')``.

It does *no* normalisation of values (SQL does that). It only:

* decides which files to ignore (hidden files/folders, Office lock files ``~$*``);
* detects the CSV encoding (UTF-8 with BOM, UTF-8, CP932 -- never mojibake, never mixed; UTF-8 text
  carrying U+FFFD, the trace of an earlier lossy conversion, is refused);
* reads the first worksheet of an XLSX (cached values of formulas, numbers as text without ``.0``);
* finds the header row (within the first 10 rows) and maps the contract headers
  (NFKC + whitespace-insensitive) to canonical column names;
* emits one ``file`` record per file and one ``row`` record per non-empty data row.

Every problem with the input becomes a ``file_error`` on the file record; only programming errors raise.
See ``/work/shared/spec/submission-form.md`` for the contract.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import posixpath
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

import pandas as pd

__all__ = [
    "CANONICAL_COLUMNS",
    "CONTRACT_HEADERS",
    "HEADER_SEARCH_ROWS",
    "OUTPUT_COLUMNS",
    "REQUIRED_COLUMNS",
    "is_ignored",
    "is_parquet",
    "iter_landing_dir",
    "load_landing",
    "normalise_header",
    "parquet_landing_sql",
    "parse_landing_files",
    "relative_path",
]

# --------------------------------------------------------------------------------------------
# Contract
# --------------------------------------------------------------------------------------------

#: canonical name -> contract header text (JA), in output order.
CONTRACT_HEADERS: dict[str, str] = {
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
CANONICAL_COLUMNS: tuple[str, ...] = tuple(CONTRACT_HEADERS)
REQUIRED_COLUMNS: tuple[str, ...] = ("ministry", "case_id", "case_name", "usage_type")
#: the header row must be within the first this-many rows of the file / worksheet.
HEADER_SEARCH_ROWS = 10

_META_STRING_COLUMNS = (
    "record_type",
    "source_file",
    "period_folder",
    "file_format",
    "encoding",
    "sheet_name",
)
_INT_COLUMNS = frozenset({"header_row", "row_number", "empty_rows_skipped", "data_rows"})
OUTPUT_COLUMNS: tuple[str, ...] = (
    *_META_STRING_COLUMNS,
    "header_row",
    "row_number",
    "file_error",
    "missing_columns",
    "unknown_columns",
    "empty_rows_skipped",
    "data_rows",
    "extra_values_json",
    *CANONICAL_COLUMNS,
)

# Whitespace (Python's definition covers line breaks, tabs, U+3000 ideographic space, ...) plus
# invisible characters that survive copy/paste from web pages and Word.
_HEADER_JUNK = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def normalise_header(text: str) -> str:
    """Header-name normalisation: Unicode NFKC, then remove all whitespace (incl. line breaks)."""
    return _HEADER_JUNK.sub("", unicodedata.normalize("NFKC", text))


_HEADER_LOOKUP: dict[str, str] = {normalise_header(ja): name for name, ja in CONTRACT_HEADERS.items()}

# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


def is_ignored(path: str) -> bool:
    """True for files the warehouse ignores: hidden files/folders and Office lock files.

    Hidden = any path component starting with '.'. Lock files = a file name starting with '~$'
    (Excel writes ``~$name.xlsx`` -- and ``~$name.csv`` when a CSV is open in Excel).
    """
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts:
        return True
    if any(p.startswith(".") for p in parts):
        return True
    return parts[-1].startswith("~$")


def relative_path(filename: str, landing_dir: str) -> str:
    """Path of ``filename`` relative to ``landing_dir``, with '/' separators.

    Works for the names DuckDB ``read_blob`` returns (relative or absolute, '/' or '\\').
    Raises ValueError if ``filename`` is not inside ``landing_dir`` (a caller bug).
    """
    f = posixpath.normpath(filename.replace("\\", "/"))
    d = posixpath.normpath(landing_dir.replace("\\", "/"))
    if d == "." and not f.startswith(("/", "../")) and f != "..":
        return f
    if d == "/" and f.startswith("/"):
        return f.lstrip("/")
    if f.startswith(d + "/"):
        return f[len(d) + 1 :]
    # Mixed relative/absolute spellings: compare absolute paths.
    rel = os.path.relpath(os.path.abspath(filename), os.path.abspath(landing_dir))
    rel = rel.replace(os.sep, "/")
    if rel == "." or rel == ".." or rel.startswith("../") or os.path.isabs(rel):
        raise ValueError(f"{filename!r} is not inside the landing directory {landing_dir!r}")
    return rel


def iter_landing_dir(landing_dir: str | os.PathLike[str]) -> list[tuple[str, bytes]]:
    """Read every non-ignored file under ``landing_dir`` as ``(relative '/' path, bytes)``, sorted.

    Hidden folders are not descended into. OS errors (unreadable file) propagate.
    """
    top = os.fspath(landing_dir)
    out: list[tuple[str, bytes]] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, top)
        for name in sorted(filenames):
            rel = name if rel_dir == "." else posixpath.join(rel_dir.replace(os.sep, "/"), name)
            if is_ignored(rel):
                continue
            with open(os.path.join(dirpath, name), "rb") as fh:
                out.append((rel, fh.read()))
    out.sort(key=lambda item: item[0])
    return out


# --------------------------------------------------------------------------------------------
# Per-file result
# --------------------------------------------------------------------------------------------

Cell = str | None


@dataclass
class _FileResult:
    source_file: str
    period_folder: str | None
    file_format: str | None
    encoding: str | None = None
    sheet_name: str | None = None
    header_row: int | None = None
    file_error: str | None = None
    missing_columns: str | None = None
    unknown_columns: str | None = None
    empty_rows_skipped: int = 0
    # (row_number, 15 canonical values, extra_values_json)
    rows: list[tuple[int, list[Cell], str | None]] = field(default_factory=list)


def _column_label(index0: int) -> str:
    """'column 5 (E)' for a 0-based column index."""
    n = index0 + 1
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"column {index0 + 1} ({letters})"


def _is_blank(value: Cell) -> bool:
    return value is None or value.strip() == ""


def _row_is_blank(row: Sequence[Cell]) -> bool:
    return all(v is None or v.strip() == "" for v in row)


def _q(text: str) -> str:
    """Quote a header text for a message (line breaks become visible as \\n)."""
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Table logic shared by CSV and XLSX
# --------------------------------------------------------------------------------------------


def _header_hits(row: Sequence[Cell]) -> set[str]:
    hits = set()
    for v in row:
        if v is not None:
            name = _HEADER_LOOKUP.get(normalise_header(v))
            if name is not None:
                hits.add(name)
    return hits


def _find_header(first_rows: Sequence[Sequence[Cell]]) -> int | None:
    """Index (0-based) of the header row among the first rows, or None."""
    hits = [_header_hits(r) for r in first_rows]
    for i, h in enumerate(hits):
        if all(c in h for c in REQUIRED_COLUMNS):
            return i
    for i, h in enumerate(hits):
        if len(h) >= 2:
            return i
    return None


def _tabulate(rows: Iterable[Sequence[Cell]], res: _FileResult, empty_message: str) -> None:
    """Find the header, map columns and collect data rows into ``res``. Rows are numbered from 1."""
    it = iter(rows)
    first: list[Sequence[Cell]] = []
    for row in it:
        first.append(row)
        if len(first) == HEADER_SEARCH_ROWS:
            break
    h = _find_header(first)
    if h is None:
        if all(_row_is_blank(r) for r in first) and all(_row_is_blank(r) for r in it):
            res.file_error = empty_message
        else:
            res.file_error = (
                f"no header row with the required columns in the first {HEADER_SEARCH_ROWS} rows "
                f"(required: {', '.join(CONTRACT_HEADERS[c] for c in REQUIRED_COLUMNS)})"
            )
        return
    res.header_row = h + 1
    header = first[h]

    canon_index: dict[str, int] = {}
    unknown: dict[int, str] = {}  # column index -> original header text
    duplicates: list[str] = []
    for j, raw in enumerate(header):
        if raw is None:
            continue
        key = normalise_header(raw)
        if key == "":
            continue  # empty header cell: handled as (列N) below if it has values
        name = _HEADER_LOOKUP.get(key)
        if name is None:
            unknown[j] = raw
        elif name in canon_index:
            k = canon_index[name]
            duplicates.append(
                f"{_q(header[k])} ({_column_label(k)}) and {_q(raw)} ({_column_label(j)}) both map to {name}"
            )
        else:
            canon_index[name] = j

    missing = [c for c in REQUIRED_COLUMNS if c not in canon_index]
    if missing:
        res.missing_columns = ",".join(missing)

    if duplicates:
        res.file_error = "duplicate header: " + "; ".join(duplicates)
        res.unknown_columns = ",".join(unknown.values()) or None
        return

    # Data rows: skip fully empty ones; count only the empty rows that lie between the header
    # and the last non-empty row (trailing empty/formatted rows are not counted).
    data: list[tuple[int, Sequence[Cell]]] = []
    pending_empty = 0
    skipped = 0
    row_number = h + 1
    for row in chain(first[h + 1 :], it):
        row_number += 1
        if _row_is_blank(row):
            pending_empty += 1
            continue
        skipped += pending_empty
        pending_empty = 0
        data.append((row_number, row))
    res.empty_rows_skipped = skipped

    # Columns without a header: kept as (列N) iff some data row has a non-blank value there.
    known = set(canon_index.values()) | set(unknown)
    header_width = len(header)
    blank_header_cols = [j for j in range(header_width) if j not in known]
    headerless: set[int] = set()
    for _, row in data:
        for j in blank_header_cols:
            if j < len(row) and j not in headerless and not _is_blank(row[j]):
                headerless.add(j)
        if len(row) > header_width:
            for j in range(header_width, len(row)):
                if j not in headerless and not _is_blank(row[j]):
                    headerless.add(j)
    for j in headerless:
        unknown[j] = f"(列{j + 1})"

    extra_cols: list[tuple[str, int]] = []
    used: set[str] = set()
    for j in sorted(unknown):
        key = unknown[j]
        if key in used:
            key = f"{key} (列{j + 1})"
        used.add(key)
        extra_cols.append((key, j))
    if extra_cols:
        res.unknown_columns = ",".join(k for k, _ in extra_cols)

    if missing:
        res.file_error = "missing required columns: " + ", ".join(f"{CONTRACT_HEADERS[c]} ({c})" for c in missing)

    positions = [canon_index.get(c) for c in CANONICAL_COLUMNS]
    for n, row in data:
        width = len(row)
        values = [row[j] if j is not None and j < width else None for j in positions]
        extra = None
        if extra_cols:
            extra = json.dumps({k: (row[j] if j < width else None) for k, j in extra_cols}, ensure_ascii=False)
        res.rows.append((n, values, extra))


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

_UTF8_BOM = codecs.BOM_UTF8
# Bytes Python's cp932 codec accepts although they are no Shift_JIS character.
_CP932_NON_CHARS = frozenset("\x80\uf8f0\uf8f1\uf8f2\uf8f3")
_CP932_NAME = "CP932/Shift_JIS"


def _cp932_line(line: bytes) -> bool:
    try:
        text = line.decode("cp932")
    except UnicodeDecodeError:
        return False
    return not any(ch in _CP932_NON_CHARS for ch in text)


def _classify_line(line: bytes) -> str:
    """'ascii' | 'utf8' | 'ambiguous' (valid both ways, no UTF-8 char >= U+0800) | 'cp932' | 'neither'."""
    if line.isascii():
        return "ascii"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return "cp932" if _cp932_line(line) else "neither"
    if max(map(ord, text)) < 0x800 and _cp932_line(line):
        return "ambiguous"
    return "utf8"


def _decode_csv(data: bytes) -> tuple[str | None, str | None, str | None]:
    """-> (text, encoding, error). Exactly one of text/error is None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, None, "cannot decode: neither UTF-8 nor CP932 (the file is UTF-16; save it as CSV UTF-8)"
    if b"\x00" in data:
        return None, None, "cannot decode: neither UTF-8 nor CP932 (the file contains NUL bytes)"
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM) :] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        damaged = text.find("\ufffd")
        if damaged >= 0:
            # U+FFFD is what a lossy conversion leaves (a CP932 file opened as UTF-8 and saved):
            # the original characters are gone, so the text must not land as mojibake.
            line = text.count("\n", 0, damaged) + 1
            return (
                None,
                None,
                f"cannot decode: line {line} contains the replacement character U+FFFD, left by an earlier "
                "lossy conversion from another encoding (probably CP932); save the file again from the original",
            )
        return text, ("utf-8-sig" if bom else "utf-8"), None

    first: dict[str, int] = {}
    for i, line in enumerate(body.split(b"\n"), 1):
        kind = _classify_line(line)
        first.setdefault(kind, i)
        if kind == "neither":
            break
    if "neither" in first:
        hint = ""
        if data.startswith(b"PK\x03\x04"):
            hint = "; the file looks like an Excel workbook, name it .xlsx"
        return None, None, f"cannot decode: neither UTF-8 nor CP932 (line {first['neither']}{hint})"
    c = first["cp932"]  # the body is not valid UTF-8, so some line is not
    if bom:
        return (
            None,
            None,
            (f"mixed encodings: the file starts with a UTF-8 byte-order mark but line {c} is {_CP932_NAME}"),
        )
    if "utf8" in first:
        u = first["utf8"]
        if u < c:
            msg = f"mixed encodings: line {u} is UTF-8 but line {c} is {_CP932_NAME}"
        else:
            msg = f"mixed encodings: line {c} is {_CP932_NAME} but line {u} is UTF-8"
        return None, None, msg
    text = body.decode("cp932")
    return text, "cp932", None


class _CsvError(Exception):
    pass


def _csv_rows(text: str) -> Iterator[list[Cell]]:
    limit = csv.field_size_limit()
    if len(text) + 1 > limit:
        csv.field_size_limit(min(len(text) + 1, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _CsvError(f"malformed CSV: {exc} (record starting on line {start_line})") from None
        yield [v if v != "" else None for v in record]


def _read_csv(data: bytes, res: _FileResult) -> None:
    if not data:
        res.file_error = "empty file"
        return
    text, encoding, error = _decode_csv(data)
    if error is not None:
        res.file_error = error
        return
    assert text is not None
    res.encoding = encoding
    try:
        _tabulate(_csv_rows(text), res, "empty file")
    except _CsvError as exc:
        res.file_error = str(exc)
        res.rows.clear()
        res.header_row = None
        res.missing_columns = res.unknown_columns = None
        res.empty_rows_skipped = 0


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------

_MERGE_RE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)\"")


def _xlsx_text(value: object) -> Cell:
    """Cell value -> raw text (see module docs); '' and None -> None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    return str(value)


def _merged_ranges(data: bytes, sheet_path: str | None) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of the merged ranges of the sheet (1-based)."""
    from openpyxl.utils.cell import range_boundaries

    if not sheet_path:
        return []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(sheet_path.lstrip("/"))
    out = []
    for m in _MERGE_RE.finditer(xml):
        try:
            min_col, min_row, max_col, max_row = range_boundaries(m.group(1).decode("ascii"))
        except (ValueError, TypeError):
            continue
        out.append((min_col, min_row, max_col, max_row))
    return out


def _apply_merges(rows: Iterable[Sequence[object]], merges: list[tuple[int, int, int, int]]) -> Iterator[list[Cell]]:
    """Convert values to text; a cell covered by a merged range spanning several rows gets the
    range's top-left value (in the range's leftmost column only)."""
    vertical = sorted((r0, c0, r1) for c0, r0, _c1, r1 in merges if r1 > r0)
    nxt = 0
    active: list[tuple[int, int, int, Cell]] = []  # (first row, column, last row, value)
    for r, raw in enumerate(rows, 1):
        row = [_xlsx_text(v) for v in raw]
        if active or (nxt < len(vertical) and vertical[nxt][0] <= r):
            while nxt < len(vertical) and vertical[nxt][0] <= r:
                r0, c0, r1 = vertical[nxt]
                nxt += 1
                if r0 == r:
                    active.append((r0, c0, r1, row[c0 - 1] if c0 - 1 < len(row) else None))
            still: list[tuple[int, int, int, Cell]] = []
            for r0, c0, r1, value in active:
                if r0 < r <= r1:
                    if c0 - 1 >= len(row):
                        row.extend([None] * (c0 - len(row)))
                    row[c0 - 1] = value
                if r < r1:
                    still.append((r0, c0, r1, value))
            active = still
        yield row


def _xlsx_open_error(data: bytes, exc: Exception) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "cannot read workbook: the file is a password-protected workbook or a legacy .xls saved with an .xlsx name"
        )
    if not data.startswith(b"PK"):
        return "cannot read workbook: the file is not an .xlsx workbook (not a ZIP archive)"
    detail = f"{type(exc).__module__}.{type(exc).__name__}".replace("builtins.", "")
    return f"cannot read workbook: the file is damaged or not an .xlsx workbook ({detail}: {exc})"


def _read_xlsx(data: bytes, res: _FileResult) -> None:
    if not data:
        res.file_error = "empty file"
        return
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not wb.worksheets:
                    res.file_error = "the workbook has no worksheet"
                    return
                ws = wb.worksheets[0]
                res.sheet_name = ws.title
                # Dimensions written by some tools are wrong; never let them truncate the data.
                ws.reset_dimensions()
                raw_rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
                sheet_path = getattr(ws, "_worksheet_path", None)
            finally:
                wb.close()
            merges = _merged_ranges(data, sheet_path)
    except Exception as exc:  # any failure inside openpyxl / zipfile means a bad workbook
        res.file_error = _xlsx_open_error(data, exc)
        res.sheet_name = None
        return
    _tabulate(
        _apply_merges(raw_rows, merges),
        res,
        f"empty file (the first worksheet {_q(res.sheet_name or '')} has no values)",
    )


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _extension(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not ext:
        return None
    return ext.lower()


def _parse_one(path: str, data: bytes) -> _FileResult:
    parts = [p for p in path.split("/") if p]
    ext = _extension(path)
    res = _FileResult(
        source_file=path,
        period_folder=parts[0] if len(parts) >= 2 else None,
        file_format=ext,
    )
    if ext == "csv":
        _read_csv(data, res)
    elif ext == "xlsx":
        _read_xlsx(data, res)
    elif ext is None:
        res.file_error = "unsupported file type (no extension); expected .csv or .xlsx"
    else:
        res.file_error = f"unsupported file type .{ext}; expected .csv or .xlsx"
    return res


def parse_landing_files(files: Iterable[tuple[str, bytes]]) -> pd.DataFrame:
    """Parse landing files into one DataFrame (see ``OUTPUT_COLUMNS``).

    ``files``: ``(path relative to the landing dir with '/' separators, raw bytes)``.
    One 'file' record per non-ignored file, one 'row' record per landed data row; ordered by
    source_file, then the file record, then row_number.
    """
    items = [
        (p, b if isinstance(b, bytes) else bytes(b or b""))  # bytearray/memoryview from DuckDB
        for p, b in files
        if not is_ignored(p)
    ]
    items.sort(key=lambda item: item[0])

    cols: dict[str, list] = {c: [] for c in OUTPUT_COLUMNS}
    canon_lists = [cols[c] for c in CANONICAL_COLUMNS]
    for path, data in items:
        res = _parse_one(path, data)
        n_rows = len(res.rows) + 1
        for name in ("source_file", "period_folder", "file_format", "encoding", "sheet_name", "header_row"):
            cols[name].extend([getattr(res, name)] * n_rows)
        cols["record_type"].append("file")
        cols["record_type"].extend(["row"] * (n_rows - 1))
        cols["row_number"].append(None)
        cols["file_error"].append(res.file_error)
        cols["missing_columns"].append(res.missing_columns)
        cols["unknown_columns"].append(res.unknown_columns)
        cols["empty_rows_skipped"].append(res.empty_rows_skipped)
        cols["data_rows"].append(len(res.rows))
        cols["extra_values_json"].append(None)
        for lst in canon_lists:
            lst.append(None)
        pad = [None] * (n_rows - 1)
        for name in ("file_error", "missing_columns", "unknown_columns", "empty_rows_skipped", "data_rows"):
            cols[name].extend(pad)
        for n, values, extra in res.rows:
            cols["row_number"].append(n)
            cols["extra_values_json"].append(extra)
            for lst, v in zip(canon_lists, values, strict=True):
                lst.append(v)

    return pd.DataFrame(
        {c: pd.array(cols[c], dtype="Int64" if c in _INT_COLUMNS else "string") for c in OUTPUT_COLUMNS}
    )


# --------------------------------------------------------------------------------------------
# Parquet: read by DuckDB itself (no Python per row)
# --------------------------------------------------------------------------------------------
#
# A Parquet landing file is a table whose column names are the contract headers, as in a CSV
# export of the form. It yields the same records as a CSV of the same table: header row 1, data
# row k numbered k + 1, values as text (numbers without a trailing ".0"), all-blank rows skipped
# and counted, unknown columns kept in extra_values_json. DuckDB reads the files in bulk with
# read_parquet(); Python only looks at the column names of each file.

#: extension of the landing files DuckDB reads itself.
PARQUET_EXTENSION = "parquet"
_GLOB_CHARS = frozenset("*?[]{}")
#: characters Python's str.strip() removes (what _row_is_blank treats as whitespace), as RE2.
_BLANK_RE2 = r"[\s\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*"
_RESERVED_PARQUET_COLUMNS = frozenset({"file_row_number", "__landing_file"})


def is_parquet(path: str) -> bool:
    """True for a landing file DuckDB reads itself (``.parquet``, any case)."""
    return _extension(path) == PARQUET_EXTENSION


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text_expr(column: str, duckdb_type: str) -> str:
    """SQL turning a Parquet column into the text the CSV/XLSX readers would give ('' -> NULL)."""
    c = _sql_ident(column)
    t = duckdb_type.upper()
    if t in ("FLOAT", "DOUBLE") or t.startswith("DECIMAL"):
        return (
            f"case when {c} = trunc({c}) and abs({c}) < 1e18 then cast(cast({c} as bigint) as varchar) "
            f"else cast({c} as varchar) end"
        )
    if t == "BOOLEAN":
        return f"case when {c} then 'TRUE' when not {c} then 'FALSE' end"
    if t.startswith("TIMESTAMP"):
        return (
            f"case when cast({c} as time) = time '00:00:00' then strftime({c}, '%Y-%m-%d') "
            f"else strftime({c}, '%Y-%m-%d %H:%M:%S') end"
        )
    return f"nullif(cast({c} as varchar), '')"


@dataclass
class _ParquetFile:
    source_file: str  # relative to the landing dir, '/' separators
    location: str  # the name DuckDB reads it by
    columns: tuple[tuple[str, str], ...] = ()  # (name, DuckDB type)
    file_error: str | None = None
    missing_columns: str | None = None
    unknown_columns: str | None = None
    readable: bool = False  # rows are read (no error that stops reading)

    @property
    def period_folder(self) -> str | None:
        parts = [p for p in self.source_file.split("/") if p]
        return parts[0] if len(parts) >= 2 else None


def _parquet_columns(connection, locations: list[str]) -> dict[str, list[tuple[str, tuple]] | str]:
    """Per file: its top-level columns as (name, Parquet type signature), or why DuckDB cannot read it."""

    def top_level(rows: list[tuple]) -> list[tuple[str, tuple]]:
        columns: list[tuple[str, tuple]] = []
        i = 1
        for _ in range((rows[0][1] or 0) if rows else 0):
            name, n, *signature = rows[i]
            columns.append((name, (n, *signature)))
            pending = n or 0  # skip the subtree of a nested column
            i += 1
            while pending:
                pending += (rows[i][1] or 0) - 1
                i += 1
        return columns

    def schema(batch: list[str]) -> dict[str, list[tuple]]:
        rows = connection.execute(
            "select file_name, name, num_children, type, converted_type, logical_type from parquet_schema(?)",
            [batch],
        ).fetchall()
        per_file: dict[str, list[tuple]] = {}
        for file_name, *row in rows:
            per_file.setdefault(file_name, []).append(tuple(row))
        return per_file

    out: dict[str, list[tuple[str, tuple]] | str] = {}
    try:
        per_file = schema(locations)
    except Exception:  # some file is not Parquet: find which, one by one
        per_file = {}
        for location in locations:
            try:
                per_file.update(schema([location]))
            except Exception as exc:
                out[location] = f"cannot read Parquet file: {str(exc).splitlines()[0]}"
    for location in locations:
        if location not in out:
            out[location] = top_level(per_file.get(location, []))
    return out


def _map_parquet_header(f: _ParquetFile) -> dict[str, str]:
    """canonical name -> Parquet column; records the file's header problems as the CSV reader does."""
    canon: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for j, (raw, _type) in enumerate(f.columns):
        name = _HEADER_LOOKUP.get(normalise_header(raw))
        if name is None:
            unknown.append(raw)
        elif name in canon:
            k, first = canon[name]
            duplicates.append(f"{_q(first)} ({_column_label(k)}) and {_q(raw)} ({_column_label(j)}) both map to {name}")
        else:
            canon[name] = (j, raw)
    f.unknown_columns = ",".join(unknown) or None
    missing = [c for c in REQUIRED_COLUMNS if c not in canon]
    f.missing_columns = ",".join(missing) or None
    reserved = sorted(_RESERVED_PARQUET_COLUMNS.intersection(raw for raw, _ in f.columns))
    if duplicates:
        f.file_error = "duplicate header: " + "; ".join(duplicates)
    elif reserved:
        f.file_error = f"column name reserved by the Parquet reader: {', '.join(reserved)}; rename the column"
    elif missing:
        # As for CSV/XLSX: the rows are still landed (and rejected for the file's error).
        f.file_error = "missing required columns: " + ", ".join(f"{CONTRACT_HEADERS[c]} ({c})" for c in missing)
    f.readable = not duplicates and not reserved
    return {name: raw for name, (_j, raw) in canon.items()}


def _parquet_group_sql(files: list[_ParquetFile], mapping: dict[str, str]) -> str:
    """SELECT of the raw rows of files sharing one column layout, with a blank-row flag."""
    types = dict(files[0].columns)
    texts = {raw: _text_expr(raw, t) for raw, t in files[0].columns}
    canonical = [
        f"{texts[mapping[c]]} as {c}" if c in mapping else f"cast(null as varchar) as {c}" for c in CANONICAL_COLUMNS
    ]
    extra = [raw for raw, _ in files[0].columns if raw not in mapping.values()]
    if extra:
        parts = " || ', ' || ".join(
            f"{_sql_text(json.dumps(raw, ensure_ascii=False) + ': ')} || "
            f"coalesce(cast(to_json({texts[raw]}) as varchar), 'null')"
            for raw in extra
        )
        extra_json = "'{' || " + parts + " || '}'"
    else:
        extra_json = "cast(null as varchar)"
    blank = " and ".join(f"coalesce(regexp_full_match({texts[raw]}, '{_BLANK_RE2}'), true)" for raw in types) or "true"
    locations = "[" + ", ".join(_sql_text(f.location) for f in files) + "]"
    return (
        f"select __landing_file, file_row_number as __n, {', '.join(canonical)}, "
        f"{extra_json} as extra_values_json, {blank} as __blank "
        f"from read_parquet({locations}, filename = '__landing_file')"
    )


def parquet_landing_sql(connection, files: Iterable[tuple[str, str]]) -> str | None:
    """SQL giving the landing records (``OUTPUT_COLUMNS``) of Parquet files, or None if there are none.

    ``files``: ``(path relative to the landing dir, name DuckDB reads it by)``; ignored files are
    skipped. ``connection`` (DuckDB) is used only to read the files' column names and types.
    """
    items = sorted((rel, loc) for rel, loc in files if not is_ignored(rel))
    if not items:
        return None
    found: list[_ParquetFile] = []
    plain: list[str] = []
    for rel, loc in items:
        f = _ParquetFile(rel, loc)
        if _GLOB_CHARS.intersection(loc):
            f.file_error = (
                "the file name contains one of * ? [ ] { }, which the Parquet reader treats as a pattern; rename it"
            )
        else:
            plain.append(loc)
        found.append(f)
    columns = _parquet_columns(connection, plain) if plain else {}
    # Files with the same column names and Parquet types are read by one read_parquet() call.
    groups: dict[tuple, list[_ParquetFile]] = {}
    for f in found:
        if f.file_error:
            continue
        layout = columns[f.location]
        if isinstance(layout, str):
            f.file_error = layout
            continue
        groups.setdefault(tuple(layout), []).append(f)
    selects: list[str] = []
    for group in groups.values():
        try:
            described = connection.execute(
                f"describe select * from read_parquet({_sql_text(group[0].location)})"
            ).fetchall()
        except Exception as exc:
            for f in group:
                f.file_error = f"cannot read Parquet file: {str(exc).splitlines()[0]}"
            continue
        for f in group:
            f.columns = tuple((row[0], row[1]) for row in described)
            mapping = _map_parquet_header(f)
        readable = [f for f in group if f.readable]
        if readable:
            selects.append(_parquet_group_sql(readable, mapping))

    file_rows = ", ".join(
        "("
        + ", ".join(
            "null" if v is None else _sql_text(v) if isinstance(v, str) else str(v)
            for v in (
                f.source_file,
                f.location,
                f.period_folder,
                1 if f.columns else None,  # the column names play the header row
                f.file_error,
                f.missing_columns,
                f.unknown_columns,
            )
        )
        + ")"
        for f in found
    )
    landed = " union all ".join(selects) or (
        "select cast(null as varchar) as __landing_file, cast(null as bigint) as __n, "
        + ", ".join(f"cast(null as varchar) as {c}" for c in CANONICAL_COLUMNS)
        + ", cast(null as varchar) as extra_values_json, true as __blank where false"
    )
    canonical = ", ".join(f"landed.{c}" for c in CANONICAL_COLUMNS)
    nulls = ", ".join(f"cast(null as varchar) as {c}" for c in CANONICAL_COLUMNS)
    return f"""
with
files (source_file, location, period_folder, header_row, file_error, missing_columns, unknown_columns) as (
    values {file_rows}
),
landed as not materialized (
    {landed}
),
file_stats as (
    select __landing_file, count(*) filter (where not __blank) as data_rows,
        max(__n) filter (where not __blank) as last_data_row,
        count(*) filter (where __blank) as blank_rows
    from landed
    group by __landing_file
),
skipped as (
    select landed.__landing_file, count(*) as empty_rows_skipped
    from landed
    inner join file_stats on landed.__landing_file = file_stats.__landing_file
    where file_stats.blank_rows > 0 and landed.__blank and landed.__n < file_stats.last_data_row
    group by landed.__landing_file
)
select
    'file' as record_type, files.source_file, files.period_folder, 'parquet' as file_format,
    cast(null as varchar) as encoding, cast(null as varchar) as sheet_name,
    cast(files.header_row as bigint) as header_row, cast(null as bigint) as row_number,
    cast(files.file_error as varchar) as file_error, cast(files.missing_columns as varchar) as missing_columns,
    cast(files.unknown_columns as varchar) as unknown_columns,
    cast(coalesce(skipped.empty_rows_skipped, 0) as bigint) as empty_rows_skipped,
    cast(coalesce(file_stats.data_rows, 0) as bigint) as data_rows,
    cast(null as varchar) as extra_values_json, {nulls}
from files
left join file_stats on files.location = file_stats.__landing_file
left join skipped on files.location = skipped.__landing_file
union all
select
    'row', files.source_file, files.period_folder, 'parquet', null, null,
    cast(files.header_row as bigint), cast(landed.__n + 2 as bigint),
    null, null, null, cast(null as bigint), cast(null as bigint),
    landed.extra_values_json, {canonical}
from landed
inner join files on landed.__landing_file = files.location
where not landed.__blank
"""


def load_landing(connection, blobs, landing_dir: str):
    """The records of every landing file, as the dbt loader model returns them.

    ``blobs`` is DuckDB's ``read_blob('<landing_dir>/**')`` relation (the dbt source). Without
    Parquet files this is exactly ``parse_landing_files`` over every file's bytes (a DataFrame).
    With Parquet files, only the CSV/XLSX bytes are fetched and parsed in Python; the Parquet files
    are read by DuckDB itself and the result is a DuckDB relation: the parsed records union all the
    Parquet records, in ``OUTPUT_COLUMNS`` layout.
    """
    names = [name for (name,) in blobs.project("filename").fetchall()]
    parquet = [(relative_path(n, landing_dir), n) for n in names if is_parquet(n)]
    if not any(not is_ignored(rel) for rel, _ in parquet):
        rows = blobs.project("filename, content").fetchall()
        return parse_landing_files((relative_path(n, landing_dir), bytes(c)) for n, c in rows)
    others = [n for n in names if not is_parquet(n) and not is_ignored(relative_path(n, landing_dir))]
    if any(_GLOB_CHARS.intersection(n) for n in others):
        wanted = set(others)  # a name read_blob would take for a pattern: fetch all, keep these
        rows = [(n, c) for n, c in blobs.project("filename, content").fetchall() if n in wanted]
    elif others:
        rows = connection.execute("select filename, content from read_blob(?)", [others]).fetchall()
    else:
        rows = []
    parsed = parse_landing_files((relative_path(n, landing_dir), bytes(c)) for n, c in rows)
    columns = ", ".join(_sql_ident(c) for c in OUTPUT_COLUMNS)
    parquet_sql = parquet_landing_sql(connection, parquet)
    return connection.from_df(parsed).project(columns).union(connection.sql(parquet_sql).project(columns))
