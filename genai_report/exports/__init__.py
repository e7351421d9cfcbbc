"""The report as people read it, produced from a built warehouse (read-only) into a folder.

    write_all(database, out_dir) -> [paths]
    python -m genai_report.exports WAREHOUSE OUT_DIR [--period 2025-12-31]

Writes genai_report_<period>.xlsx (workbook.py), genai_report_<period>.html (html_report.py) and
open_data/*.csv (open_data.py). Every figure comes from the report-layout marts and the cube; the
exports arrange them, they never count a case. See docs/exports.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from genai_report.exports.common import ExportError, choose_period, collect_provenance, read_only

__all__ = ["ExportError", "write_all"]


def write_all(
    database: Path,
    out_dir: Path,
    *,
    period_end: dt.date | str | None = None,
    landing_dir: Path | None = None,
    manifest_path: Path | None = None,
) -> list[Path]:
    """Write the workbook, the HTML report (both for `period_end`, default the latest period in the
    warehouse) and the open data; return the files written."""
    from genai_report.exports.html_report import write_html_report
    from genai_report.exports.open_data import write_open_data
    from genai_report.exports.workbook import write_workbook

    database, out_dir = Path(database), Path(out_dir)
    with read_only(database) as connection:
        period = choose_period(connection, period_end)
        provenance = collect_provenance(connection, database, landing_dir)
    stem = f"genai_report_{period.period_end.isoformat()}"
    options = {"period_end": period.period_end, "provenance": provenance}
    return [
        write_workbook(database, out_dir / f"{stem}.xlsx", **options),
        write_html_report(database, out_dir / f"{stem}.html", **options),
        *write_open_data(database, out_dir / "open_data", manifest_path=manifest_path),
    ]
