"""CSV landing files: encoding detection, then DuckDB's CSV reader where it is exact, else Python's.

Encoding: UTF-8 with BOM, UTF-8, CP932 -- never mojibake, never mixed; UTF-8 text carrying U+FFFD,
the trace of an earlier lossy conversion, is refused. Decoding stays in Python (DuckDB cannot read
CP932, nor tell CP932 from UTF-8).

Rows: :func:`read_csv` is the reference reader (Python's csv module, strict). :func:`land_csv_duckdb`
gives the same records with DuckDB's ``read_csv`` and writes them to a Parquet part; it declines (and
the caller uses the reference reader) whenever the file has a feature DuckDB reads differently:
empty lines (DuckDB skips them, which would shift row numbers), mixed or bare-CR line ends, a quote
after leading spaces (DuckDB trims them), control characters DuckDB escapes differently in JSON, a
file Python finds malformed, no header row or a duplicate header, or a record count that differs.
Python's own pass over the records (C speed, no per-row Python work) decides all that.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from genai_report.contract import sql_string
from genai_report.landing.contract import (
    BLANK_RE2,
    CANONICAL_COLUMNS,
    GLOB_CHARS,
    HEADER_SEARCH_ROWS,
    RECORD_COLUMNS,
    duckdb_type,
)
from genai_report.landing.table import Cell, FileResult, HeaderMap, find_header, map_header, tabulate

_UTF8_BOM = codecs.BOM_UTF8
# Bytes Python's cp932 codec accepts although they are no Shift_JIS character.
_CP932_NON_CHARS = frozenset("\x80\uf8f0\uf8f1\uf8f2\uf8f3")
_CP932_NAME = "CP932/Shift_JIS"


def _cp932_line(line: bytes) -> bool:
    try:
        text = line.decode("cp932")
    except UnicodeDecodeError:
        return False
    return _CP932_NON_CHARS.isdisjoint(text)


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


def decode_csv(data: bytes) -> tuple[str | None, str | None, str | None]:
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


def _raise_field_limit(length: int) -> None:
    if length + 1 > csv.field_size_limit():
        csv.field_size_limit(min(length + 1, 2**31 - 1))


def _csv_rows(text: str) -> Iterator[list[Cell]]:
    _raise_field_limit(len(text))
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


def read_csv(data: bytes, res: FileResult) -> None:
    """The reference CSV reader: every record through Python's csv module and the table logic."""
    if not data:
        res.file_error = "empty file"
        return
    text, encoding, error = decode_csv(data)
    if error is not None:
        res.file_error = error
        return
    assert text is not None
    res.encoding = encoding
    try:
        tabulate(_csv_rows(text), res, "empty file")
    except _CsvError as exc:
        res.file_error = str(exc)
        res.clear_table()


# --------------------------------------------------------------------------------------------
# DuckDB's reader, where it gives exactly what read_csv gives
# --------------------------------------------------------------------------------------------

#: a quote after spaces at the start of a field: Python keeps ` "x"` verbatim, DuckDB reads `x`.
_SPACE_QUOTE = re.compile(r'(?:^|[,\r\n])[ \t\f\v]+"')
_SPACES = " \t\f\v"
#: control characters DuckDB's to_json escapes with upper-case hex (Python: lower case).
#: (searched in the bytes: in UTF-8 and CP932 these bytes only ever stand for themselves)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: DuckDB reads a line of at most this many bytes; larger files go to Python.
_MAX_LINE = 1 << 30
#: the smallest max_line_size asked of DuckDB. Its CSV buffer is 16 times max_line_size and counts
#: against memory_limit, so it is sized to the batch's largest file, never to _MAX_LINE (16 GiB).
_MIN_LINE = 1 << 20


def _line_ends(text: str) -> str | None:
    """'\\r\\n' for a file with CRLF line ends (a bare LF may stand inside a quoted cell, as Excel writes
    a line break in a cell), '\\n' for one without any CR; None when a bare CR occurs."""
    crlf = text.count("\r\n")
    if crlf:
        return "\\r\\n" if text.count("\r") == crlf else None
    return None if "\r" in text else "\\n"


def _survey(text: str, fields: bool) -> tuple[int, int, int, list[list[Cell]]] | None:
    """(records, widest record, characters in all fields, the first records) if every record is
    well-formed and none is empty.

    ``fields``: also decline a field that starts with spaces and a quote (Python keeps ` "x"` as it
    is, DuckDB reads `x`); only asked for when the text has such a sequence somewhere.
    """
    _raise_field_limit(len(text))
    first: list[list[Cell]] = []
    count = width = chars = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), strict=True):
            if not record:
                return None  # an empty line: DuckDB would skip it
            count += 1
            chars += sum(map(len, record))
            if len(record) > width:
                width = len(record)
            if count <= HEADER_SEARCH_ROWS:
                first.append([v if v != "" else None for v in record])
            if fields and any(v[:1] in _SPACES and v.lstrip(_SPACES)[:1] == '"' for v in record if v):
                return None
    except csv.Error:
        return None
    return count, width, chars, first


