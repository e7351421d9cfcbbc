"""Table logic shared by every reader of a sheet-like file (CSV, XLSX): header row, column mapping,
data rows, and the per-file result the records are made of."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from genai_report.landing.contract import (
    CANONICAL_COLUMNS,
    CONTRACT_HEADERS,
    HEADER_LOOKUP,
    HEADER_SEARCH_ROWS,
    REQUIRED_COLUMNS,
    column_label,
    extension,
    normalise_header,
    period_folder,
    quoted,
)

Cell = str | None


@dataclass
class FileResult:
    """One landing file as read: its 'file' record fields and its data rows."""

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
    file_checksum: str | None = None
    # (row_number, the canonical values, extra_values_json)
    rows: list[tuple[int, list[Cell], str | None]] = field(default_factory=list)

    @classmethod
    def for_path(cls, path: str) -> FileResult:
        return cls(source_file=path, period_folder=period_folder(path), file_format=extension(path))

    def clear_table(self) -> None:
        """Forget what was read of the table (the file turned out unreadable)."""
        self.rows.clear()
        self.header_row = None
        self.missing_columns = self.unknown_columns = None
        self.empty_rows_skipped = 0


def is_blank(value: Cell) -> bool:
    return value is None or value.strip() == ""


def row_is_blank(row: Sequence[Cell]) -> bool:
    return all(v is None or v.strip() == "" for v in row)


def _header_hits(row: Sequence[Cell]) -> set[str]:
    hits = set()
    for v in row:
        if v is not None:
            name = HEADER_LOOKUP.get(normalise_header(v))
            if name is not None:
                hits.add(name)
    return hits


def find_header(first_rows: Sequence[Sequence[Cell]]) -> int | None:
    """Index (0-based) of the header row among the first rows, or None."""
    hits = [_header_hits(r) for r in first_rows]
    for i, h in enumerate(hits):
        if all(c in h for c in REQUIRED_COLUMNS):
            return i
    for i, h in enumerate(hits):
        if len(h) >= 2:
            return i
    return None


def no_header_error(first_rows: Sequence[Sequence[Cell]], rest: Iterable[Sequence[Cell]], empty_message: str) -> str:
    if all(row_is_blank(r) for r in first_rows) and all(row_is_blank(r) for r in rest):
        return empty_message
    return (
        f"no header row with the required columns in the first {HEADER_SEARCH_ROWS} rows "
        f"(required: {', '.join(CONTRACT_HEADERS[c] for c in REQUIRED_COLUMNS)})"
    )


@dataclass
class HeaderMap:
    """How a header row maps to the contract."""

    width: int
    canon_index: dict[str, int]  # canonical name -> column index
    unknown: dict[int, str]  # column index -> original header text (not in the contract)
    duplicates: list[str]
    missing: list[str]

    @property
    def blank_header_columns(self) -> list[int]:
        known = set(self.canon_index.values()) | set(self.unknown)
        return [j for j in range(self.width) if j not in known]

    def extra_columns(self, headerless: Iterable[int]) -> list[tuple[str, int]]:
        """(key in extra_values_json, column index) of every column outside the contract; a column
        without a header is kept as (列N) when ``headerless`` says some data row has a value there."""
        unknown = dict(self.unknown)
        for j in headerless:
            unknown[j] = f"(列{j + 1})"
        extra: list[tuple[str, int]] = []
        used: set[str] = set()
        for j in sorted(unknown):
            key = unknown[j]
            if key in used:
                key = f"{key} (列{j + 1})"
            used.add(key)
            extra.append((key, j))
        return extra

    def missing_error(self) -> str | None:
        if not self.missing:
            return None
        return "missing required columns: " + ", ".join(f"{CONTRACT_HEADERS[c]} ({c})" for c in self.missing)


def map_header(header: Sequence[Cell]) -> HeaderMap:
    canon_index: dict[str, int] = {}
    unknown: dict[int, str] = {}
    duplicates: list[str] = []
    for j, raw in enumerate(header):
        if raw is None:
            continue
        key = normalise_header(raw)
        if key == "":
            continue  # empty header cell: handled as (列N) if it has values
        name = HEADER_LOOKUP.get(key)
        if name is None:
            unknown[j] = raw
        elif name in canon_index:
            k = canon_index[name]
            first = quoted(header[k] or "")
            duplicates.append(f"{first} ({column_label(k)}) and {quoted(raw)} ({column_label(j)}) both map to {name}")
        else:
            canon_index[name] = j
    missing = [c for c in REQUIRED_COLUMNS if c not in canon_index]
    return HeaderMap(len(header), canon_index, unknown, duplicates, missing)


def tabulate(rows: Iterable[Sequence[Cell]], res: FileResult, empty_message: str) -> None:
    """Find the header, map columns and collect data rows into ``res``. Rows are numbered from 1."""
    it = iter(rows)
    first: list[Sequence[Cell]] = []
    for row in it:
        first.append(row)
        if len(first) == HEADER_SEARCH_ROWS:
            break
    h = find_header(first)
    if h is None:
        res.file_error = no_header_error(first, it, empty_message)
        return
    res.header_row = h + 1
    header = first[h]
    hmap = map_header(header)
    if hmap.missing:
        res.missing_columns = ",".join(hmap.missing)
    if hmap.duplicates:
        res.file_error = "duplicate header: " + "; ".join(hmap.duplicates)
        res.unknown_columns = ",".join(hmap.unknown.values()) or None
        return

    # Data rows: skip fully empty ones; count only the empty rows that lie between the header
    # and the last non-empty row (trailing empty/formatted rows are not counted).
    data: list[tuple[int, Sequence[Cell]]] = []
    pending_empty = 0
    skipped = 0
    row_number = h + 1
    for row in chain(first[h + 1 :], it):
        row_number += 1
        if row_is_blank(row):
            pending_empty += 1
            continue
        skipped += pending_empty
        pending_empty = 0
        data.append((row_number, row))
    res.empty_rows_skipped = skipped

    # Columns without a header: kept as (列N) iff some data row has a non-blank value there.
    header_width = hmap.width
    blank_header_cols = hmap.blank_header_columns
    headerless: set[int] = set()
    for _, row in data:
        for j in blank_header_cols:
            if j < len(row) and j not in headerless and not is_blank(row[j]):
                headerless.add(j)
        if len(row) > header_width:
            for j in range(header_width, len(row)):
                if j not in headerless and not is_blank(row[j]):
                    headerless.add(j)
    extra_cols = hmap.extra_columns(headerless)
    if extra_cols:
        res.unknown_columns = ",".join(k for k, _ in extra_cols)
    res.file_error = hmap.missing_error()

    positions = [hmap.canon_index.get(c) for c in CANONICAL_COLUMNS]
    for n, row in data:
        width = len(row)
        values = [row[j] if j is not None and j < width else None for j in positions]
        extra = None
        if extra_cols:
            extra = json.dumps({k: (row[j] if j < width else None) for k, j in extra_cols}, ensure_ascii=False)
        res.rows.append((n, values, extra))
