"""Open data: CSV files (UTF-8 with BOM, so a spreadsheet opens the Japanese text correctly).

- cases.csv: one row per case and period (every row of int_cases), public columns only: period,
  ministry code and name, case id, canonical codes (model_family included), population flags and
  each table's membership. The restricted columns (submission_columns.is_restricted: case_name,
  outcome_goal_text, model_name, high_risk) are never selected, and the export refuses to run if
  the list of public columns ever names one.
- report_cells.csv: the cube every report table is a view of (SDMX-like tidy layout).
- data_dictionary.csv: every column of the files above, described from dbt's manifest.json.
- normalisation_report.csv: per period and column, each raw spelling the ministries typed, the
  canonical code it became (or why not), and how many rows had it. Restricted columns excluded.
- errata.csv: the published cells the records cannot match, with the reason.

A text field that a spreadsheet would run as a formula (= + - @ …) is written with a leading
apostrophe (see common.neutralise_csv); the data dictionary says so.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import duckdb

from genai_report.exports.common import (
    PROJECT_DIR,
    ExportError,
    neutralise_csv,
    read_only,
    relation_exists,
    require_relations,
)

#: int_cases columns published record by record, in file order. Anything else stays in.
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
    *(f"t0{number}_membership" for number in range(1, 10)),
)
#: Never published record by record, whatever submission_columns says (it says the same).
ALWAYS_RESTRICTED = frozenset({"case_name", "outcome_goal_text", "model_name", "high_risk"})

CASES_FILE = "cases.csv"
CELLS_FILE = "report_cells.csv"
DICTIONARY_FILE = "data_dictionary.csv"
NORMALISATION_FILE = "normalisation_report.csv"
ERRATA_FILE = "errata.csv"

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


def restricted_columns(connection: duckdb.DuckDBPyConnection) -> set[str]:
    restricted = set(ALWAYS_RESTRICTED)
    if relation_exists(connection, "reference", "submission_columns"):
        restricted |= {
            name
            for (name,) in connection.execute(
                "select column_name from reference.submission_columns where is_restricted"
            ).fetchall()
        }
    return restricted


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else neutralise_csv(_plain(value)) for value in row])
    return path


def _plain(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def write_cases(connection: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    require_relations(connection, "intermediate.int_cases", "reference.ministries")
    leaked = set(PUBLIC_CASE_COLUMNS) & restricted_columns(connection)
    if leaked:
        raise ExportError(f"open data would publish restricted columns: {', '.join(sorted(leaked))}")
    available = {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'intermediate' and table_name = 'int_cases'"
        ).fetchall()
    }
    missing = [name for name in PUBLIC_CASE_COLUMNS if name not in available]
    if missing:
        raise ExportError(f"intermediate.int_cases has no {', '.join(missing)}")
    columns = [f"cases.{name}" for name in PUBLIC_CASE_COLUMNS]
    columns.insert(2, "ministries.ministry_name_ja")
    result = connection.execute(
        f"select {', '.join(columns)} from intermediate.int_cases as cases "
        "left join reference.ministries as ministries on cases.ministry_code = ministries.ministry_code "
        "order by cases.period_end, ministries.display_order, cases.ministry_code, cases.case_id"
    )
    header = [column[0] for column in result.description]
    return _write_csv(out_dir / CASES_FILE, header, result.fetchall())


def write_report_cells(connection: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    require_relations(connection, "marts.report_cells")
    result = connection.execute("select * from marts.report_cells order by all")
    return _write_csv(out_dir / CELLS_FILE, [column[0] for column in result.description], result.fetchall())


def normalisation_rows(connection: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple]]:
    """Raw spelling → canonical code, counted per period and column (restricted columns left out)."""
    require_relations(connection, "marts.submission_normalisation")
    restricted = sorted(restricted_columns(connection))
    placeholders = ", ".join("?" for _ in restricted)
    result = connection.execute(
        "select spellings.period_end, spellings.column_name, columns.header_ja, spellings.raw_value, "
        "spellings.code, spellings.value_issue, sum(spellings.row_count) as row_count "
        "from marts.submission_normalisation as spellings "
        "left join reference.submission_columns as columns using (column_name) "
        f"where spellings.column_name not in ({placeholders}) "
        "group by all order by period_end, column_name, code nulls last, row_count desc, raw_value nulls first",
        restricted,
    )
    return [column[0] for column in result.description], result.fetchall()


def write_normalisation(connection: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    header, rows = normalisation_rows(connection)
    return _write_csv(out_dir / NORMALISATION_FILE, header, rows)


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
        (PROJECT_DIR / target if target else PROJECT_DIR / "target") / "manifest.json",  # make build
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


def write_open_data(database: Path, out_dir: Path, *, manifest_path: Path | None = None) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = manifest_path or find_manifest(database)
    with read_only(database) as connection:
        written = [
            write_cases(connection, out_dir),
            write_report_cells(connection, out_dir),
            write_normalisation(connection, out_dir),
            write_errata(connection, out_dir),
        ]
        sources = {
            CASES_FILE: "intermediate.int_cases",
            CELLS_FILE: "marts.report_cells",
            NORMALISATION_FILE: "marts.submission_normalisation",
            ERRATA_FILE: "published.published_errata",
        }
        files = {}
        for path in written:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle))
            source = sources[path.name]
            files[path.name] = [
                (column, "reference.ministries" if column == "ministry_name_ja" else source) for column in header
            ]
        files[DICTIONARY_FILE] = [
            (column, "genai_report.exports")
            for column in ("file", "column", "header_ja", "source_relation", "dbt_unique_id", "description")
        ]
        written.append(write_dictionary(connection, out_dir, files, manifest_path))
    return written
