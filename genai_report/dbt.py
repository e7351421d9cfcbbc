"""Run dbt in-process, so one Python process pays dbt's start-up once for build, docs and gates."""

from __future__ import annotations

import os

from dbt.cli.main import dbtRunner, dbtRunnerResult

from genai_report.contract import PROJECT_DIR


class DbtFailed(RuntimeError):
    """A dbt command did not succeed; dbt has already printed why."""


def run_dbt(args: list[str], runner: dbtRunner | None = None, check: bool = True) -> dbtRunnerResult:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    full_args = [*args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    try:
        result = (runner or dbtRunner()).invoke(full_args)
    finally:
        release_duckdb()
    if check and not result.success:
        raise DbtFailed(f"dbt {' '.join(args)} failed" + (f": {result.exception}" if result.exception else ""))
    return result


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the life of the process.

    Without this the warehouse file stays locked after an in-process dbt run, and the next reader
    (the GX gate, a test, the atomic rename) fails with "different configuration" errors. The
    attribute is dbt-duckdb's own cache; the test suite's read-only queries after every in-process
    build fail loudly if a dbt-duckdb upgrade renames it.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None
