"""Parquet landing files: read by DuckDB itself (read_parquet), no Python per row.

A Parquet landing file is a table whose column names are the contract headers, as in a CSV export
of the form. It yields the same records as a CSV of the same table: header row 1, data row k
numbered k + 1, values as text (numbers without a trailing ".0"), all-blank rows skipped and
counted, unknown columns kept in extra_values_json. Python only looks at the column names of each
file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from genai_report.contract import sql_string
from genai_report.landing.contract import (
    BLANK_RE2,
    CANONICAL_COLUMNS,
    CONTRACT_HEADERS,
    GLOB_CHARS,
    HEADER_LOOKUP,
    REQUIRED_COLUMNS,
    column_label,
    is_ignored,
    normalise_header,
    quoted,
    sql_ident,
)

_RESERVED_PARQUET_COLUMNS = frozenset({"file_row_number", "__landing_file"})


def _text_expr(column: str, duckdb_type: str) -> str:
    """SQL turning a Parquet column into the text the CSV/XLSX readers would give ('' -> NULL)."""
    c = sql_ident(column)
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
        name = HEADER_LOOKUP.get(normalise_header(raw))
        if name is None:
            unknown.append(raw)
        elif name in canon:
            k, first = canon[name]
            duplicates.append(
                f"{quoted(first)} ({column_label(k)}) and {quoted(raw)} ({column_label(j)}) both map to {name}"
            )
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
            f"{sql_string(json.dumps(raw, ensure_ascii=False) + ': ')} || "
            f"coalesce(cast(to_json({texts[raw]}) as varchar), 'null')"
            for raw in extra
        )
        extra_json = "'{' || " + parts + " || '}'"
    else:
        extra_json = "cast(null as varchar)"
    blank = " and ".join(f"coalesce(regexp_full_match({texts[raw]}, '{BLANK_RE2}'), true)" for raw in types) or "true"
    locations = "[" + ", ".join(sql_string(f.location) for f in files) + "]"
    return (
        f"select __landing_file, file_row_number as __n, {', '.join(canonical)}, "
        f"{extra_json} as extra_values_json, {blank} as __blank "
        f"from read_parquet({locations}, filename = '__landing_file')"
    )


def parquet_landing_sql(
    connection, files: Iterable[tuple[str, str]], checksums: dict[str, str] | None = None
) -> str | None:
    """SQL giving the landing records (``RECORD_COLUMNS``) of Parquet files, or None if there are none.

    ``files``: ``(path relative to the landing dir, name DuckDB reads it by)``; ignored files are
    skipped. ``checksums``: name DuckDB reads it by -> md5 hex of the file (its 'file' record's
    file_checksum; NULL when not given). ``connection`` (DuckDB) is used only to read the files'
    column names and types.
    """
    checksums = checksums or {}
    items = sorted((rel, loc) for rel, loc in files if not is_ignored(rel))
    if not items:
        return None
    found: list[_ParquetFile] = []
    plain: list[str] = []
    for rel, loc in items:
        f = _ParquetFile(rel, loc)
        if GLOB_CHARS.intersection(loc):
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
                f"describe select * from read_parquet({sql_string(group[0].location)})"
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
            "null" if v is None else sql_string(v) if isinstance(v, str) else str(v)
            for v in (
                f.source_file,
                f.location,
                f.period_folder,
                1 if f.columns else None,  # the column names play the header row
                f.file_error,
                f.missing_columns,
                f.unknown_columns,
                checksums.get(f.location),
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
files (
    source_file, location, period_folder, header_row, file_error, missing_columns, unknown_columns, file_checksum
) as (
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
    cast(null as varchar) as extra_values_json, {nulls}, cast(files.file_checksum as varchar) as file_checksum
from files
left join file_stats on files.location = file_stats.__landing_file
left join skipped on files.location = skipped.__landing_file
union all
select
    'row', files.source_file, files.period_folder, 'parquet', null, null,
    cast(files.header_row as bigint), cast(landed.__n + 2 as bigint),
    null, null, null, cast(null as bigint), cast(null as bigint),
    landed.extra_values_json, {canonical}, null
from landed
inner join files on landed.__landing_file = files.location
where not landed.__blank
"""
