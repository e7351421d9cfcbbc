"""A frozen copy of the dbt project to benchmark, and dbt commands against it in a subprocess.

Other people edit the working tree while a benchmark runs for many minutes, so every run builds
a snapshot of the project taken at its start (models, macros, seeds, data tests, project and
profile files). The incremental benchmark needs more periods than the seed lists (the seed runs
to 令和12年度); the snapshot's periods seed can be extended by the seed's own quarterly rule.

dbt runs as ``dbt <command> --target test --target-path <own dir>`` with the same environment as
``genai_report.warehouse.build_warehouse``, but in a subprocess so its memory can be measured.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks import measure
from genai_report.contract import PROJECT_DIR

COPIED = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/data", "analyses"]
#: what ``make build`` needs besides the dbt project: the Python package and the build files.
COPIED_FOR_BUILD = [*COPIED, "genai_report", "Makefile", "pyproject.toml"]
ROUND_MONTHS = {1: (6, 30), 2: (9, 30), 3: (12, 31), 4: (3, 31)}


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *COPIED, "genai_report"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+uncommitted" if dirty else "")


def digest(project: Path) -> str:
    """Short hash of the snapshot's files: which exact project a result was measured on."""
    sha = hashlib.sha256()
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(project)).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:12]


def snapshot(dest: Path, min_periods: int | None = None, for_build: bool = False) -> Path:
    """Copy the project to ``dest``; extend the periods seed to ``min_periods`` rows if given.

    ``for_build``: also copy the Python package and the build files, so ``make build`` runs on the
    snapshot (``PYTHONPATH`` = the snapshot). The reconciliation with the published figures, which
    only the shipped sample can pass, is switched off by the caller ($GENAI_CHECK_PUBLICATION=0)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    for name in COPIED_FOR_BUILD if for_build else COPIED:
        source = PROJECT_DIR / name
        target = dest / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        elif source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if min_periods:
        extend_periods(dest / "seeds" / "reference" / "periods.csv", min_periods)
    return dest


def make_build(
    project: Path,
    landing: Path,
    publish: Path,
    reports: Path,
    *,
    log: Path | None = None,
    timeout: float | None = None,
) -> tuple[measure.Measurement, dict]:
    """``make build`` (python -m genai_report.build, what the Makefile's build target runs once the
    environment is set up) of the snapshot ``project`` on ``landing``, publishing to ``publish``.
    -> (measurement of the whole process tree, run_results.json of its dbt build or {})."""
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "GENAI_LANDING_DIR": str(landing.resolve()),
        "GENAI_WAREHOUSE": str(publish.resolve()),
        "GENAI_BUILD_DIR": str(reports.resolve()),
        "GENAI_CHECK_PUBLICATION": "0",
    }
    results_file = project / "target" / "run_results.json"
    results_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "genai_report.build"]
    measurement = measure.run(command, env=env, cwd=project, log=log, timeout=timeout)
    # run_results.json is the last dbt command's (docs generate); the steps' times are in the log.
    results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    return measurement, results


def extend_periods(path: Path, count: int) -> None:
    """Append quarterly periods (the seed's rule: rounds Jun/Sep/Dec/Mar, forms by round) up to ``count``."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    while len(rows) < count:
        last = rows[-1]
        fiscal_year = int(last["fiscal_year"])
        round_number = int(last["round_number"]) % 4 + 1
        if round_number == 1:
            fiscal_year += 1
        month, day = ROUND_MONTHS[round_number]
        year = fiscal_year + (1 if round_number == 4 else 0)
        reiwa = fiscal_year - 2018
        rows.append(
            {
                "period_end": dt.date(year, month, day).isoformat(),
                "fiscal_year": str(fiscal_year),
                "fiscal_year_reiwa": str(reiwa),
                "round_number": str(round_number),
                "round_label_ja": f"令和{reiwa}年度第{round_number}回",
                "as_of_label_ja": f"令和{year - 2018}年{month}月末時点",
                "form_version": "with_calendar_year" if round_number in (1, 2) else "fiscal_year_only",
                "previous_period_end": last["period_end"],
            }
        )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def target_path(database: Path) -> Path:
    database = database.resolve()
    return database.with_name(database.stem + "_dbt_target")


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(
    project: Path,
    database: Path,
    landing: Path,
    args: list[str],
    *,
    dbt_vars: dict | None = None,
    log: Path | None = None,
    timeout: float | None = None,
) -> tuple[measure.Measurement, dict]:
    """``dbt <args>`` on ``project`` into ``database`` -> (measurement, run_results.json or {})."""
    database = database.resolve()
    target = target_path(database)
    command = [
        dbt_executable(),
        *args,
        "--target",
        "test",
        "--target-path",
        str(target),
        "--log-path",
        str(target),
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GENAI_DBT_TARGET": "test",
        "GENAI_TEST_WAREHOUSE": str(database),
        "GENAI_LANDING_DIR": str(landing.resolve()),
    }
    results_file = target / "run_results.json"
    results_file.unlink(missing_ok=True)
    measurement = measure.run(command, env=env, cwd=project, log=log, timeout=timeout)
    results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    return measurement, results


def node_times(results: dict) -> dict[str, float]:
    """Seconds per node (by unique_id, e.g. ``model.genai_report.int_cases``) from run_results.json."""
    return {r["unique_id"]: float(r.get("execution_time") or 0.0) for r in results.get("results", [])}


def failures(results: dict) -> list[str]:
    return [
        f"{r['unique_id']}: {r['status']}"
        for r in results.get("results", [])
        if r.get("status") not in ("success", "pass", "warn", "skipped")
    ]
