"""The landing records: every landing file, read file by file, as one DuckDB relation.

:func:`load_landing` is the one records function: the dbt model ``base_submissions__landed`` calls it
on the source's ``read_blob()`` relation, and the Spark landing step (``genai_report.spark_landing``)
calls it on a ``read_blob()`` of the landing folder and saves the result for Spark. It holds at most
one small batch of files' bytes at a time: each file is read, checksummed and turned into records,
the records are written to Parquet parts in a scratch folder, and the returned relation is the union
of those parts and of the Parquet landing files, which DuckDB reads itself.

Per file: Parquet -> DuckDB (parquet.py); CSV -> DuckDB's CSV reader where it is exact, else Python
(csv.py); XLSX -> openpyxl (xlsx.py). :func:`parse_landing_files` is the pure-Python reference
reader (bytes in, a DataFrame out) used by tests and the ministry-side checks.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from genai_report.contract import sql_string
from genai_report.landing import csv as landing_csv
from genai_report.landing import xlsx as landing_xlsx
from genai_report.landing.contract import (
    CANONICAL_COLUMNS,
    GLOB_CHARS,
    INT_COLUMNS,
    OUTPUT_COLUMNS,
    RECORD_COLUMNS,
    extension,
    is_ignored,
    is_parquet,
    relative_path,
    sql_ident,
)
from genai_report.landing.parquet import parquet_landing_sql
from genai_report.landing.table import FileResult

#: bytes of landing files fetched from DuckDB at once (a single larger file is fetched alone).
BATCH_BYTES = 32 << 20
#: records parsed in Python held before they are written to a Parquet part.
PART_ROWS = 50_000


def read_file(path: str, data: bytes) -> FileResult:
    """One CSV/XLSX file through the Python readers (path relative to the landing dir)."""
    res = FileResult.for_path(path)
    ext = res.file_format
    if ext == "csv":
        landing_csv.read_csv(data, res)
    elif ext == "xlsx":
        landing_xlsx.read_xlsx(data, res)
    elif ext is None:
        res.file_error = "unsupported file type (no extension); expected .csv or .xlsx"
    else:
        res.file_error = f"unsupported file type .{ext}; expected .csv or .xlsx"
    return res


def records_frame(results: Iterable[FileResult], columns: Sequence[str] = OUTPUT_COLUMNS) -> pd.DataFrame:
    """The records of parsed files (``columns``: OUTPUT_COLUMNS or RECORD_COLUMNS) as a typed DataFrame."""
    cols: dict[str, list] = {c: [] for c in RECORD_COLUMNS}
    canon_lists = [cols[c] for c in CANONICAL_COLUMNS]
    for res in results:
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
        cols["file_checksum"].append(res.file_checksum)
        for lst in canon_lists:
            lst.append(None)
        pad = [None] * (n_rows - 1)
        for name in ("file_error", "missing_columns", "unknown_columns", "empty_rows_skipped", "data_rows"):
            cols[name].extend(pad)
        cols["file_checksum"].extend(pad)
        for n, values, extra in res.rows:
            cols["row_number"].append(n)
            cols["extra_values_json"].append(extra)
            for lst, v in zip(canon_lists, values, strict=True):
                lst.append(v)
    return pd.DataFrame({c: pd.array(cols[c], dtype="Int64" if c in INT_COLUMNS else "string") for c in columns})


def parse_landing_files(files: Iterable[tuple[str, bytes]]) -> pd.DataFrame:
    """Parse landing files into one DataFrame (see ``OUTPUT_COLUMNS``) with the Python readers only.

    ``files``: ``(path relative to the landing dir with '/' separators, raw bytes)``.
    One 'file' record per non-ignored file, one 'row' record per landed data row; ordered by
    source_file, then the file record, then row_number. The reference reader: it holds every
    file, so it is for tests and single submissions, not for a landing at scale.
    """
    items = [
        (p, b if isinstance(b, bytes) else bytes(b or b""))  # bytearray/memoryview from DuckDB
        for p, b in files
        if not is_ignored(p)
    ]
    items.sort(key=lambda item: item[0])
    return records_frame(read_file(path, data) for path, data in items)


# --------------------------------------------------------------------------------------------
# The records relation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Landed:
    source_file: str  # relative to the landing dir, '/' separators
    location: str  # the name DuckDB reads it by
    size: int | None


def _scratch_folder(workdir: str | Path | None) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="genai-landing-", dir=workdir))
    # The returned relation reads the parts lazily (dbt materialises it after the model returns),
    # so they live as long as the process.
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _batches(files: Sequence[_Landed], limit: int) -> Iterator[list[_Landed]]:
    batch: list[_Landed] = []
    size = 0
    for f in files:
        if batch and (size + (f.size or limit) > limit):
            yield batch
            batch, size = [], 0
        batch.append(f)
        size += f.size or limit
    if batch:
        yield batch


def _fetch(cursor, blobs, batch: list[_Landed], expression: str = "content") -> dict[str, object]:
    """location -> ``expression`` over the file's bytes, for a batch of files."""
    plain = [f.location for f in batch if not GLOB_CHARS.intersection(f.location)]
    out: dict[str, object] = {}
    if plain:
        out.update(cursor.execute(f"select filename, {expression} from read_blob(?)", [plain]).fetchall())
    for f in batch:
        if f.location not in out:  # a name read_blob would take for a pattern: filter the source itself
            rows = blobs.filter(f"filename = {sql_string(f.location)}").project(f"filename, {expression}").fetchall()
            out.update(rows)
    return out