@dataclass
class CsvPlan:
    """A CSV file DuckDB's reader can land exactly, with what Python's first pass learnt of it."""

    res: FileResult
    location: str  # the name DuckDB reads it by (the file itself or a UTF-8 copy)
    new_line: str
    records: int
    chars: int  # characters in all fields, as Python reads them (DuckDB must read as many)
    width: int
    header_index: int  # 0-based record index of the header row
    header: HeaderMap
    size: int  # bytes of the file as landed (no line of it is longer)
    extra: list[tuple[str, int]] = field(default_factory=list)

    @property
    def first_data(self) -> int:
        return self.header_index + 2  # record number of the first record below the header


def plan_csv(data: bytes, res: FileResult, location: str | None, copy: Path) -> CsvPlan | None:
    """Python's checks of one CSV file for DuckDB's reader; None: read it with :func:`read_csv`.

    ``location``: the name DuckDB can read the file by (None: not readable by name). When DuckDB
    cannot read the file itself (CP932, a name read as a pattern), a UTF-8 copy is written to ``copy``.
    """
    if not data or len(data) >= _MAX_LINE:
        return None
    text, encoding, error = decode_csv(data)
    if error is not None or not text:
        return None
    new_line = _line_ends(text)
    if new_line is None or _CONTROL.search(data):
        return None
    surveyed = _survey(text, '"' in text and _SPACE_QUOTE.search(text) is not None)
    if surveyed is None:
        return None
    records, width, chars, first = surveyed
    h = find_header(first)
    if h is None:
        return None
    header = map_header(first[h])
    if header.duplicates:
        return None
    if encoding == "cp932" or location is None or GLOB_CHARS.intersection(location):
        copy.write_text(text, encoding="utf-8", newline="")
        location = str(copy)
        size = copy.stat().st_size
    else:
        size = len(data)
    res.encoding = encoding
    res.header_row = h + 1
    res.missing_columns = ",".join(header.missing) or None
    res.file_error = header.missing_error()
    return CsvPlan(res, location, new_line, records, chars, width, h, header, size)


def _blank_sql(column: str) -> str:
    return f"coalesce(regexp_full_match({column}, '{BLANK_RE2}'), true)"


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return sql_string(str(value))


def _raw_sql(plans: list[CsvPlan]) -> str:
    """Every record of the files, numbered in file order (__g) across the files (__f = file index)."""
    width = max(p.width for p in plans)
    max_line = max(_MIN_LINE, *(p.size + 1 for p in plans))
    columns = [f"c{j}" for j in range(width)]
    locations = "[" + ", ".join(sql_string(p.location) for p in plans) + "]"
    reader = (
        f"read_csv({locations}, header = false, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', comment = '', null_padding = true, strict_mode = true, "
        f"all_varchar = true, parallel = false, max_line_size = {max_line}, encoding = 'utf-8', "
        "columns = {" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "})"
    )
    # row_number() over () keeps the scan's order (DuckDB's order preservation; checked by the caller).
    return f"(select row_number() over () as __g, file_index as __f, {', '.join(columns)} from {reader})"


def _files_sql(plans: list[CsvPlan], *extra: tuple[str, Callable[[CsvPlan], object]]) -> str:
    starts = [0]
    for p in plans[:-1]:
        starts.append(starts[-1] + p.records)
    names = ["__f", "__start", "__first_data", *(name for name, _ in extra)]
    rows = ", ".join(
        "(" + ", ".join([str(i), str(start), str(p.first_data), *(_literal(fn(p)) for _, fn in extra)]) + ")"
        for i, (p, start) in enumerate(zip(plans, starts, strict=True))
    )
    return f"files ({', '.join(names)}) as (values {rows})"


def _check(cursor, plans: list[CsvPlan]) -> bool:
    """Does DuckDB see each file's records, in order and with as many characters, as Python did? Also
    finds the columns without a header that hold values (kept as (列N))."""
    candidates = sorted(
        {j for p in plans for j in range(p.width) if j in p.header.blank_header_columns or j >= p.header.width}
    )
    valued = "".join(
        f", bool_or(not {_blank_sql(f'c{j}')}) filter (where __g - __start >= __first_data)" for j in candidates
    )
    width = max(p.width for p in plans)
    chars = " + ".join(f"coalesce(length(c{j}), 0)" for j in range(width))
    sql = (
        f"with {_files_sql(plans)} select __f, count(*), min(__g - __start), max(__g - __start), "
        f"sum({chars}){valued} "
        f"from {_raw_sql(plans)} inner join files using (__f) group by __f"
    )
    try:
        found = {row[0]: row[1:] for row in cursor.execute(sql).fetchall()}
    except duckdb.Error:  # e.g. line ends DuckDB will not take: Python's reader then
        return False
    for i, p in enumerate(plans):
        count, first, last, chars, *values = found.get(i, (0, None, None, None))
        if (count, first, last, chars) != (p.records, 1, p.records, p.chars):
            return False
        own = [j for j in range(p.width) if j in p.header.blank_header_columns or j >= p.header.width]
        p.extra = p.header.extra_columns(j for j, v in zip(candidates, values, strict=True) if v and j in own)
        p.res.unknown_columns = ",".join(k for k, _ in p.extra) or None
    return True


