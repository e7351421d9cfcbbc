"""XLSX landing files: the first worksheet, read by openpyxl (DuckDB has no exact XLSX reader).

Cached values of formulas; numbers as text without ``.0``; a cell covered by a merged range spanning
several rows gets the range's top-left value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from genai_report.landing.contract import quoted
from genai_report.landing.table import Cell, FileResult, tabulate

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


#: what a workbook may declare uncompressed before it is opened: above both, it is taken for a ZIP
#: bomb (a form of 10^5 rows is some 50 MB of XML, compressed about 10 times).
MAX_DECLARED_BYTES = 64 << 20
MAX_DECLARED_RATIO = 100


def zip_bomb_error(data: bytes) -> str | None:
    """The error for a workbook whose parts declare far more bytes than the file has, else None.

    Python's zipfile never inflates a part past its declared size, so checking the declared sizes
    bounds what openpyxl can be made to hold."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None  # not a ZIP archive: openpyxl's failure words it
    if declared > MAX_DECLARED_BYTES and declared > MAX_DECLARED_RATIO * len(data):
        return (
            f"cannot read workbook: a ZIP bomb: its parts declare {declared:,} bytes uncompressed, "
            f"{declared // max(len(data), 1):,} times the file's {len(data):,} bytes "
            f"(limit {MAX_DECLARED_BYTES:,} bytes or {MAX_DECLARED_RATIO} times); the file was not opened"
        )
    return None


def read_xlsx(data: bytes, res: FileResult) -> None:
    if not data:
        res.file_error = "empty file"
        return
    bomb = zip_bomb_error(data)
    if bomb is not None:
        res.file_error = bomb
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
    tabulate(
        _apply_merges(raw_rows, merges),
        res,
        f"empty file (the first worksheet {quoted(res.sheet_name or '')} has no values)",
    )
