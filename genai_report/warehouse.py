"""Build a warehouse into a given DuckDB file from a given landing folder (tests, validate, benchmarks).

Everything runs in-process through dbtRunner with its own target path, so a test build never touches
the published warehouse or the engineer's dev file, and can run while an analyst has either open.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

from dbt.cli.main import dbtRunnerResult

from genai_report.dbt import run_dbt


@contextmanager
def _environment(**values: str):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_warehouse(
    database: Path,
    landing_dir: Path,
    *,
    dbt_vars: dict | None = None,
    command: str = "build",
    extra_args: list[str] | None = None,
    check: bool = True,
) -> dbtRunnerResult:
    """Run `dbt <command>` (default: build = seeds, models and every test) into `database`."""
    database = Path(database).resolve()
    target_path = database.with_name(database.stem + "_dbt_target")
    args = [*command.split(), "--target", "test", "--target-path", str(target_path), "--log-path", str(target_path)]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    args += extra_args or []
    with _environment(
        GENAI_DBT_TARGET="test",
        GENAI_TEST_WAREHOUSE=str(database),
        GENAI_LANDING_DIR=str(Path(landing_dir).resolve()),
    ):
        return run_dbt(args, check=check)
