"""The same project on a distributed engine: the shipped sample built on Spark gives the DuckDB report.

The Spark build runs as `make build-spark` runs it (genai_report.spark_build in .venv-spark: the landing
step, then `dbt build --target spark` with every dbt test, the reconciliation with the publication
included), into a temporary warehouse folder, and exports the marts to Parquet. report_cells must then
equal the DuckDB build's cell for cell, and so must every other mart. `make test` creates .venv-spark
from requirements-spark.lock wherever Java is present (like .venv, reused while the lock is unchanged)
and so runs these tests; they skip, with the reason, only where Java is missing (or, under a plain
`pytest`, where .venv-spark was never set up).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import duckdb
import pytest

from genai_report.contract import DIMENSIONS
from tests.python.conftest import PROJECT_DIR, SHIPPED_LANDING

pytestmark = pytest.mark.spark

SPARK_PYTHON = PROJECT_DIR / ".venv-spark" / "bin" / "python"
REPORT_CELLS_KEY = ["table_id", "period_end", *DIMENSIONS, "measure"]
# Seeds' integer columns are typed by dbt's CSV inference, which each adapter maps to its own width.
SAME_NUMBERS = {("INTEGER", "BIGINT")}


def missing_requirement() -> str | None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java on PATH or JAVA_HOME (Spark needs Java 17 or 21)"
    if not SPARK_PYTHON.exists():
        return ".venv-spark is absent (make test, or make setup-spark, creates it from requirements-spark.lock)"
    return None


@pytest.fixture(scope="module")
def spark_export(tmp_path_factory):
    """The marts of the shipped sample built on Spark, as DIR/<table>.parquet."""
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("spark")
    export, timings = root / "export", root / "timings.json"
    command = [
        str(SPARK_PYTHON), "-m", "genai_report.spark_build", "--landing-dir", str(SHIPPED_LANDING),
        "--warehouse", str(root / "warehouse"), "--export", str(export), "--timings", str(timings),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, f"the Spark build failed:\n{result.stdout[-8000:]}\n{result.stderr[-4000:]}"
    print(json.dumps(json.loads(timings.read_text()), indent=2))
    return export


def differences(connection, relation: str, parquet: str, key: list[str] | None = None) -> list[str]:
    """What differs between a DuckDB relation and a Spark export, as readable lines (empty: identical)."""

    def column_types(relation: str) -> dict[str, str]:
        return {name: kind for name, kind, *_ in connection.sql(f"describe select * from {relation}").fetchall()}

    duck, spark = column_types(relation), column_types(f"read_parquet('{parquet}')")
    if list(duck) != list(spark):
        return [f"columns: DuckDB {list(duck)}, Spark {list(spark)}"]
    found = [
        f"type of {name}: DuckDB {duck[name]}, Spark {spark[name]}"
        for name in duck
        if duck[name] != spark[name] and (duck[name], spark[name]) not in SAME_NUMBERS
    ]
    columns = ", ".join(f'"{name}"' for name in duck)
    for side, first, second in [
        ("DuckDB", relation, f"read_parquet('{parquet}')"),
        ("Spark", f"read_parquet('{parquet}')", relation),
    ]:
        only = connection.sql(f"select {columns} from {first} except all select {columns} from {second}")
        found += [f"only on {side}: {row}" for row in only.fetchmany(20)]
    if key:
        keys = ", ".join(key)
        duplicated = connection.sql(
            f"select {keys}, count(*) from read_parquet('{parquet}') group by all having count(*) > 1"
        ).fetchmany(5)
        found += [f"duplicated key on Spark: {row}" for row in duplicated]
    return found


def test_report_cells_equal_the_duckdb_build_cell_for_cell(spark_export, shipped_warehouse):
    parquet = str(spark_export / "report_cells.parquet")
    with duckdb.connect(str(shipped_warehouse), read_only=True) as connection:
        assert differences(connection, "marts.report_cells", parquet, REPORT_CELLS_KEY) == []
        cells = connection.sql(f"select count(*), sum(value) from read_parquet('{parquet}')").fetchone()
        assert cells == connection.sql("select count(*), sum(value) from marts.report_cells").fetchone()
        assert cells[0] > 2000


def test_every_mart_equals_the_duckdb_build(spark_export, shipped_warehouse):
    with duckdb.connect(str(shipped_warehouse), read_only=True) as connection:
        marts = sorted(
            name
            for (name,) in connection.sql(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        )
        exported = sorted(path.stem for path in spark_export.glob("*.parquet"))
        assert exported == marts
        found = {
            name: differences(connection, f"marts.{name}", str(spark_export / f"{name}.parquet")) for name in marts
        }

    assert {name: lines for name, lines in found.items() if lines} == {}
