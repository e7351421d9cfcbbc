"""python -m genai_report.exports WAREHOUSE OUT_DIR [--period YYYY-MM-DD ...] [--landing-dir DIR] [--manifest FILE]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from genai_report.exports import ExportError, write_all
from genai_report.exports.common import command_line_writer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m genai_report.exports",
        description="Write the Excel workbook, the HTML report and the open data from a built warehouse.",
    )
    parser.add_argument("warehouse", type=Path, help="the DuckDB file (opened read-only)")
    parser.add_argument("out_dir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument(
        "--period",
        action="append",
        dest="periods",
        help="period end, e.g. 2025-12-31; repeatable (default: every period in the warehouse)",
    )
    parser.add_argument("--landing-dir", type=Path, help="landing folder to checksum (default: $GENAI_LANDING_DIR)")
    parser.add_argument("--manifest", type=Path, help="dbt manifest.json for the data dictionary")
    args = parser.parse_args(argv)
    return command_line_writer(
        lambda: write_all(
            args.warehouse, args.out_dir, args.periods, landing_dir=args.landing_dir, manifest_path=args.manifest
        ),
        ExportError,
        "export",
    )


if __name__ == "__main__":
    sys.exit(main())
