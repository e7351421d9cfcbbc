"""python -m genai_report.kit --period YYYY-MM-DD --out DIR [--warehouse FILE]"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from genai_report.contract import PROJECT_DIR
from genai_report.exports.common import command_line_writer
from genai_report.kit import KitError, write_kit

DEFAULT_WAREHOUSE = "warehouse/genai_report.duckdb"
DESCRIPTION = (
    "Write the submission kit: one prefilled form per ministry for the given period. "
    "各府省庁向けの報告様式（前回報告の案件を記入済み）を作成します。"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genai_report.kit", description=DESCRIPTION)
    parser.add_argument("--period", required=True, metavar="YYYY-MM-DD", help="the period end the form is for")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write <ministry>.xlsx into")
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("GENAI_WAREHOUSE") or PROJECT_DIR / DEFAULT_WAREHOUSE),
        help="the published warehouse to read the cases from (default: $GENAI_WAREHOUSE or %(default)s)",
    )
    args = parser.parse_args(argv)
    return command_line_writer(lambda: write_kit(args.warehouse, args.period, args.out), KitError, "kit")


if __name__ == "__main__":
    sys.exit(main())
