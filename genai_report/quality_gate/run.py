"""Entry points: ``run_gate`` (called by ``make build``) and ``python -m genai_report.quality_gate``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb

from genai_report.quality_gate import frames
from genai_report.quality_gate.checkpoint import Check, report_failures, run_checkpoint
from genai_report.quality_gate.offline import clear_data_docs, make_offline
from genai_report.quality_gate.suites import SUITES

#: The one switch for every check against the publication: the gate reads it, and dbt reads it too
#: (macro check_publication(), the default of the dbt var of the same name).
PUBLICATION_SWITCH = "GENAI_CHECK_PUBLICATION"


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def check_publication_default() -> bool:
    """$GENAI_CHECK_PUBLICATION, default true."""
    return env_flag(PUBLICATION_SWITCH, True)


def build_checks(
    connection: duckdb.DuckDBPyConnection, check_publication: bool, periods: list[str] | None = None
) -> tuple[list[Check], list[str]]:
    """The declared suites with their frames, and for the conditional ones that do not apply, why not."""
    frames.prepare(connection, periods)
    checks, skipped = [], []
    for suite in SUITES:
        if suite.publication:
            if not check_publication:
                skipped.append(f"{suite.name}: publication checks switched off")
                continue
            loaded = frames.publication_periods_loaded(connection)
            if loaded and "published.published_exclusions" not in frames.relations(connection):
                raise frames.GateError(f"periods {loaded} are loaded but published.published_exclusions is missing")
            if not loaded:
                skipped.append(f"{suite.name}: no footnote counts of the publication for the loaded periods")
                continue
        frame = getattr(frames, f"{suite.frame}_frame")(connection)
        if frame is None or (suite.publication and frame.empty):
            what = "no footnote counts of the publication for the loaded periods" if suite.publication else "no rows"
            skipped.append(f"{suite.name}: {what}")
            continue
        checks.append(Check(suite, frame))
    return checks, skipped


def run_gate(
    database: Path,
    data_docs_dir: Path,
    check_publication: bool | None = None,
    periods: list[str] | None = None,
) -> bool:
    """Validate the warehouse file `database`; build Data Docs into `data_docs_dir`.

    Prints every failed expectation (table, period, cell) and returns False on any failure.
    `check_publication` None reads $GENAI_CHECK_PUBLICATION (default true). `periods` (ISO dates
    or dates) limits the checks to those periods, e.g. the ones an incremental build changed, and
    the period after each (its prior_value shows the changed cells); None checks every loaded period.
    """
    started = time.perf_counter()
    if check_publication is None:
        check_publication = check_publication_default()
    database, data_docs_dir = Path(database), Path(data_docs_dir)
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            checks, skipped = build_checks(connection, check_publication, periods)
    except (frames.GateError, duckdb.Error) as error:
        print(f"FAILED quality gate: {error}", file=sys.stderr)
        return False
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    clear_data_docs(data_docs_dir)
    result = run_checkpoint(checks, data_docs_dir)
    make_offline(data_docs_dir)
    failed = report_failures(result)
    expectations = sum(len(check.suite.expectations) for check in checks)
    rows = sum(len(check.frame) for check in checks)
    for reason in skipped:
        print(f"skipped {reason}")
    verdict = "passed" if result.success and not failed else f"FAILED ({len(failed)} expectation(s))"
    scope = "all periods" if periods is None else f"periods {', '.join(sorted(map(str, periods)))}"
    print(
        f"Great Expectations gate {verdict}: {len(checks)} suites, {expectations} expectations, "
        f"{rows} frame rows ({scope}), {time.perf_counter() - started:.1f} s; "
        f"Data Docs: {data_docs_dir / 'index.html'}"
    )
    return bool(result.success) and not failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m genai_report.quality_gate",
        description="Great Expectations gate over a built warehouse (exit 1 on any failed expectation).",
    )
    parser.add_argument("warehouse", type=Path, help="the DuckDB file to check (opened read-only)")
    parser.add_argument("--data-docs", type=Path, default=Path("build/data_quality"), help="Data Docs directory")
    parser.add_argument("--period", action="append", dest="periods", help="check only this period (repeatable)")
    publication = parser.add_mutually_exclusive_group()
    publication.add_argument("--check-publication", dest="check_publication", action="store_true", default=None)
    publication.add_argument("--no-check-publication", dest="check_publication", action="store_false")
    args = parser.parse_args(argv)
    return 0 if run_gate(args.warehouse, args.data_docs, args.check_publication, args.periods) else 1
