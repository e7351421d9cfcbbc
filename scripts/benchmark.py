"""Benchmarks of the warehouse build (not a test). Method and results: docs/benchmarks.md.

    .venv/bin/python scripts/benchmark.py                       # sizes + incremental + make build + plot
    .venv/bin/python scripts/benchmark.py sizes --sizes 1e3,1e5 # pick N
    .venv/bin/python scripts/benchmark.py sizes --sizes 1e7 --variants fast --timeout 3600
    .venv/bin/python scripts/benchmark.py incremental --periods 10,40,100
    .venv/bin/python scripts/benchmark.py make-build
    .venv/bin/python scripts/benchmark.py verify                # tree vs fast on shipped + hostile data
    .venv/bin/python scripts/benchmark.py plot
    .venv/bin/python scripts/benchmark.py tables                # markdown of the latest rows

Synthetic submissions (Parquet, plus CSV at small N) are built into throw-away DuckDB files under
--work with dbt in a subprocess (own --target-path, publication checks off). Variant "tree" is
the project as it is; "fast" is the same project with the performance changes of
genai_report/benchmark/patches.py applied to the benchmark's copy only. Rows are appended to
benchmarks/results.csv, incremental.csv and make_build.csv; the plot goes to benchmarks/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from genai_report.benchmark import plot, report, suite  # noqa: E402


def _sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part.strip()]


def _variants(text: str) -> list[str]:
    variants = [v.strip() for v in text.split(",") if v.strip()]
    unknown = set(variants) - set(suite.VARIANTS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown variant(s) {', '.join(sorted(unknown))}; use {suite.VARIANTS}")
    return variants


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "what",
        nargs="?",
        default="all",
        choices=["all", "sizes", "incremental", "make-build", "verify", "plot", "tables"],
    )
    parser.add_argument("--sizes", type=_sizes, default=[1_000, 100_000, 1_000_000], help="case rows, e.g. 1e3,1e5")
    parser.add_argument("--variants", type=_variants, default=["tree", "fast"])
    parser.add_argument("--tree-max", type=float, default=1e5, help="largest N built with the unchanged project")
    parser.add_argument("--csv-max", type=float, default=1e5, help="largest N also landed as CSV")
    parser.add_argument("--periods", type=_sizes, default=[10, 40, 100], help="periods loaded before adding one")
    parser.add_argument("--rows-per-period", type=int, default=2_500)
    parser.add_argument("--incremental-variants", type=_variants, default=["fast"])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a build is killed")
    parser.add_argument("--work", type=Path, default=Path("/tmp/genai_benchmark"))
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "benchmarks")
    parser.add_argument(
        "--publish", type=Path, default=Path("/tmp/bench_publish.duckdb"), help="make build's warehouse"
    )
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit for the builds, e.g. 1500MB (default: DuckDB's)")
    args = parser.parse_args(argv)

    if args.what == "tables":
        print(
            report.markdown(
                suite.read_rows(args.out / "results.csv"),
                suite.read_rows(args.out / "incremental.csv"),
                suite.read_rows(args.out / "make_build.csv"),
            )
        )
        return 0
    options = suite.Options(args.work, args.out, args.timeout, args.keep_databases, args.memory_limit)
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.what in ("all", "sizes"):
        suite.run_sizes(options, args.sizes, args.variants, int(args.csv_max), int(args.tree_max))
    if args.what in ("all", "incremental"):
        suite.run_incremental(options, args.periods, args.rows_per_period, args.incremental_variants)
    if args.what in ("all", "make-build"):
        suite.run_make_build(options, args.publish)
    if args.what in ("all", "verify"):
        suite.verify_variants(options)
    figure = plot.write(
        args.out / "benchmarks",
        suite.read_rows(args.out / "results.csv"),
        suite.read_rows(args.out / "incremental.csv"),
    )
    suite.log(f"plot: {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
