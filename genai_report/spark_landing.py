"""The Spark target's landing step: the one place where the Spark build differs from the DuckDB one.

On DuckDB the loader is the dbt Python model ``base_submissions__landed`` over ``read_blob()``. dbt-spark's
session method runs SQL models only, so for Spark this step calls the same records function,
:func:`genai_report.landing.load_landing`, on an in-memory DuckDB's ``read_blob()`` of the landing folder,
writes the records (the loader's layout, ``RECORD_COLUMNS``) to Parquet and saves them as the table
``landing.submission_records``. `dbt build --target spark` reads that
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
import tempfile
import time
from pathlib import Path

from genai_report.contract import PROJECT_DIR, sql_string
from genai_report.landing import RECORD_COLUMNS, load_landing

#: The table the landing step writes and the dbt source spark_landing.submission_records names.
LANDING_SCHEMA = "landing"
LANDING_TABLE = f"{LANDING_SCHEMA}.submission_records"


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


def write_landing_records(top: Path, target: Path) -> int:
    """Write the loader's records of every landing file under ``top`` to the Parquet file ``target``."""
    import duckdb

    with duckdb.connect() as connection:
        blobs = connection.sql(f"select filename, size from read_blob({sql_string(str(top) + '/**')})")
        records = load_landing(connection, blobs, str(top), workdir=target.parent)
        records.select(*RECORD_COLUMNS).write_parquet(str(target))
        return connection.sql(f"select count(*) from read_parquet({sql_string(str(target))})").fetchone()[0]


def land(session, top: Path) -> int:
    """Replace ``landing.submission_records`` with the records of the files under ``top``; returns their count."""
    with tempfile.TemporaryDirectory(prefix="genai-spark-landing-") as scratch:
        target = Path(scratch) / "records.parquet"
        count = write_landing_records(top, target)
        session.sql(f"create database if not exists {LANDING_SCHEMA}")
        frame = session.read.parquet(str(target))
        frame.write.mode("overwrite").format("parquet").saveAsTable(LANDING_TABLE)
    return count


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
