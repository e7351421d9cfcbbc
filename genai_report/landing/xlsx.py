"""XLSX landing files: the first worksheet, with the values openpyxl gives (DuckDB has no exact XLSX reader).

Cached values of formulas; numbers as text without ``.0``; a cell covered by a merged range spanning
several rows gets the range's top-left value.

The sheet is read directly (ElementTree over the sheet's XML, the shared strings and the date styles
as openpyxl reads them), which is several times faster than openpyxl's read-only worksheet for the
same values; a workbook that holds a date cell or an unusual layout is read by openpyxl itself.
tests/python/test_landing_xlsx_reader.py holds the two equal on every workbook of the tests.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from xml.etree.ElementTree import fromstring, iterparse

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


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WORKBOOK_CONTENT = re.compile(
    r"application/vnd\.(ms-excel\.(sheet|template)\.macroEnabled|"
    r"openxmlformats-officedocument\.spreadsheetml\.(sheet|template))\.main\+xml"
)
_COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}")


class _LeftToOpenpyxl(Exception):
    """The workbook holds something the direct reader leaves to openpyxl (a date, an unusual layout)."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


_SHARED_STRINGS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
#: openpyxl reads the styles from this part, whatever the relationships say.
_STYLES_PART = "xl/styles.xml"


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[str, str, str | None]:
    """(first worksheet's title, its part, the shared strings part), found as openpyxl finds them:
    the workbook and the shared strings by content type, the sheets in workbook order by relationship."""
    overrides = [
        (override.get("PartName", "").lstrip("/"), override.get("ContentType", ""))
        for override in fromstring(archive.read("[Content_Types].xml"))
        if override.tag.endswith("Override")
    ]
    workbooks = [part for part, content in overrides if _WORKBOOK_CONTENT.fullmatch(content)]
    strings = [part for part, content in overrides if content == _SHARED_STRINGS_CONTENT]
    if len(workbooks) != 1 or len(strings) > 1:
        raise _LeftToOpenpyxl
    folder, name = posixpath.split(workbooks[0])
    targets = {}
    for relation in fromstring(archive.read(posixpath.join(folder, "_rels", name + ".rels"))).iter(_RELATIONSHIP):
        target = relation.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[relation.get("Id")] = (relation.get("Type", "").rsplit("/", 1)[-1], part)
    for sheet in fromstring(archive.read(workbooks[0])).iter(_MAIN + "sheet"):
        kind, part = targets.get(sheet.get(_RELATIONSHIP_ID), ("", ""))
        if kind == "worksheet" and part in archive.NameToInfo:
            return sheet.get("name"), part, strings[0] if strings else None
        if kind not in ("worksheet", "chartsheet"):
            raise _LeftToOpenpyxl
    raise _LeftToOpenpyxl


def _inline_text(element) -> str:
    """openpyxl's Text.content: the plain text and the rich-text runs, without phonetic runs."""
    plain = element.find(_MAIN + "t")
    snippets = [plain.text or ""] if plain is not None else []
    snippets += [run.findtext(_MAIN + "t") or "" for run in element.iterfind(_MAIN + "r")]
    return "".join(snippets)


def _direct_rows(data: bytes) -> tuple[str, list[tuple], str]:
    """(sheet title, rows, sheet part) as openpyxl's read-only values_only iteration gives them
    (dimensions reset); raises _LeftToOpenpyxl where only openpyxl reads the workbook exactly."""
    from openpyxl.reader.strings import read_string_table
    from openpyxl.styles.stylesheet import Stylesheet

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        title, sheet_part, strings_part = _workbook_parts(archive)
        if _STYLES_PART not in archive.NameToInfo:
            raise _LeftToOpenpyxl
        date_styles = Stylesheet.from_tree(fromstring(archive.read(_STYLES_PART))).date_formats
        strings = []
        if strings_part is not None and strings_part in archive.NameToInfo:
            with archive.open(strings_part) as source:
                strings = read_string_table(source)
        rows: list[tuple] = []
        row_tag, cell_tag, value_tag, inline_tag, text_tag = (_MAIN + t for t in ("row", "c", "v", "is", "t"))
        columns: dict[str, int] = {}  # column letters -> number, decided once per letters
        row_number = 0
        with archive.open(sheet_part) as source:
            for _event, element in iterparse(source):
                if element.tag != row_tag:
                    continue
                index = element.get("r")
                row_number = int(index) if index is not None else row_number + 1
                digits = str(row_number)
                cells: dict[int, object] = {}
                column = 0  # after the loop: the last cell's column, which is the row's width to openpyxl
                for cell in element:
                    if cell.tag != cell_tag:
                        raise _LeftToOpenpyxl
                    coordinate = cell.get("r")
                    if coordinate is None:
                        column += 1
                    else:
                        letters = coordinate[: len(coordinate) - len(digits)]
                        column = columns.get(letters, 0)
                        if not column:
                            if not coordinate.endswith(digits) or not _COLUMN_LETTERS.fullmatch(letters):
                                raise _LeftToOpenpyxl
                            column = columns[letters] = _column_number(letters)
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        inline = cell.find(inline_tag)
                        if inline is None:
                            value = None
                        elif len(inline) == 1 and inline[0].tag == text_tag:
                            value = inline[0].text or ""
                        else:
                            value = _inline_text(inline)
                    else:
                        value = cell.findtext(value_tag) or None
                        if value is not None:
                            if kind == "s":
                                value = strings[int(value)]
                            elif kind == "n":
                                if int(cell.get("s") or 0) in date_styles:
                                    raise _LeftToOpenpyxl
                                value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                            elif kind == "b":
                                value = bool(int(value))
                            elif kind not in ("str", "e"):
                                raise _LeftToOpenpyxl
                    cells[column] = value
                element.clear()
                if row_number <= len(rows):
                    continue  # openpyxl skips a row numbered at or before one it has given
                rows.extend([()] * (row_number - 1 - len(rows)))
                rows.append(tuple(cells.get(c) for c in range(1, column + 1)) if cells else ())
    return title, rows, sheet_part


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


def _openpyxl_rows(data: bytes) -> tuple[str | None, list[tuple], str | None]:
    """(sheet title or None when the workbook has no worksheet, rows, sheet part) read by openpyxl."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not wb.worksheets:
            return None, [], None
        ws = wb.worksheets[0]
        # Dimensions written by some tools are wrong; never let them truncate the data.
        ws.reset_dimensions()
        return ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)], getattr(ws, "_worksheet_path", None)
    finally:
        wb.close()


def read_xlsx(data: bytes, res: FileResult) -> None:
    if not data:
        res.file_error = "empty file"
        return
    bomb = zip_bomb_error(data)
    if bomb is not None:
        res.file_error = bomb
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The parse allocates an object per cell and frees it at once (no reference cycles): the
            # cyclic collector, run meanwhile, would only walk the rows kept so far, again and again.
            collecting = gc.isenabled()
            gc.disable()
            try:
                res.sheet_name, raw_rows, sheet_path = _direct_rows(data)
            except Exception:  # a date, an unusual layout or a damaged file: openpyxl reads it (or words the error)
                res.sheet_name, raw_rows, sheet_path = _openpyxl_rows(data)
            finally:
                if collecting:
                    gc.enable()
            if res.sheet_name is None:
                res.file_error = "the workbook has no worksheet"
                return
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
