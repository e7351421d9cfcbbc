"""`make build`: build a copy of the published warehouse, gate it, and publish it atomically.

The published file ($GENAI_WAREHOUSE) is only ever replaced by os.replace() of a fully built and
checked copy, so analysts reading it during a build keep seeing the previous complete version, and a
failed or killed build leaves it byte-for-byte unchanged.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from genai_report.build_lock import build_lock
from genai_report.dbt import PROJECT_DIR, DbtFailed, run_dbt

BUILD_DIR = PROJECT_DIR / "build"
#: a cell starting with one of these is a formula to Excel (CSV injection): rejects.csv neutralises it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def published_path() -> Path:
    return Path(os.environ.get("GENAI_WAREHOUSE", PROJECT_DIR / "warehouse" / "genai_report.duckdb")).resolve()


def build_dir() -> Path:
    """Where make build writes its reports (rejects.csv, data_quality/, docs/): $GENAI_BUILD_DIR, default build/."""
    return Path(os.environ.get("GENAI_BUILD_DIR", BUILD_DIR)).resolve()


def dbt_target_dir() -> Path:
    """dbt's target path: $DBT_TARGET_PATH (dbt's own variable, relative to the project), default target/."""
    configured = os.environ.get("DBT_TARGET_PATH")
    return PROJECT_DIR / configured if configured else PROJECT_DIR / "target"


def spreadsheet_safe(value: object) -> object:
    """A value as rejects.csv carries it: text Excel would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_rejects(database: Path) -> int:
    """Print the rejects and write them to build/rejects.csv (the file a ministry can be sent).

    The ministries open that file in Excel, and the raw values in it are whatever was typed into a
    form, so cells that would start a formula (=, +, -, @) are written with a leading apostrophe.
    """
    if not database.exists():
        return 0
    with duckdb.connect(str(database), read_only=True) as connection:
        exists = connection.sql(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'submission_rejects'"
        ).fetchone()[0]
        if not exists:
            return 0
        result = connection.sql("select * from marts.submission_rejects order by source_file, row_number")
        columns = result.columns
        rows = result.fetchall()
    reports = build_dir()
    reports.mkdir(parents=True, exist_ok=True)
    with open(reports / "rejects.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    message = columns.index("message_en")
    for row in rows[:50]:
        print(f"REJECTED: {row[message]}", file=sys.stderr)
    if rows:
        print(f"{len(rows)} rejected rows/files, all listed in {reports / 'rejects.csv'}", file=sys.stderr)
    return len(rows)


def main() -> int:
    started = time.perf_counter()
    published = published_path()
    published.parent.mkdir(parents=True, exist_ok=True)
    # Same file name in a sibling folder: DuckDB names the catalog after the file, and views store
    # that name, so a copy built as "x.building" would leave views that break once renamed to "x".
    building = published.parent / ".building" / published.name
    building.parent.mkdir(exist_ok=True)
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if published.exists():
        # Incremental models keep their state by building on a copy of the published file.
        shutil.copy2(published, building)

    os.environ["GENAI_DBT_TARGET"] = "build"
    os.environ["GENAI_BUILD_WAREHOUSE"] = str(building)
    steps: list[tuple[str, float]] = []
    try:
        step = time.perf_counter()
        try:
            run_dbt(["build", "--target", "build"])
        finally:
            write_rejects(building)
        steps.append(("dbt build (seeds, models, tests)", time.perf_counter() - step))

        step = time.perf_counter()
        from genai_report.quality_gate import run_gate

        if not run_gate(building, build_dir() / "data_quality"):
            print("Great Expectations gate failed; the published warehouse is unchanged.", file=sys.stderr)
            return 1
        steps.append(("Great Expectations gate", time.perf_counter() - step))

        step = time.perf_counter()
        run_dbt(["docs", "generate", "--target", "build", "--static"])
        docs_dir = build_dir() / "docs"
        docs_dir.mkdir(parents=True, exist_ok=True)
        from genai_report import docs_check, static_docs

        static_docs.write_offline(dbt_target_dir() / "static_index.html", docs_dir / "index.html")
        if docs_check.main([str(dbt_target_dir())]) != 0:
            print("documentation check failed; the published warehouse is unchanged.", file=sys.stderr)
            return 1
        steps.append(("dbt docs generate + documentation check", time.perf_counter() - step))

        # The report as people read it (xlsx, html, open data), from the checked building copy.
        step = time.perf_counter()
        from genai_report.exports import ExportError, write_all

        try:
            write_all(building, build_dir() / "report")
        except ExportError as failure:
            print(f"report exports failed: {failure}; the published warehouse is unchanged.", file=sys.stderr)
            return 1
        steps.append(("report exports (build/report)", time.perf_counter() - step))
    except DbtFailed as failure:
        print(f"{failure}; the published warehouse is unchanged.", file=sys.stderr)
        return 1

    with duckdb.connect(str(building)) as connection:
        connection.execute("checkpoint")
    os.replace(building, published)
    for name, seconds in steps:
        print(f"  {name}: {seconds:.1f} s")
    print(f"Published {published} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    with build_lock(published_path()):  # a second make build on this warehouse folder waits (build_lock.py)
        sys.exit(main())
