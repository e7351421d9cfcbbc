"""Benchmarks of the warehouse as users run it (not a test). Method and results: docs/benchmarks.md.

    .venv/bin/python scripts/benchmark.py                          # sizes 1e3,1e5 + add one period + make build
    .venv/bin/python scripts/benchmark.py sizes --sizes 1e3        # a quick smoke run
    .venv/bin/python scripts/benchmark.py sizes --sizes 1e6,1e7 --timeout 7200
    .venv/bin/python scripts/benchmark.py sizes --sizes 1e5 --formats forms --no-baselines
    .venv/bin/python scripts/benchmark.py add-one-period --periods 10,40,100
    .venv/bin/python scripts/benchmark.py make-build               # make build on the shipped data, cold/warm
    .venv/bin/python scripts/benchmark.py plot
    .venv/bin/python scripts/benchmark.py tables                   # markdown of the latest rows

sizes: for each N, a synthetic landing as Parquet and as the forms ministries send (CSV UTF-8, UTF-8
with BOM and CP932, and XLSX up to --xlsx-max rows: above it openpyxl is too slow to write them, so
the forms are CSV only; the row says so), every value a variant spelling that must normalise. On each
the whole `make build` (dbt build, GX gate, docs, exports in one process) of a snapshot of the working
tree, publication check off: wall time, CPU time and peak RSS of the process tree. Then, on the
warehouse it built, the cube step (report_cells' own SQL) against a hand-written DuckDB floor,
pandas and Polars (benchmarks/baselines.py).
add-one-period: with K periods published, the make build after one more period lands.

Run the large sizes (1e6, 1e7) on an idle machine only, and say so with the results: every row
records the load average at its start and end. Rows are appended to benchmarks/sizes.csv,
add_one_period.csv and make_build.csv; the plot goes to benchmarks/benchmarks.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

# benchmarks/ is a top-level folder of the repository, not part of the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import plot, report, suite  # noqa: E402
from genai_report.contract import PROJECT_DIR  # noqa: E402


def _sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part.strip()]


def _formats(text: str) -> list[str]:
    formats = [f.strip() for f in text.split(",") if f.strip()]
    unknown = set(formats) - set(suite.FORMATS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(sorted(unknown))}; use {suite.FORMATS}")
    return formats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "what", nargs="?", default="all", choices=["all", "sizes", "add-one-period", "make-build", "plot", "tables"]
    )
    parser.add_argument("--sizes", type=_sizes, default=[1_000, 100_000], help="case rows, e.g. 1e3,1e5,1e6,1e7")
    parser.add_argument("--formats", type=_formats, default=list(suite.FORMATS), help="parquet,forms")
    parser.add_argument("--xlsx-max", type=float, default=1e6, help="largest N whose forms include XLSX files")
    parser.add_argument("--no-baselines", action="store_true", help="skip floor / pandas / Polars")
    parser.add_argument(
        "--no-pandas", action="store_true", help="baselines without pandas (it holds every case in memory)"
    )
    parser.add_argument("--periods", type=_sizes, default=[10, 40, 100], help="periods published before adding one")
    parser.add_argument("--rows-per-period", type=int, default=2_500)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a build is killed")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "genai_benchmark")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "benchmarks")
    parser.add_argument(
        "--publish",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bench_publish.duckdb",
        help="make-build's warehouse",
    )
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument(
        "--memory-limit", help="DuckDB memory_limit of the builds ($GENAI_DUCKDB_MEMORY_LIMIT), e.g. 1GB"
    )
    args = parser.parse_args(argv)

    names = ("sizes.csv", "add_one_period.csv", "make_build.csv")
    sizes_csv, add_one_csv, make_build_csv = (args.out / name for name in names)
    if args.what == "tables":
        print(
            report.markdown(suite.read_rows(sizes_csv), suite.read_rows(add_one_csv), suite.read_rows(make_build_csv))
        )
        return 0
    if args.memory_limit:
        os.environ["GENAI_DUCKDB_MEMORY_LIMIT"] = args.memory_limit  # the builds inherit the environment
    options = suite.Options(
        args.work, args.out, args.timeout, args.keep_databases, args.memory_limit, with_pandas=not args.no_pandas
    )
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    suite.log(f"load average {suite.load_average()} on {os.cpu_count()} CPUs")
    if args.what in ("all", "sizes"):
        suite.run_sizes(options, args.sizes, args.formats, int(args.xlsx_max), not args.no_baselines)
    if args.what in ("all", "add-one-period"):
        suite.run_add_one_period(options, args.periods, args.rows_per_period)
    if args.what in ("all", "make-build"):
        suite.run_make_build(options, args.publish)
    figure = plot.write(args.out / "benchmarks", suite.read_rows(sizes_csv), suite.read_rows(add_one_csv))
    suite.log(f"plot: {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
