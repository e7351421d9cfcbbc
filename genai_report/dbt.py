"""Run dbt in-process, so one Python process pays dbt's start-up once for build, docs and gates."""

from __future__ import annotations

import os
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult

PROJECT_DIR = Path(__file__).resolve().parent.parent


class DbtFailed(RuntimeError):
    """A dbt command did not succeed; dbt has already printed why."""


def run_dbt(args: list[str], runner: dbtRunner | None = None) -> dbtRunnerResult:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    full_args = [*args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    result = (runner or dbtRunner()).invoke(full_args)
    if not result.success:
        raise DbtFailed(f"dbt {' '.join(args)} failed" + (f": {result.exception}" if result.exception else ""))
    return result