def _copy_sql(plans: list[CsvPlan], part: Path) -> str:
    """COPY the records of files sharing one column mapping to the Parquet file ``part``."""
    first = plans[0]
    canonical = [
        f"nullif(c{first.header.canon_index[c]}, '') as {c}"
        if c in first.header.canon_index
        else f"cast(null as varchar) as {c}"
        for c in CANONICAL_COLUMNS
    ]
    if first.extra:
        pieces = " || ', ' || ".join(
            f"{sql_string(json.dumps(key, ensure_ascii=False) + ': ')} || "
            f"coalesce(cast(to_json(nullif(c{j}, '')) as varchar), 'null')"
            for key, j in first.extra
        )
        extra_json = "'{' || " + pieces + " || '}'"
    else:
        extra_json = "cast(null as varchar)"
    width = max(p.width for p in plans)
    blank = " and ".join(_blank_sql(f"c{j}") for j in range(width))
    meta = ("source_file", "period_folder", "encoding", "header_row", "file_error", "missing_columns")
    files = _files_sql(
        plans,
        *((name, (lambda p, name=name: getattr(p.res, name))) for name in meta),
        ("unknown_columns", lambda p: p.res.unknown_columns),
        ("file_checksum", lambda p: p.res.file_checksum),
    )
    file_values = {
        "record_type": "'file'",
        "file_format": "'csv'",
        "empty_rows_skipped": "coalesce(skipped.n, 0)",
        "data_rows": "coalesce(stats.data_rows, 0)",
    }
    row_values = {
        "record_type": "'row'",
        "file_format": "'csv'",
        "row_number": "__n",
        "extra_values_json": "extra_values_json",
        **{c: c for c in CANONICAL_COLUMNS},
    }
    row_meta = {"source_file", "period_folder", "encoding", "header_row"}

    def select(values: dict[str, str], from_files: set[str]) -> str:
        out = []
        for c in RECORD_COLUMNS:
            value = values.get(c, f"files.{c}" if c in from_files else "null")
            out.append(f"cast({value} as {duckdb_type(c)}) as {c}")
        return ", ".join(out)

    return f"""copy (
with {files},
landed as (
    select __f, __g - __start as __n, {", ".join(canonical)}, {extra_json} as extra_values_json, {blank} as __blank
    from {_raw_sql(plans)} inner join files using (__f)
    where __g - __start >= __first_data
),
stats as (
    select __f, count(*) filter (where not __blank) as data_rows, max(__n) filter (where not __blank) as last_row
    from landed
    group by __f
),
skipped as (
    select __f, count(*) as n
    from landed inner join stats using (__f)
    where __blank and __n < stats.last_row
    group by __f
)
select {select(file_values, set(meta) | {"unknown_columns", "file_checksum"})}
from files left join stats using (__f) left join skipped using (__f)
union all
select {select(row_values, row_meta)}
from landed inner join files using (__f)
where not __blank
) to {sql_string(str(part))} (format parquet)"""


def land_csv_duckdb(cursor, plans: list[CsvPlan], new_part: Callable[[], Path]) -> list[CsvPlan]:
    """Land planned CSV files with DuckDB's reader into Parquet parts; returns the plans it did not land
    (DuckDB saw their records differently), for :func:`read_csv`."""
    declined: list[CsvPlan] = []
    for new_line in sorted({p.new_line for p in plans}):
        group = [p for p in plans if p.new_line == new_line]
        if not _check(cursor, group):
            if len(group) == 1:
                declined.extend(group)
                continue
            # find the file(s) DuckDB reads differently: check them one by one
            group = [p for p in group if _check(cursor, [p]) or declined.append(p)]
        layouts: dict[tuple, list[CsvPlan]] = {}
        for p in group:
            key = (tuple(sorted(p.header.canon_index.items())), tuple(p.extra))
            layouts.setdefault(key, []).append(p)
        for same in layouts.values():
            part = new_part()
            try:
                cursor.execute(_copy_sql(same, part))
            except duckdb.Error:
                part.unlink(missing_ok=True)  # the caller keeps only the parts that exist
                declined.extend(same)
    return declined