class _Parts:
    """Parquet parts of the records, in a scratch folder."""

    def __init__(self, cursor, folder: Path, part_rows: int) -> None:
        self.cursor, self.folder, self.part_rows = cursor, folder, part_rows
        self.paths: list[Path] = []
        self.pending: list[FileResult] = []
        self.pending_rows = 0

    def new_path(self) -> Path:
        path = self.folder / f"part-{len(self.paths):06d}.parquet"
        self.paths.append(path)
        return path

    def add(self, res: FileResult) -> None:
        self.pending.append(res)
        self.pending_rows += len(res.rows) + 1
        if self.pending_rows >= self.part_rows:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            frame = records_frame(self.pending, RECORD_COLUMNS)
            self.cursor.from_df(frame).write_parquet(str(self.new_path()))
            self.pending, self.pending_rows = [], 0


def _empty_sql() -> str:
    return (
        "select "
        + ", ".join(
            f"cast(null as {'bigint' if c in INT_COLUMNS else 'varchar'}) as {sql_ident(c)}" for c in RECORD_COLUMNS
        )
        + " where false"
    )


def load_landing(
    connection,
    blobs,
    landing_dir: str,
    *,
    workdir: str | Path | None = None,
    duckdb_csv: bool = True,
    batch_bytes: int = BATCH_BYTES,
    part_rows: int = PART_ROWS,
    unread: Sequence[FileResult] = (),
):
    """The records of the landing files in ``blobs``, as a DuckDB relation in ``RECORD_COLUMNS`` layout.

    ``blobs``: a relation over DuckDB's ``read_blob()`` (columns filename, content and, if present,
    size), e.g. the dbt source, possibly filtered to some files: only its files are read. Ignored
    files (hidden, Office lock files) are skipped. ``landing_dir``: the folder the file names are
    relative to. ``workdir``: where the scratch folder of Parquet parts goes (default: the system's
    temporary folder); it is removed when the process exits. ``duckdb_csv=False`` reads every CSV
    with the Python reader (the reference; for tests and comparisons).

    Every record carries ``file_checksum`` = md5 hex of the file's bytes on its 'file' record, NULL on
    'row' records. ``unread``: the 'file' records of the entries that are not read (walk.py), landed
    with the others.
    """
    has_size = "size" in blobs.columns
    listing = blobs.project("filename, size" if has_size else "filename, null").fetchall()
    files = sorted(
        (
            _Landed(relative_path(name, landing_dir), name, size)
            for name, size in listing
            if not is_ignored(relative_path(name, landing_dir))
        ),
        key=lambda f: f.source_file,
    )
    columns = ", ".join(sql_ident(c) for c in RECORD_COLUMNS)
    if not files and not unread:
        return connection.sql(_empty_sql())
    cursor = connection.cursor()
    ordered = cursor.execute("select current_setting('preserve_insertion_order')").fetchone()[0]
    use_duckdb_csv = duckdb_csv and bool(ordered)  # DuckDB numbers CSV rows by their order

    parquet = [f for f in files if is_parquet(f.source_file)]
    checksums: dict[str, str] = {}
    for batch in _batches(parquet, batch_bytes):
        checksums.update((name, str(md5)) for name, md5 in _fetch(cursor, blobs, batch, "md5(content)").items())

    folder: Path | None = None
    parts: _Parts | None = None
    others = [f for f in files if not is_parquet(f.source_file)]
    for batch in _batches(others, batch_bytes):
        if parts is None:
            folder = _scratch_folder(workdir)
            parts = _Parts(cursor, folder, part_rows)
        contents = _fetch(cursor, blobs, batch)
        plans: list[landing_csv.CsvPlan] = []
        copies: list[Path] = []
        python: list[tuple[_Landed, bytes, str]] = []
        for f in batch:
            raw = contents.pop(f.location, None)
            data = raw if isinstance(raw, bytes) else bytes(raw or b"")
            checksum = hashlib.md5(data, usedforsecurity=False).hexdigest()
            if use_duckdb_csv and extension(f.source_file) == "csv":
                res = FileResult.for_path(f.source_file)
                res.file_checksum = checksum
                copy = parts.folder / f"copy-{len(copies):06d}.csv"
                plan = landing_csv.plan_csv(data, res, f.location, copy)
                if copy.exists():
                    copies.append(copy)
                if plan is not None:
                    plans.append(plan)
                    continue
            python.append((f, data, checksum))
        del contents
        if plans:
            declined = {p.res.source_file for p in landing_csv.land_csv_duckdb(cursor, plans, parts.new_path)}
            if declined:  # fetch those again rather than hold every file's bytes meanwhile
                again = _fetch(cursor, blobs, [f for f in batch if f.source_file in declined])
                python += [
                    (f, bytes(again[f.location]), p.res.file_checksum)
                    for f in batch
                    for p in plans
                    if p.res.source_file == f.source_file and f.source_file in declined
                ]
        for copy in copies:
            copy.unlink()
        for f, data, checksum in python:
            res = read_file(f.source_file, data)
            res.file_checksum = checksum
            parts.add(res)
    if unread and parts is None:
        folder = _scratch_folder(workdir)
        parts = _Parts(cursor, folder, part_rows)
    for res in unread:
        parts.add(res)
    if parts is not None:
        parts.flush()
        parts.paths = [path for path in parts.paths if path.exists()]

    selects = []
    if parts is not None and parts.paths:
        paths = ", ".join(sql_string(str(p)) for p in parts.paths)
        selects.append(f"select {columns} from read_parquet([{paths}], union_by_name = true)")
    parquet_sql = parquet_landing_sql(connection, [(f.source_file, f.location) for f in parquet], checksums)
    if parquet_sql is not None:
        selects.append(f"select {columns} from ({parquet_sql})")
    return connection.sql(" union all ".join(selects) or _empty_sql())
