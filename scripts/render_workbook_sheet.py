"""Render one sheet of an exported workbook to PNG, to look at the layout without Excel.

    .venv/bin/python scripts/render_workbook_sheet.py build/report/genai_report_2025-12-31.xlsx T02 out.png

Keeps only the chosen sheet (a copy; the workbook is not changed), converts it with
`libreoffice --headless --convert-to pdf` and rasterises the first page with `pdftoppm`
(Debian packages libreoffice-calc and poppler-utils). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook


def convert(path: Path, target: str, out_dir: Path, *, timeout: int = 300) -> Path:
    """`libreoffice --headless --convert-to TARGET` (e.g. "pdf", "xlsx:Calc MS Excel 2007 XML") into
    `out_dir`, with a throw-away user profile there; -> the file written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{out_dir.resolve() / '.profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    written = out_dir / f"{Path(path).stem}.{target.split(':')[0]}"
    if not written.exists():
        raise SystemExit(f"libreoffice wrote no {written.name} for {path}")
    return written


def render(workbook_path: Path, sheet: str, out_png: Path, *, dpi: int = 110, page: int = 1) -> Path:
    for tool in ("libreoffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: apt-get install -y libreoffice-calc poppler-utils")
    workbook = load_workbook(workbook_path)
    if sheet not in workbook.sheetnames:
        raise SystemExit(f"no sheet {sheet!r} in {workbook_path}; sheets: {', '.join(workbook.sheetnames)}")
    for name in workbook.sheetnames:
        if name != sheet:
            del workbook[name]
    for name in list(workbook.defined_names):
        del workbook.defined_names[name]
    with tempfile.TemporaryDirectory(prefix="render_sheet_") as scratch:
        scratch_dir = Path(scratch)
        single = scratch_dir / f"{Path(workbook_path).stem}_{sheet}.xlsx"
        workbook.save(single)
        pdf = convert(single, "pdf", scratch_dir)
        prefix = scratch_dir / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(prefix),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        out_png = Path(out_png)
        out_png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(prefix.with_suffix(".png"), out_png)
    return out_png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("sheet", help="sheet name, e.g. T02 or 表紙")
    parser.add_argument("out_png", type=Path)
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--page", type=int, default=1, help="page of the sheet's PDF to render")
    args = parser.parse_args(argv)
    print(render(args.workbook, args.sheet, args.out_png, dpi=args.dpi, page=args.page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
