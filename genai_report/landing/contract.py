"""The submission form as the landing reader sees it: headers, output layout, which files count.

The form's columns (canonical name, Japanese header, required or not) come from the report contract
(genai_report.contract, which reads ``seeds/reference/submission_columns.csv``, the one place they are
declared: docs/spec/submission-form.md, "Columns"). Nothing here touches a landing file's bytes.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import unicodedata

from genai_report import contract

#: canonical name -> contract header text (JA), in output order (the seed's column_order).
CONTRACT_HEADERS: dict[str, str] = contract.form_headers()
#: the columns a file must have (the seed's is_required).
REQUIRED_COLUMNS: tuple[str, ...] = tuple(column.name for column in contract.columns() if column.required)
CANONICAL_COLUMNS: tuple[str, ...] = tuple(CONTRACT_HEADERS)
#: the header row must be within the first this-many rows of the file / worksheet.
HEADER_SEARCH_ROWS = 10

META_STRING_COLUMNS = ("record_type", "source_file", "period_folder", "file_format", "encoding", "sheet_name")
INT_COLUMNS = frozenset({"header_row", "row_number", "empty_rows_skipped", "data_rows"})
OUTPUT_COLUMNS: tuple[str, ...] = (
    *META_STRING_COLUMNS,
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
#: What the landing records relation carries: OUTPUT_COLUMNS plus the md5 (hex) of the file's bytes,
#: set on the 'file' record and NULL on 'row' records.
RECORD_COLUMNS: tuple[str, ...] = (*OUTPUT_COLUMNS, "file_checksum")


def duckdb_type(column: str) -> str:
    return "BIGINT" if column in INT_COLUMNS else "VARCHAR"


# Whitespace (Python's definition covers line breaks, tabs, U+3000 ideographic space, ...) plus
# invisible characters that survive copy/paste from web pages and Word.
_HEADER_JUNK = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def normalise_header(text: str) -> str:
    """Header-name normalisation: Unicode NFKC, then remove all whitespace (incl. line breaks)."""
    return _HEADER_JUNK.sub("", unicodedata.normalize("NFKC", text))


HEADER_LOOKUP: dict[str, str] = {normalise_header(ja): name for name, ja in CONTRACT_HEADERS.items()}
#: characters Python's str.strip() removes (what a blank cell may hold), as an RE2 class for DuckDB.
BLANK_RE2 = r"[\s\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*"


def column_label(index0: int) -> str:
    """'column 5 (E)' for a 0-based column index."""
    n = index0 + 1
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"column {index0 + 1} ({letters})"


def quoted(text: str) -> str:
    """Quote a header text for a message (line breaks become visible as \\n)."""
    return json.dumps(text, ensure_ascii=False)


def sql_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------

#: extension of the landing files DuckDB reads itself.
PARQUET_EXTENSION = "parquet"
#: characters DuckDB's file readers take for a glob pattern.
GLOB_CHARS = frozenset("*?[]{}")


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


def extension(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not ext:
        return None
    return ext.lower()


def is_parquet(path: str) -> bool:
    """True for a landing file DuckDB reads itself (``.parquet``, any case)."""
    return extension(path) == PARQUET_EXTENSION


def period_folder(source_file: str) -> str | None:
    parts = [p for p in source_file.split("/") if p]
    return parts[0] if len(parts) >= 2 else None


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
