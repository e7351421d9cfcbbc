"""`python -m genai_report.validate FILE [FILE ...]`: a ministry checks its file(s) before submitting.

The same checks and the same messages as the warehouse, because they *are* the warehouse's: the files
are copied into a temporary landing folder under their period folder, and the real dbt models that
produce ``submission_files`` and ``submission_rejects`` (loader, staging, intermediate, their seeds and
tests) are built into a temporary DuckDB file, with rejects quarantined so every problem is listed.
No warehouse, no network, nothing outside the temporary directory is written.

The period is the folder the file sits in when that folder is named like a period end
(``2025-12-31/``), else it must be given with ``--period``. Exit status: 0 nothing rejected,
1 something rejected (the messages say what to fix), 2 the check could not run (usage error, or dbt
failed).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from collections.abc import Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import duckdb

from genai_report import contract
from genai_report.landing import is_ignored

PERIOD_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DBT_VARS = {"quarantine_rejects": True, "check_publication": False}
#: everything submission_files and submission_rejects are built from (seeds included); tests only
#: where all their parents are selected.
DBT_SELECT = ["--select", "+submission_files +submission_rejects", "--indirect-selection", "cautious"]


class UsageError(Exception):
    pass


@dataclass(frozen=True)
class Submission:
    path: Path
    period: str

    @property
    def landing_name(self) -> str:
        """The file's name in the warehouse's messages: <period>/<file name>."""
        return f"{self.period}/{self.path.name}"


def known_periods() -> list[str]:
    return list(contract.periods())


def plan(files: Sequence[Path], period: str | None) -> tuple[list[Submission], list[str]]:
    """Which file lands in which period folder; -> (submissions, notes about skipped files)."""
    if period is not None and period not in known_periods():
        periods = known_periods()
        raise UsageError(
            f"--period {period} is not a period end of the reporting calendar "
            f"({periods[0]} … {periods[-1]}; quarterly: 06-30, 09-30, 12-31, 03-31)"
        )
    submissions: list[Submission] = []
    notes: list[str] = []
    for file in files:
        if not file.is_file():
            raise UsageError(f"{file}: no such file")
        if is_ignored(file.name):
            notes.append(
                f"{file}: skipped — the warehouse ignores hidden files and Excel lock files (~$…) "
                "/ 隠しファイル・Excelのロックファイルは取り込まれません"
            )
            continue
        file_period = period
        if file_period is None:
            folder = file.resolve().parent.name
            if not PERIOD_FOLDER.match(folder):
                raise UsageError(
                    f"{file}: the file is not in a period folder (YYYY-MM-DD); pass --period, e.g. --period 2025-12-31 "
                    "/ 報告期間のフォルダ（期末日）にないため --period で期末日を指定してください"
                )
            file_period = folder
        submissions.append(Submission(file, file_period))
    seen: dict[str, Path] = {}
    for submission in submissions:
        other = seen.setdefault(submission.landing_name, submission.path)
        if other != submission.path:
            raise UsageError(f"{other} and {submission.path} would both land as {submission.landing_name}")
    return submissions, notes


def _records(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    result = connection.sql(sql)
    return [dict(zip(result.columns, values, strict=True)) for values in result.fetchall()]


def report(database: Path, submissions: Sequence[Submission], out=None) -> int:
    """Print rejects, warnings and the summary from a built validation warehouse; -> exit status."""
    out = out or sys.stdout
    with duckdb.connect(str(database), read_only=True) as connection:
        files = _records(connection, "select * from marts.submission_files order by source_file")
        rejects = _records(
            connection,
            "select * from marts.submission_rejects "
            "order by source_file, row_number nulls first, column_name nulls first, reason",
        )
    origin = {s.landing_name: s.path for s in submissions}
    for file in files:
        name = file["source_file"]
        print(f"== {name}  ({origin.get(name, name)})", file=out)
        for row in (r for r in rejects if r["source_file"] == name):
            print(f"NG  {row['message_en']}", file=out)
            print(f"    {row['message_ja']}", file=out)
        if file["warning"]:
            print(f"WARNING  {name}: {file['warning']}", file=out)
            print(f"    警告 {name}: 様式にない列はデータに取り込まれません（{file['unknown_columns']}）", file=out)
        print(
            f"   rows landed {file['rows_landed']}, accepted {file['rows_accepted']}, "
            f"rejected {file['rows_rejected']}, empty rows skipped {file['empty_rows_skipped']}"
            + (f"; the file is rejected: {file['file_issue']}" if file["file_issue"] else ""),
            file=out,
        )
    landed = sum(f["rows_landed"] for f in files)
    accepted = sum(f["rows_accepted"] for f in files)
    rejected = sum(f["rows_rejected"] for f in files)
    bad_files = sum(1 for f in files if f["file_issue"])
    print(
        f"Summary: {len(files)} file(s), rows landed {landed}, accepted {accepted}, rejected {rejected}; "
        f"files rejected {bad_files}; {len(rejects)} message(s)",
        file=out,
    )
    print(
        f"集計: ファイル {len(files)} 件、行 {landed} 件（受理 {accepted} 件、不受理 {rejected} 件）、"
        f"不受理ファイル {bad_files} 件、メッセージ {len(rejects)} 件",
        file=out,
    )
    if rejects:
        print("NG: fix the rows above and check again / 上記を修正して再度確認してください", file=out)
        return 1
    print("OK: nothing rejected / 不受理となる行はありません", file=out)
    return 0


def validate(submissions: Sequence[Submission], verbose: bool = False, out=None) -> int:
    from genai_report.warehouse import build_warehouse

    out = out or sys.stdout
    with tempfile.TemporaryDirectory(prefix="genai_validate_") as temp:
        landing = Path(temp) / "landing"
        for submission in submissions:
            target = landing / submission.landing_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(submission.path.read_bytes())
        database = Path(temp) / "validate.duckdb"
        dbt_log = io.StringIO()
        with redirect_stdout(out if verbose else dbt_log):
            result = build_warehouse(
                database,
                landing,
                dbt_vars=DBT_VARS,
                extra_args=[*DBT_SELECT, *([] if verbose else ["--quiet"])],
                check=False,
            )
        if not result.success:
            print(dbt_log.getvalue(), file=sys.stderr)
            print(
                "The check could not run (dbt failed, see above); this is a fault of the tool, not of your file "
                f"— {result.exception or 'a model or test failed'}",
                file=sys.stderr,
            )
            return 2
        return report(database, submissions, out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m genai_report.validate",
        description=(
            "Check submission files (CSV/XLSX) with the warehouse's own rules before submitting them. "
            "提出前に報告様式ファイルを倉庫と同じ規則で検査します。"
        ),
        epilog="Exit status: 0 nothing rejected, 1 rejects found, 2 the check could not run.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .csv or .xlsx submission")
    parser.add_argument(
        "--period",
        metavar="YYYY-MM-DD",
        help="the period end the files report on (default: the name of the folder each file is in)",
    )
    parser.add_argument("--verbose", action="store_true", help="show dbt's output")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        submissions, notes = plan(args.files, args.period)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"error: {error}", file=sys.stderr)
        return 2
    for note in notes:
        print(note)
    if not submissions:
        print("error: no file left to check", file=sys.stderr)
        return 2
    return validate(submissions, verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
