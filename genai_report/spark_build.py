"""`make build-spark`: the same report built on a local Spark through dbt-spark (docs/spark.md).

Two steps in one Python process (one JVM): the landing step (:mod:`genai_report.spark_landing`) saves the
landing folder's records as ``landing.submission_records``, then `dbt build --target spark` builds and tests
every seed and model from them. The Hive metastore and the tables live under ``$GENAI_SPARK_WAREHOUSE``
(default ``warehouse/spark``); dbt's target and log folders go there too, so a Spark build never touches
the DuckDB builds' ``target/``. ``--export DIR`` writes every table of the ``marts`` schema to
``DIR/<table>.parquet`` afterwards (the Spark test compares them with the DuckDB build).

Runs in .venv-spark (``make build-spark`` creates it from requirements-spark.lock). Exit 0 only when the
landing step, every model and every dbt test passed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from genai_report.spark_landing import LANDING_TABLE, PROJECT_DIR, land, landing_dir, spark_session, spark_warehouse


def run_dbt_build(warehouse: Path, dbt_vars: dict | None = None, extra_args: list[str] | None = None) -> bool:
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    args = ["build", "--target", "spark", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    args += ["--target-path", str(warehouse / "dbt_target"), "--log-path", str(warehouse / "dbt_logs")]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    result = dbtRunner().invoke(args + (extra_args or []))
    return result.success


def export_marts(session, directory: Path) -> list[str]:
    """Every table of the marts schema as DIR/<table>.parquet; returns the table names."""
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    names = sorted(row.tableName for row in session.sql("show tables in marts").collect() if not row.isTemporary)
    for name in names:
        pq.write_table(session.table(f"marts.{name}").toArrow(), directory / f"{name}.parquet")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--landing-dir", type=Path, help="default: $GENAI_LANDING_DIR or data/landing")
    parser.add_argument("--warehouse", type=Path, help="default: $GENAI_SPARK_WAREHOUSE or warehouse/spark")
    parser.add_argument("--vars", type=json.loads, default=None, help="dbt --vars, as JSON")
    parser.add_argument("--export", type=Path, help="write the marts tables to this folder as Parquet")
    parser.add_argument("--timings", type=Path, help="write the step timings (seconds) to this JSON file")
    args = parser.parse_args(argv)

    # The profile's spark target reads both (its metastore and tables live under the warehouse folder).
    top = (args.landing_dir or landing_dir()).resolve()
    warehouse = (args.warehouse or spark_warehouse()).resolve()
    os.environ["GENAI_LANDING_DIR"] = str(top)
    os.environ["GENAI_SPARK_WAREHOUSE"] = str(warehouse)
    warehouse.mkdir(parents=True, exist_ok=True)

    timings: dict[str, float] = {}
    started = time.perf_counter()
    session = spark_session()
    timings["Spark session start"] = time.perf_counter() - started

    step = time.perf_counter()
    records = land(session, top)
    timings["landing step"] = time.perf_counter() - step
    print(f"== landed {records} records from {top} into {LANDING_TABLE}", flush=True)

    step = time.perf_counter()
    ok = run_dbt_build(warehouse, args.vars)
    timings["dbt build --target spark (seeds, models, tests)"] = time.perf_counter() - step

    if ok and args.export:
        step = time.perf_counter()
        exported = export_marts(session, args.export.resolve())
        timings["export marts"] = time.perf_counter() - step
        print(f"== exported {len(exported)} marts tables to {args.export}", flush=True)
    timings["total"] = time.perf_counter() - started

    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.1f} s")
    if args.timings:
        args.timings.write_text(json.dumps(timings, indent=2), encoding="utf-8")
    if not ok:
        print("dbt build --target spark failed.", file=sys.stderr)
        return 1
    print(f"Built the Spark warehouse {warehouse} in {timings['total']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
