"""The Spark target's landing step: the one place where the Spark build differs from the DuckDB one.

On DuckDB the loader is the dbt Python model ``stg_submissions__landed`` over ``read_blob()``. dbt-spark's
session method runs SQL models only, so for Spark this step reads the landing folder with the same
reader (:func:`genai_report.landing.parse_landing_files`; Parquet landing files through
:func:`genai_report.landing.parquet_landing_sql`, as the DuckDB loader reads them) and saves the records,
in the loader's layout, as the table ``landing.submission_records``. `dbt build --target spark` reads that
table as the source ``spark_landing.submission_records`` (macro ``landed_records``); everything after it is
the same SQL on both engines.

Runs in .venv-spark: ``python -m genai_report.spark_landing`` (``make build-spark`` runs it through
:mod:`genai_report.spark_build`). The SparkSession is configured by the ``spark`` target of profiles.yml
(its ``server_side_parameters``), so this step and dbt share one metastore and one warehouse folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pyarrow as pa

from genai_report.landing import (
    OUTPUT_COLUMNS,
    is_ignored,
    is_parquet,
    parquet_landing_sql,
    parse_landing_files,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: The table the landing step writes and the dbt source spark_landing.submission_records names.
LANDING_SCHEMA = "landing"
LANDING_TABLE = f"{LANDING_SCHEMA}.submission_records"
#: Columns of the loader's layout that hold integers (the others are text).
INTEGER_COLUMNS = frozenset({"header_row", "row_number", "empty_rows_skipped", "data_rows"})
RECORD_SCHEMA = pa.schema([(c, pa.int64() if c in INTEGER_COLUMNS else pa.string()) for c in OUTPUT_COLUMNS])


def landing_dir() -> Path:
    return Path(os.environ.get("GENAI_LANDING_DIR", PROJECT_DIR / "data" / "landing")).resolve()


def spark_warehouse() -> Path:
    return Path(os.environ.get("GENAI_SPARK_WAREHOUSE", PROJECT_DIR / "warehouse" / "spark")).resolve()


def spark_parameters(target: str = "spark") -> dict[str, str]:
    """The ``server_side_parameters`` of a profiles.yml target, rendered as dbt renders them."""
    from dbt.config.profile import read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    set_invocation_context(dict(os.environ))
    profile = read_profile(os.environ.get("DBT_PROFILES_DIR", str(PROJECT_DIR)))
    output = profile["genai_report"]["outputs"][target]
    rendered = ProfileRenderer({}).render_data(output)
    return {str(key): str(value) for key, value in (rendered.get("server_side_parameters") or {}).items()}


def spark_session(target: str = "spark"):
    """The SparkSession of the profile's Spark target (dbt-spark's session method gets the same one)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_parameters(target).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(os.environ.get("GENAI_SPARK_LOG_LEVEL", "ERROR"))
    return session


def _landing_files(top: Path) -> list[str]:
    """Every non-ignored file under ``top`` as a '/'-separated relative path, sorted."""
    found = []
    for path in top.rglob("*"):
        relative = path.relative_to(top).as_posix()
        if path.is_file() and not is_ignored(relative):
            found.append(relative)
    return sorted(found)


def landing_records(top: Path) -> pa.Table:
    """The loader's records (``OUTPUT_COLUMNS``) of every landing file under ``top``."""
    files = _landing_files(top)
    parsed = parse_landing_files((name, (top / name).read_bytes()) for name in files if not is_parquet(name))
    tables = [pa.Table.from_pandas(parsed, preserve_index=False).select(list(OUTPUT_COLUMNS)).cast(RECORD_SCHEMA)]
    parquet = [(relative, str(top / relative)) for relative in files if is_parquet(relative)]
    if parquet:
        import duckdb

        with duckdb.connect() as connection:
            sql = parquet_landing_sql(connection, parquet)
            columns = ", ".join(f'"{column}"' for column in OUTPUT_COLUMNS)
            tables.append(connection.sql(f"select {columns} from ({sql})").to_arrow_table().cast(RECORD_SCHEMA))
    return pa.concat_tables(tables)


def land(session, top: Path) -> int:
    """Replace ``landing.submission_records`` with the records of the files under ``top``; returns their count."""
    records = landing_records(top)
    session.sql(f"create database if not exists {LANDING_SCHEMA}")
    frame = session.createDataFrame(records)
    frame.write.mode("overwrite").format("parquet").saveAsTable(LANDING_TABLE)
    return records.num_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--landing-dir", type=Path, default=None, help="default: $GENAI_LANDING_DIR or data/landing")
    args = parser.parse_args(argv)
    top = (args.landing_dir or landing_dir()).resolve()
    started = time.perf_counter()
    session = spark_session()
    count = land(session, top)
    print(f"landed {count} records from {top} into {LANDING_TABLE} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
