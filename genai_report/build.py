"""`make build`: build a copy of the published warehouse, gate it, and publish it atomically.

The published file ($GENAI_WAREHOUSE) is only ever replaced by os.replace() of a fully built and
checked copy, so analysts reading it during a build keep seeing the previous complete version, and a
failed or killed build leaves it byte-for-byte unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import stat
import sys
import time
from pathlib import Path

import duckdb

from genai_report import duckdb_settings
from genai_report.build_lock import build_lock
from genai_report.contract import PROJECT_DIR, sql_string
from genai_report.spreadsheet import spreadsheet_safe

#: the project folder (as genai_report.dbt has it; dbt itself is imported only when a build runs).
BUILD_DIR = PROJECT_DIR / "build"


def published_path() -> Path:
    return Path(os.environ.get("GENAI_WAREHOUSE", PROJECT_DIR / "warehouse" / "genai_report.duckdb")).resolve()


def build_dir() -> Path:
    """Where make build writes its reports (rejects.csv, data_quality/, docs/): $GENAI_BUILD_DIR, default build/."""
    return Path(os.environ.get("GENAI_BUILD_DIR", BUILD_DIR)).resolve()


def dbt_target_dir() -> Path:
    """dbt's target path: $DBT_TARGET_PATH (dbt's own variable, relative to the project), default target/."""
    configured = os.environ.get("DBT_TARGET_PATH")
    return PROJECT_DIR / configured if configured else PROJECT_DIR / "target"


def write_rejects(database: Path) -> int:
    """Print the rejects and write them to build/rejects.csv (the file a ministry can be sent).

    The ministries open that file in Excel, and the raw values in it are whatever was typed into a
    form, so cells that would start a formula (=, +, -, @) are written with a leading apostrophe.
    """
    if not database.exists():
        return 0
    with duckdb.connect(str(database), read_only=True) as connection:
        duckdb_settings.apply(connection)
        if not _has_table(connection, "marts", "submission_rejects"):
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


#: what the warehouse's contents depend on besides the landing files: a change to any of these
#: makes the next build a full rebuild (incremental state from older code is never trusted).
PROJECT_INPUTS = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests/data",
    "genai_report/landing",
    "requirements.lock",
)
#: settings that change what a build checks: part of the fingerprint a no-op build compares.
SETTINGS = ("GENAI_CHECK_PUBLICATION",)
STATE_TABLE = "incremental_state.build_inputs"


def project_fingerprint() -> str:
    """sha256 over the files the warehouse's contents are computed from (names and bytes)."""
    digest = hashlib.sha256()
    for entry in PROJECT_INPUTS:
        root = PROJECT_DIR / entry
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def landing_fingerprint(landing_dir: Path) -> str:
    """sha256 over every entry under the landing folder (relative name, type, size, modification and
    change times; links are not followed) and the settings. No file is read: rewriting a file changes
    its times, and the loader then compares its checksum with the one it recorded."""
    digest = hashlib.sha256()
    for name in SETTINGS:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    if landing_dir.is_dir():
        root = os.fsencode(landing_dir)
        for folder, folders, files in os.walk(root):
            folders.sort()
            for name in sorted(folders + files):
                path = os.path.join(folder, name)
                status = os.lstat(path)
                if stat.S_ISDIR(status.st_mode):
                    continue
                signature = f"{status.st_mode}:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}"
                digest.update(os.path.relpath(path, root) + b"\0" + signature.encode() + b"\0")
    return digest.hexdigest()


def landing_dir() -> Path:
    return Path(os.environ.get("GENAI_LANDING_DIR", PROJECT_DIR / "data" / "landing")).resolve()


