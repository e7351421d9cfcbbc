"""Open data: CSV files (UTF-8 with BOM, so a spreadsheet opens the Japanese text correctly) and
Parquet, written by DuckDB ``COPY`` (never row by row in Python).

The per-period files are the unit of work: ``periods/<period_end>/{cases,report_cells,
normalisation_report}.{csv,parquet}`` are written only for the periods asked for (and for any
loaded period that has none yet); parts of periods no longer in the warehouse are removed. The
whole-history CSVs (``cases.csv``, ``report_cells.csv``, ``normalisation_report.csv``) are the
per-period CSVs joined byte for byte (one header), so they are never queried again; ``errata.csv``
and ``data_dictionary.csv`` are small and rewritten every time.

- cases.csv: one row per case and period (every row of the public case mart marts.report_cases):
  period, ministry code and name, case id, canonical codes (model_family included), population
  flags and each table's membership. The mart has no restricted column by its contract
  (submission_columns.is_restricted: case_name, outcome_goal_text, model_name, high_risk), and the
  export refuses to run if the list of published columns ever names one.
- report_cells.csv: the cube every report table is a view of (SDMX-like tidy layout, the columns of
  docs/spec/report-tables.md).
- data_dictionary.csv: every column of the files above, described from dbt's manifest.json.
- normalisation_report.csv: per period and column, each raw spelling the ministries typed, the
  canonical code it became (or why not), and how many rows had it (marts.submission_normalisation;
  blanks are not spellings and are left out). Restricted columns excluded.
- errata.csv: the published cells the records cannot match, with the reason.

A text field that a spreadsheet would run as a formula (= + - @ …) is written to the CSVs with a
leading apostrophe (spreadsheet.spreadsheet_safe_sql, the SQL twin of spreadsheet.spreadsheet_safe); the data
dictionary says so. The Parquet files hold the values as stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import duckdb

from genai_report import contract
from genai_report.catalog import missing_columns
from genai_report.exports.common import (
    ExportError,
    loaded_periods,
    read_only,
    relation_exists,
    require_relations,
)
from genai_report.spreadsheet import spreadsheet_safe, spreadsheet_safe_sql

CASES = "marts.report_cases"
#: report_cases columns published record by record, in file order.
PUBLIC_CASE_COLUMNS = (
    "period_end",
    "ministry_code",
    "case_id",
    "usage_type",
    "start_timing",
    "start_status",
    "user_scope",
    "stage",
    "confidentiality",
    "outcome_goal",
    "output_type",
    "model_family",
    "risk_incident",
    "is_active",
    "is_discontinued",
    "is_government_staff",
    "is_external",
    *(f"{table.table_id.lower()}_membership" for table in contract.TABLES),
)

CASES_FILE = "cases.csv"
CELLS_FILE = "report_cells.csv"
DICTIONARY_FILE = "data_dictionary.csv"
NORMALISATION_FILE = "normalisation_report.csv"
ERRATA_FILE = "errata.csv"
PERIODS_DIR = "periods"
BOM = b"\xef\xbb\xbf"
#: report_cells as docs/spec/report-tables.md lays it out (columns the models add for their own use stay out).
CELL_COLUMNS = ("table_id", "period_end", *contract.DIMENSIONS, "measure", "value", "prior_value")

PLACEHOLDER_NO_MANIFEST = "（説明未作成：manifest.json が見つからない / no manifest.json found: run dbt docs generate）"
PLACEHOLDER_NO_DESCRIPTION = "（説明未作成：manifest.json にこの列の説明がない / not described in manifest.json yet）"

#: Columns the exports add or derive, described here because no model documents them.
OWN_DESCRIPTIONS = {
    (
        NORMALISATION_FILE,
        "row_count",
    ): "その綴り・コードの組を持つ提出行の数 / Landed rows with this spelling and result",
    (DICTIONARY_FILE, "file"): "オープンデータのファイル名 / Open-data file the column is in",
    (DICTIONARY_FILE, "column"): "列名 / Column name",
    (
        DICTIONARY_FILE,
        "header_ja",
    ): "提出様式の見出し（様式の列の場合） / Header on the submission form, for form columns",
    (DICTIONARY_FILE, "source_relation"): "列の出所のウェアハウスの表 / Warehouse relation the column comes from",
    (DICTIONARY_FILE, "dbt_unique_id"): "出所の dbt ノード / dbt node of the source relation",
    (
        DICTIONARY_FILE,
        "description",
    ): "列の説明（dbt の manifest.json から） / Column description from dbt's manifest.json",
}


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    """A small CSV (errata, data dictionary) written from Python rows."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else spreadsheet_safe(_plain(value)) for value in row])
    return path


