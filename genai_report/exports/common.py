"""What every export shares: the read-only warehouse connection, the chosen period, code labels,
the build's provenance and the errata list (formula-injection escaping: genai_report.spreadsheet).

Every figure the exports show is read from the cube (marts.report_cells), the text marts
(marts.rpt_*), the case mart (marts.report_cases) or the seeds; nothing here counts a case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from genai_report.contract import DIMENSIONS, PROJECT_DIR, REPORT_TITLE_JA, TOTAL, TOTAL_LABEL_JA, sql_string


class ExportError(RuntimeError):
    """The warehouse cannot be exported as asked (no such period, a mart missing, no CJK font)."""


_QUALIFIED_NAME = re.compile(r'(?:FROM|JOIN)\s+("[^"]+"|[A-Za-z_]\w*)\.("[^"]+"|\w+)\.("[^"]+"|\w+)', re.IGNORECASE)


def _view_catalog(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The database name the warehouse's views were created under (dbt-duckdb qualifies every
    reference with it: the file's stem at build time)."""
    for (sql,) in connection.execute("select sql from duckdb_views() where not internal").fetchall():
        match = _QUALIFIED_NAME.search(sql or "")
        if match:
            return match[1].strip('"')
    return None


@contextmanager
def read_only(database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse file, under the database name its views expect.

    dbt-duckdb names the database after the file's stem and writes that name into every view, so
    the staging views of a copied or renamed file (the published file is built under another name
    and renamed) would not resolve. The file is then attached under the name the views use.
    """
    database = Path(database)
    if not database.exists():
        raise ExportError(f"no warehouse at {database}")
    connection = duckdb.connect(str(database), read_only=True)
    try:
        catalog = _view_catalog(connection)
        if catalog and catalog != connection.execute("select current_database()").fetchone()[0]:
            connection.close()
            connection = duckdb.connect()
            name = catalog.replace('"', '""')
            connection.execute(f"""attach {sql_string(database.resolve())} as "{name}" (read_only)""")
            connection.execute(f'use "{name}"')
        yield connection
    finally:
        connection.close()


def write_period_report(
    database: Path,
    out_path: Path,
    render: Callable[[duckdb.DuckDBPyConnection, Period, Provenance], object],
    save: Callable[[object, Path], None],
    *,
    period_end: dt.date | str | None = None,
    landing_dir: Path | None = None,
    provenance: Provenance | None = None,
) -> Path:
    """`render` one period of the warehouse (default: the latest) with the build's provenance
    (default: collected now from `landing_dir`), and `save` it to `out_path`."""
    with read_only(database) as connection:
        period = choose_period(connection, period_end)
        report = render(connection, period, provenance or collect_provenance(connection, database, landing_dir))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    save(report, out_path)
    return out_path


def command_line_writer(write: Callable[[], list[Path]], errors: type[Exception], what: str) -> int:
    """A command's exit status: each file `write` wrote printed (0), or why it failed (1)."""
    try:
        written = write()
    except errors as error:
        print(f"{what} failed: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


def fetch_dicts(connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> list[dict]:
    result = connection.execute(sql, parameters or [])
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def relation_exists(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(
        connection.execute(
            "select (select count(*) from duckdb_tables() where schema_name = $schema and table_name = $name)"
            " + (select count(*) from duckdb_views() where schema_name = $schema and view_name = $name)",
            {"schema": schema, "name": name},
        ).fetchone()[0]
    )


def require_relations(connection: duckdb.DuckDBPyConnection, *relations: str) -> None:
    missing = [name for name in relations if not relation_exists(connection, *name.split("."))]
    if missing:
        raise ExportError(f"the warehouse has no {', '.join(missing)}; build it with `make build` first")


@dataclass(frozen=True)
class Period:
    period_end: dt.date
    round_label_ja: str  # 令和7年度第3回
    as_of_label_ja: str  # 令和7年12月末時点
    previous_period_end: dt.date | None

    @property
    def title_ja(self) -> str:
        return f"{self.round_label_ja} {REPORT_TITLE_JA}"


def loaded_periods(connection: duckdb.DuckDBPyConnection) -> list[Period]:
    """Every period the cube holds, oldest first, with its labels from the periods seed."""
    require_relations(connection, "marts.report_cells", "reference.periods")
    rows = connection.execute(
        "select periods.period_end, periods.round_label_ja, periods.as_of_label_ja, periods.previous_period_end "
        "from reference.periods as periods "
        "where periods.period_end in (select distinct period_end from marts.report_cells) "
        "order by periods.period_end"
    ).fetchall()
    return [Period(*row) for row in rows]


def choose_period(connection: duckdb.DuckDBPyConnection, period_end: dt.date | str | None) -> Period:
    periods = loaded_periods(connection)
    if not periods:
        raise ExportError("the warehouse holds no period (marts.report_cells is empty)")
    if period_end is None:
        return periods[-1]
    wanted = dt.date.fromisoformat(period_end) if isinstance(period_end, str) else period_end
    for period in periods:
        if period.period_end == wanted:
            return period
    loaded = ", ".join(str(period.period_end) for period in periods)
    raise ExportError(f"period {wanted} is not in the warehouse (loaded: {loaded})")


class CodeLabels:
    """rpt_code_labels for one period: code → label as the period's form prints it."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, period_end: dt.date):
        require_relations(connection, "marts.rpt_code_labels")
        rows = connection.execute(
            "select code_list, code, label_ja, printed_label_ja from marts.rpt_code_labels where period_end = ?",
            [period_end],
        ).fetchall()
        self._labels = {(code_list, code): (label, printed) for code_list, code, label, printed in rows}

    def printed(self, code_list: str, code: str | None) -> str:
        if code is None:
            return ""
        if code == TOTAL:
            return TOTAL_LABEL_JA
        return self._labels.get((code_list, code), (code, code))[1]


# --------------------------------------------------------------------------------------------
# Errata: the published cells the records cannot match, and why
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erratum:
    table_id: str
    period_end: dt.date
    codes: dict[str, str]  # dimension -> code ('_T' = total), only the table's dimensions
    measure: str
    published_value: int
    records_value: int
    reason: str
    cell_ja: str  # the cell in words: 利用類型=特化型1 / 利用開始状況=開始済 / …


def load_errata(connection: duckdb.DuckDBPyConnection) -> list[Erratum]:
    if not relation_exists(connection, "published", "published_errata"):
        return []
    rows = fetch_dicts(connection, "select * from published.published_errata order by all")
    labels_by_period: dict[dt.date, CodeLabels | None] = {}
    periods = {period.period_end for period in loaded_periods(connection)}
    errata = []
    for row in rows:
        period_end = row["period_end"]
        if isinstance(period_end, str):
            period_end = dt.date.fromisoformat(period_end)
        if period_end not in labels_by_period:
            labels_by_period[period_end] = CodeLabels(connection, period_end) if period_end in periods else None
        labels = labels_by_period[period_end]
        codes = {name: row[name] for name in DIMENSIONS if row.get(name) not in (None, "")}
        cell_ja = " / ".join(
            f"{DIMENSIONS[name]}={labels.printed(name, code) if labels else code}" for name, code in codes.items()
        )
        errata.append(
            Erratum(
                table_id=row["table_id"],
                period_end=period_end,
                codes=codes,
                measure=row["measure"],
                published_value=int(row["published_value"]),
                records_value=int(row["records_value"]),
                reason=row["reason"],
                cell_ja=cell_ja,
            )
        )
    return errata


# --------------------------------------------------------------------------------------------
# Provenance: which code and which landing files the figures come from
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LandingFile:
    path: str  # relative to the landing folder, '/' separators
    size: int
    sha256: str
    loaded: bool  # listed in marts.submission_files


@dataclass
class Provenance:
    generated_at: str
    git_commit: str | None
    git_dirty: bool | None
    warehouse: str
    landing_dir: str
    landing_files: list[LandingFile] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)  # loaded by the warehouse, absent now

    @property
    def git_label(self) -> str:
        if self.git_commit is None:
            return "不明（git が使えない / git unavailable）"
        return self.git_commit + ("（未コミットの変更あり / working tree modified）" if self.git_dirty else "")


def _git(*args: str) -> str | None:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


def default_landing_dir() -> Path:
    return Path(os.environ.get("GENAI_LANDING_DIR", PROJECT_DIR / "data" / "landing"))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def collect_provenance(
    connection: duckdb.DuckDBPyConnection, database: Path, landing_dir: Path | None = None
) -> Provenance:
    from genai_report.landing import is_ignored

    landing_dir = Path(landing_dir or default_landing_dir()).resolve()
    loaded: set[str] = set()
    if relation_exists(connection, "marts", "submission_files"):
        loaded = {row[0] for row in connection.execute("select source_file from marts.submission_files").fetchall()}
    files = []
    if landing_dir.is_dir():
        for path in sorted(landing_dir.rglob("*")):
            relative = path.relative_to(landing_dir).as_posix()
            if path.is_file() and not is_ignored(relative):
                files.append(LandingFile(relative, path.stat().st_size, sha256_of(path), relative in loaded))
    present = {landing_file.path for landing_file in files}
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain") if commit else None
    return Provenance(
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        git_commit=commit,
        git_dirty=bool(status) if status is not None else None,
        warehouse=str(Path(database).resolve()),
        landing_dir=str(landing_dir),
        landing_files=files,
        missing_files=sorted(loaded - present),
    )