def _has_table(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    # Literals, not bound parameters: binding a Python value makes duckdb import pandas (~1 s), which
    # is most of an up-to-date build's time.
    query = (
        "select count(*) from information_schema.tables"
        f" where table_schema = {sql_string(schema)} and table_name = {sql_string(name)}"
    )
    return connection.execute(query).fetchone()[0] > 0


def _read_state(database: Path) -> tuple[tuple[str, str] | None, dict[str, str]]:
    """What a warehouse records of its build: (project fingerprint, landing fingerprint) or None,
    and {period_end: fingerprint report_cells last built it from}."""
    if not database.exists():
        return None, {}
    with duckdb.connect(str(database), read_only=True) as connection:
        duckdb_settings.apply(connection)
        inputs = None
        if _has_table(connection, "incremental_state", "build_inputs"):
            try:
                row = connection.sql(f"select project_fingerprint, landing_fingerprint from {STATE_TABLE}").fetchone()
                inputs = tuple(row) if row else None
            except duckdb.Error:  # recorded by an older build, without the landing fingerprint
                inputs = None
        periods = {}
        if _has_table(connection, "incremental_state", "built_periods"):
            periods = dict(
                connection.sql(
                    "select cast(period_end as varchar), period_fingerprint from incremental_state.built_periods "
                    "where model_name = 'report_cells' and period_end is not null"
                ).fetchall()
            )
    return inputs, periods


def _record_state(database: Path, fingerprint: str, landing: str) -> None:
    with duckdb.connect(str(database)) as connection:
        duckdb_settings.apply(connection)
        connection.execute("create schema if not exists incremental_state")
        connection.execute(
            f"create or replace table {STATE_TABLE} as select ? as project_fingerprint, ? as landing_fingerprint",
            [fingerprint, landing],
        )


def main() -> int:
    started = time.perf_counter()
    published = published_path()
    published.parent.mkdir(parents=True, exist_ok=True)
    fingerprint = project_fingerprint()
    landing = landing_fingerprint(landing_dir())
    reports = build_dir()
    outputs = [reports / "data_quality", reports / "report", reports / "docs" / "index.html"]
    force = os.environ.get("GENAI_FORCE_BUILD", "").strip().lower() in ("1", "true", "yes", "on")
    if not force and all(path.exists() for path in outputs) and _read_state(published)[0] == (fingerprint, landing):
        # Same project, same landing files, same settings as the published build: every model, test,
        # check and export would give what is already published. (GENAI_FORCE_BUILD=1 runs it anyway.)
        print(f"Up to date: {published} was built from these files ({time.perf_counter() - started:.1f} s)")
        return 0

    from genai_report.dbt import DbtFailed, run_dbt

    # Same file name in a sibling folder: DuckDB names the catalog after the file, and views store
    # that name, so a copy built as "x.building" would leave views that break once renamed to "x".
    building = published.parent / ".building" / published.name
    building.parent.mkdir(exist_ok=True)
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if published.exists():
        # Incremental models keep their state by building on a copy of the published file.
        shutil.copy2(published, building)

    recorded_inputs, periods_before = _read_state(building)
    full_refresh = recorded_inputs is None or recorded_inputs[0] != fingerprint
    os.environ["GENAI_DBT_TARGET"] = "build"
    os.environ["GENAI_BUILD_WAREHOUSE"] = str(building)
    steps: list[tuple[str, float]] = []
    try:
        step = time.perf_counter()
        args = ["build", "--target", "build"]
        if full_refresh:
            # New code or reference data: every period is computed again, never mixed with old state.
            args.append("--full-refresh")
        else:
            # Seeds, their tests and the unit tests depend only on the project's files, which are the
            # ones that passed when the recorded fingerprint was built: they are not run again.
            args += ["--exclude", "resource_type:seed", "resource_type:unit_test"]
        try:
            run_dbt(args)
        finally:
            write_rejects(building)
        _record_state(building, fingerprint, landing)
        _inputs, periods_after = _read_state(building)
        changed = sorted(period for period, version in periods_after.items() if periods_before.get(period) != version)
        print("dbt build: " + ("full rebuild" if full_refresh else f"{len(changed)} period(s) rebuilt"))
        steps.append(("dbt build (seeds, models, tests)", time.perf_counter() - step))
        # The gate, the docs and the exports follow what changed: nothing new, nothing to redo.
        outputs_missing = not (reports / "data_quality").is_dir() or not (reports / "report").is_dir()
        check_all = full_refresh or outputs_missing or bool(set(periods_before) - set(periods_after))
        gate_periods = None if check_all else changed

        if check_all or changed:
            step = time.perf_counter()
            from genai_report.quality_gate import run_gate

            if not run_gate(building, reports / "data_quality", periods=gate_periods):
                print("Great Expectations gate failed; the published warehouse is unchanged.", file=sys.stderr)
                return 1
            steps.append(("Great Expectations gate", time.perf_counter() - step))

        if full_refresh or not (reports / "docs" / "index.html").exists():
            step = time.perf_counter()
            run_dbt(["docs", "generate", "--target", "build", "--static", "--no-compile"])
            docs_dir = reports / "docs"
            docs_dir.mkdir(parents=True, exist_ok=True)
            from genai_report import docs_check, static_docs

            static_docs.write_offline(dbt_target_dir() / "static_index.html", docs_dir / "index.html")
            if docs_check.main([str(dbt_target_dir())]) != 0:
                print("documentation check failed; the published warehouse is unchanged.", file=sys.stderr)
                return 1
            steps.append(("dbt docs generate + documentation check", time.perf_counter() - step))

        step = time.perf_counter()
        from genai_report import vintages

        # Recorded in the building copy: published by the same rename as the figures, or not at all.
        added = vintages.record(building, landing)
        print(f"publication vintages: {len(added)} added" + (f" ({', '.join(added)})" if added else ""))
        steps.append(("publication vintages", time.perf_counter() - step))

        if check_all or changed:
            # The report as people read it (xlsx, html, open data), from the checked building copy.
            step = time.perf_counter()
            from genai_report.exports import ExportError, write_all

            try:
                write_all(building, reports / "report", periods=gate_periods, history_reports=False)
            except ExportError as failure:
                print(f"report exports failed: {failure}; the published warehouse is unchanged.", file=sys.stderr)
                return 1
            steps.append(("report exports (build/report)", time.perf_counter() - step))
    except DbtFailed as failure:
        print(f"{failure}; the published warehouse is unchanged.", file=sys.stderr)
        return 1

    with duckdb.connect(str(building)) as connection:
        duckdb_settings.apply(connection)
        connection.execute("checkpoint")
    os.replace(building, published)
    for name, seconds in steps:
        print(f"  {name}: {seconds:.1f} s")
    print(f"Published {published} in {time.perf_counter() - started:.1f} s")
    return 0


def locked_main() -> int:
    """main() holding the build lock: a second build of this warehouse folder waits (build_lock.py)."""
    with build_lock(published_path()):
        return main()


if __name__ == "__main__":
    sys.exit(locked_main())