def _plain(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _copy(connection: duckdb.DuckDBPyConnection, sql: str, csv_path: Path) -> Path:
    """COPY a query to its .parquet file, and from that to `csv_path` (UTF-8 with BOM, CRLF, text
    neutralised): the query runs once."""
    parquet_path = csv_path.with_suffix(".parquet")
    parquet = contract.sql_string(parquet_path)
    connection.execute(f"copy ({sql}) to {parquet} (format parquet)")
    relation = connection.execute(f"describe select * from read_parquet({parquet})").fetchall()
    columns = [
        spreadsheet_safe_sql(f'"{name}"') + f' as "{name}"' if str(kind).upper() == "VARCHAR" else f'"{name}"'
        for name, kind, *_ in relation
    ]
    plain = csv_path.with_name(csv_path.name + ".tmp")
    connection.execute(
        f"copy (select {', '.join(columns)} from read_parquet({parquet})) "
        f"to {contract.sql_string(plain)} (format csv, header, delimiter ',', quote '\"', new_line '\r\n')"
    )
    with open(csv_path, "wb") as target, open(plain, "rb") as source:
        target.write(BOM)
        shutil.copyfileobj(source, target, 1 << 20)
    plain.unlink()
    return csv_path


def _cases_sql(connection: duckdb.DuckDBPyConnection, period: str) -> str:
    require_relations(connection, CASES, "reference.ministries")
    leaked = set(PUBLIC_CASE_COLUMNS) & set(contract.restricted_columns())
    if leaked:
        raise ExportError(f"open data would publish restricted columns: {', '.join(sorted(leaked))}")
    missing = missing_columns(connection, CASES, PUBLIC_CASE_COLUMNS)
    if missing:
        raise ExportError(f"{CASES} has no {', '.join(missing)}")
    columns = [f"cases.{name}" for name in PUBLIC_CASE_COLUMNS]
    columns.insert(2, "ministries.ministry_name_ja")
    return (
        f"select {', '.join(columns)} from {CASES} as cases "
        "left join reference.ministries as ministries on cases.ministry_code = ministries.ministry_code "
        f"where cases.period_end = {period} "
        "order by ministries.display_order, cases.ministry_code, cases.case_id"
    )


def _cells_sql(connection: duckdb.DuckDBPyConnection, period: str) -> str:
    require_relations(connection, "marts.report_cells")
    return f"select {', '.join(CELL_COLUMNS)} from marts.report_cells where period_end = {period} order by all"


def _normalisation_sql(connection: duckdb.DuckDBPyConnection, period: str) -> str:
    """Raw spelling → canonical code, counted per period and column (restricted columns left out)."""
    require_relations(connection, "marts.submission_normalisation", "reference.submission_columns")
    restricted = ", ".join(contract.sql_string(name) for name in sorted(contract.restricted_columns()))
    return (
        "select spellings.period_end, spellings.column_name, columns.header_ja, spellings.raw_value, "
        "spellings.code, spellings.value_issue, spellings.row_count "
        "from marts.submission_normalisation as spellings "
        "left join reference.submission_columns as columns on columns.column_name = spellings.column_name "
        f"where spellings.period_end = {period} and spellings.column_name not in ({restricted}) "
        "order by spellings.column_name, spellings.code nulls last, spellings.row_count desc, "
        "spellings.raw_value nulls first"
    )


#: each per-period file: its name and the query that writes it (given the period as a SQL date literal).
PERIOD_FILES = {CASES_FILE: _cases_sql, CELLS_FILE: _cells_sql, NORMALISATION_FILE: _normalisation_sql}
SOURCES = {
    CASES_FILE: CASES,
    CELLS_FILE: "marts.report_cells",
    NORMALISATION_FILE: "marts.submission_normalisation",
    ERRATA_FILE: "published.published_errata",
}


def write_period(connection: duckdb.DuckDBPyConnection, out_dir: Path, period_end: dt.date) -> list[Path]:
    """The per-period CSV and Parquet files of one period, written afresh."""
    folder = out_dir / PERIODS_DIR / period_end.isoformat()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = []
    for name, sql in PERIOD_FILES.items():
        path = _copy(connection, sql(connection, f"date '{period_end.isoformat()}'"), folder / name)
        written += [path, path.with_suffix(".parquet")]
    return written


def _join_parts(parts: list[Path], target: Path) -> Path:
    """The per-period CSVs as one file: the first with its BOM and header, the others' rows only."""
    with open(target, "wb") as out:
        for index, part in enumerate(parts):
            with open(part, "rb") as source:
                if index:
                    source.readline()  # BOM + header, one line (column names hold no line break)
                shutil.copyfileobj(source, out, 1 << 20)
    return target


def write_errata(connection: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    if not relation_exists(connection, "published", "published_errata"):
        return _write_csv(out_dir / ERRATA_FILE, ["table_id", "period_end", "reason"], [])
    result = connection.execute("select * from published.published_errata order by all")
    return _write_csv(out_dir / ERRATA_FILE, [column[0] for column in result.description], result.fetchall())


def find_manifest(database: Path) -> Path | None:
    """dbt's manifest.json of the build that wrote `database`, if it can be found."""
    database = Path(database)
    target = os.environ.get("DBT_TARGET_PATH")  # dbt's own variable, relative to the project (as build.py)
    for candidate in (
        database.with_name(database.stem + "_dbt_target") / "manifest.json",  # genai_report.warehouse builds
        (contract.PROJECT_DIR / target if target else contract.PROJECT_DIR / "target") / "manifest.json",  # make build
    ):
        if candidate.is_file():
            return candidate
    return None


def _manifest_columns(manifest: dict | None, relation: str) -> tuple[dict[str, str], str | None]:
    """(column → description, unique_id) of a model, seed or snapshot named `relation`."""
    if manifest is None:
        return {}, None
    for unique_id, node in manifest.get("nodes", {}).items():
        if node.get("name") == relation and node.get("resource_type") in ("model", "seed", "snapshot"):
            return {
                name: column.get("description") or "" for name, column in node.get("columns", {}).items()
            }, unique_id
    return {}, None


def write_dictionary(
    connection: duckdb.DuckDBPyConnection,
    out_dir: Path,
    files: dict[str, list[tuple[str, str]]],
    manifest_path: Path | None,
) -> Path:
    """One row per column of each open-data file: its source relation, type and description."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path else None
    headers_ja = {}
    if relation_exists(connection, "reference", "submission_columns"):
        headers_ja = dict(
            connection.execute("select column_name, header_ja from reference.submission_columns").fetchall()
        )
    rows = []
    for file_name, columns in files.items():
        for column, relation in columns:
            described, unique_id = _manifest_columns(manifest, relation.split(".")[-1])
            description = described.get(column) or OWN_DESCRIPTIONS.get((file_name, column))
            if not description:
                description = PLACEHOLDER_NO_MANIFEST if manifest is None else PLACEHOLDER_NO_DESCRIPTION
            rows.append((file_name, column, headers_ja.get(column, ""), relation, unique_id or "", description.strip()))
    rows.append(
        (
            "*",
            "*",
            "",
            "",
            "",
            "テキストが = + - @ などで始まる場合、表計算ソフトで数式として実行されないよう"
            "先頭にアポストロフィ(')を付けている"
            " / Text starting with = + - @ (or tab, CR) is prefixed with an apostrophe so spreadsheets do not run it"
            " as a formula; strip one leading apostrophe to get the value as stored.",
        )
    )
    header = ["file", "column", "header_ja", "source_relation", "dbt_unique_id", "description"]
    return _write_csv(out_dir / DICTIONARY_FILE, header, rows)


def write_open_data(
    database: Path,
    out_dir: Path,
    *,
    manifest_path: Path | None = None,
    periods: list[dt.date] | None = None,
) -> list[Path]:
    """Write the open data into `out_dir`; per-period files only for `periods` (default: every
    loaded period) and for loaded periods that have none yet. Returns the per-period files written,
    then the whole-history files (so that a mapping by file name ends on the whole-history ones)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = manifest_path or find_manifest(database)
    with read_only(database) as connection:
        loaded = [period.period_end for period in loaded_periods(connection)]
        if not loaded:
            raise ExportError("the warehouse holds no period (marts.report_cells is empty)")
        root = out_dir / PERIODS_DIR
        folders = [path for path in root.iterdir() if path.is_dir()] if root.is_dir() else []
        for stale in {path.name for path in folders} - {period.isoformat() for period in loaded}:
            shutil.rmtree(root / stale)
        # A folder counts only when complete (a run stopped half way leaves one that is not).
        expected = [name for file in PERIOD_FILES for name in (file, Path(file).with_suffix(".parquet").name)]
        complete = {path.name for path in folders if all((path / name).is_file() for name in expected)}
        wanted = set(loaded) if periods is None else {_date(period) for period in periods} & set(loaded)
        wanted |= {period for period in loaded if period.isoformat() not in complete}
        parts = []
        for period in sorted(wanted):
            parts += write_period(connection, out_dir, period)
        written = [
            _join_parts([root / period.isoformat() / name for period in loaded], out_dir / name)
            for name in PERIOD_FILES
        ]
        written.append(write_errata(connection, out_dir))
        files = {}
        for path in written:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle))
            source = SOURCES[path.name]
            files[path.name] = [
                (column, "reference.ministries" if column == "ministry_name_ja" else source) for column in header
            ]
        files[DICTIONARY_FILE] = [
            (column, "genai_report.exports")
            for column in ("file", "column", "header_ja", "source_relation", "dbt_unique_id", "description")
        ]
        written.append(write_dictionary(connection, out_dir, files, manifest_path))
    return parts + written


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
