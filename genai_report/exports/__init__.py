"""The report as people read it, produced from a built warehouse (read-only) into a folder.

    write_all(database, out_dir, periods=None) -> [paths]
    python -m genai_report.exports WAREHOUSE OUT_DIR [--period 2025-12-31 ...]

Writes, for each period asked for (default: every period in the warehouse),
genai_report_<period>.xlsx (workbook.py) and genai_report_<period>.html (html_report.py), each
laying out that one period's cells of the cube (marts.report_cells) as the report contract says
(layout.py); and the open data (open_data.py): per-period CSV and Parquet files for those periods,
written by DuckDB COPY, and the whole-history files. Every figure comes from the marts; the exports
arrange them, they never count a case. See docs/exports.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from genai_report.exports.common import ExportError, choose_period, collect_provenance, loaded_periods, read_only

__all__ = ["ExportError", "write_all"]

#: the per-period report files: the workbook and the HTML report.
SUFFIXES = (".xlsx", ".html")


def write_all(
    database: Path,
    out_dir: Path,
    periods: list[dt.date | str] | None = None,
    *,
    period_end: dt.date | str | None = None,
    landing_dir: Path | None = None,
    manifest_path: Path | None = None,
    history_reports: bool = True,
) -> list[Path]:
    """Write the workbook and the HTML report of each of `periods` (default: every loaded period;
    `period_end` is the same as `periods=[period_end]`) and the open data; return the files written.

    An incremental build passes the periods it changed. Whatever shows a changed period's figures
    is written again with it, so nothing stale is left: the workbook and HTML of every later period
    (their trend charts run through the earlier periods) and the open data of the next period
    (its prior_value). Every other period's files stay as they are.

    `history_reports=False` (what `make build` asks for) keeps one workbook and one HTML report, the
    latest period's — the publication being produced, whose charts run through every period — and
    removes the other periods' workbooks and HTML reports; the open data still covers every period.
    A full rebuild of a long history then writes one report, not one per period.
    """
    from genai_report.exports.html_report import write_html_report
    from genai_report.exports.open_data import write_open_data
    from genai_report.exports.workbook import write_workbook

    database, out_dir = Path(database), Path(out_dir)
    if period_end is not None:
        periods = [*(periods or []), period_end]
    with read_only(database) as connection:
        choose_period(connection, None)  # fails, and says why, on a warehouse with no period
        loaded = loaded_periods(connection)
        given = loaded if periods is None else [choose_period(connection, period) for period in periods]
        provenance = collect_provenance(connection, database, landing_dir)
    first = min(period.period_end for period in given)
    reports = [period for period in loaded if period.period_end >= first]
    if not history_reports:
        reports = reports[-1:]
        kept = {f"genai_report_{period.period_end.isoformat()}{suffix}" for period in reports for suffix in SUFFIXES}
        for old in [path for suffix in SUFFIXES for path in out_dir.glob(f"genai_report_*{suffix}")]:
            if old.name not in kept:
                old.unlink()
    changed = {period.period_end for period in given}
    tables = [p for p in loaded if p.period_end in changed or p.previous_period_end in changed]
    written: list[Path] = []
    for period in reports:
        stem = f"genai_report_{period.period_end.isoformat()}"
        options = {"period_end": period.period_end, "provenance": provenance}
        written.append(write_workbook(database, out_dir / f"{stem}.xlsx", **options))
        written.append(write_html_report(database, out_dir / f"{stem}.html", **options))
    selected = None if periods is None else [period.period_end for period in tables]
    written += write_open_data(database, out_dir / "open_data", manifest_path=manifest_path, periods=selected)
    return written
