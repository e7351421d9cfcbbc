"""What the cube would cost without the warehouse's model: a hand-written floor and pandas.

Both start from the loaded, decided case table (``intermediate.int_cases``: one row per case per
period, with each table's membership column), so they measure only the counting step that
``report_cells`` does.

* floor: one DuckDB ``GROUP BY period_end, CUBE(...)`` per report table (T03 alone, and all nine
  in one statement), written into a temporary table. No zero cells, no prior-period join: the
  least any engine must do to count the cube.
* pandas: the same cube as an analyst would compute it from a DataFrame of the case table: one
  ``groupby(...).size()`` per subset of the table's dimensions (a CUBE has 2^k groupings; pandas
  has no CUBE, and ``pivot_table(margins=True)`` gives only the grand totals of one layout).
* Polars: the same ``group_by`` per subset, on a Polars frame
  read from a Parquet copy of the case table (Polars reads Parquet natively; the copy is not timed).

The model's own counting step is timed the same way: ``report_cells``' compiled SQL run by DuckDB
without dbt around it.

Run as ``python -m benchmarks.baselines <database> <out.json> [<compiled report_cells>] [--no-pandas]``
so its memory (pandas holds the whole case table) is measured apart from dbt's.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl

from genai_report import contract

#: report table -> int_cases columns it is cross-tabulated by, in the cube's order (the report contract).
TABLES: dict[str, list[str]] = {
    table.table_id: [d.source for d in sorted(table.dimensions, key=lambda d: list(contract.DIMENSIONS).index(d.name))]
    for table in contract.TABLES
}
#: tables that also count distinct ministries per cell.
MINISTRY_COUNT = {table.table_id for table in contract.TABLES if table.has_ministry_count}
CASES = "intermediate.int_cases"


def floor_sql(table_ids: list[str]) -> str:
    parts = []
    for table_id in table_ids:
        dims = TABLES[table_id]
        measures = "count(*) as case_count"
        if table_id in MINISTRY_COUNT:
            measures += ", count(distinct ministry_code) as ministry_count"
        else:
            measures += ", cast(null as bigint) as ministry_count"
        padded = [f"case when grouping({d}) = 1 then '_T' else {d} end as d{i}" for i, d in enumerate(dims)]
        padded += [f"cast(null as varchar) as d{i}" for i in range(len(dims), 4)]
        parts.append(
            f"select '{table_id}' as table_id, period_end, {', '.join(padded)}, {measures} "
            f"from {CASES} where {table_id.lower()}_membership = 'INCLUDED' "
            f"group by period_end, cube({', '.join(dims)})"
        )
    return "\nunion all\n".join(parts)


def _timed(fn):
    started = time.perf_counter()
    cpu = time.process_time()
    result = fn()
    return result, time.perf_counter() - started, time.process_time() - cpu


def run_floor(con: duckdb.DuckDBPyConnection, table_ids: list[str], repeat: int = 3) -> tuple[float, float, int]:
    """Best of ``repeat`` runs -> (wall s, cpu s, cells)."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        _, wall, cpu = _timed(lambda: con.execute(f"create or replace temp table floor as {floor_sql(table_ids)}"))
        best = min(best, (wall, cpu))
    cells = con.sql("select count(*) from floor").fetchone()[0]
    return best[0], best[1], cells


def pandas_cube(frame: pd.DataFrame, table_ids: list[str]) -> pd.DataFrame:
    out = []
    for table_id in table_ids:
        dims = TABLES[table_id]
        included = frame[frame[table_id.lower()]]
        for k in range(len(dims) + 1):
            for subset in itertools.combinations(dims, k):
                grouped = included.groupby(["period_end", *subset], sort=False)
                cells = grouped.size().rename("case_count").reset_index()
                if table_id in MINISTRY_COUNT:
                    cells["ministry_count"] = grouped["ministry_code"].nunique().to_numpy()
                for d in dims:
                    if d not in subset:
                        cells[d] = "_T"
                cells["table_id"] = table_id
                out.append(cells)
    return pd.concat(out, ignore_index=True)


def polars_cube(frame: pl.DataFrame, table_ids: list[str]) -> pl.DataFrame:
    out = []
    for table_id in table_ids:
        dims = TABLES[table_id]
        included = frame.filter(pl.col(table_id.lower()))
        for k in range(len(dims) + 1):
            for subset in itertools.combinations(dims, k):
                measures = [pl.len().alias("case_count")]
                if table_id in MINISTRY_COUNT:
                    measures.append(pl.col("ministry_code").n_unique().alias("ministry_count"))
                cells = included.group_by(["period_end", *subset]).agg(measures)
                cells = cells.with_columns(
                    *(pl.lit("_T").alias(d) for d in dims if d not in subset), pl.lit(table_id).alias("table_id")
                )
                out.append(cells)
    return pl.concat(out, how="diagonal")


def _case_columns() -> tuple[list[str], list[str]]:
    columns = sorted({c for dims in TABLES.values() for c in dims} | {"period_end", "ministry_code"})
    flags = [f"{t.lower()}_membership = 'INCLUDED' as {t.lower()}" for t in TABLES]
    return columns, flags


def load_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    columns, flags = _case_columns()
    return con.sql(f"select {', '.join(columns)}, {', '.join(flags)} from {CASES}").df()


def load_polars(con: duckdb.DuckDBPyConnection, copy: Path) -> pl.DataFrame:
    """The case table as a Polars frame, through a Parquet copy (DuckDB -> Polars needs pyarrow)."""
    columns, flags = _case_columns()
    query = f"select {', '.join(columns)}, {', '.join(flags)} from {CASES}"
    con.execute(f"copy ({query}) to {contract.sql_string(str(copy))} (format parquet)")
    return pl.read_parquet(copy)


def check_floor(con: duckdb.DuckDBPyConnection) -> bool:
    """The floor counts the same cube as report_cells: its cells are report_cells' non-zero cells."""
    con.execute(f"create or replace temp table floor as {floor_sql(list(TABLES))}")
    floor = con.sql("select table_id, count(*), sum(case_count) from floor group by 1 order by 1").fetchall()
    model = con.sql(
        "select table_id, count(*), sum(value) from marts.report_cells "
        "where measure = 'case_count' and value > 0 group by 1 order by 1"
    ).fetchall()
    return [tuple(r) for r in floor] == [tuple(r) for r in model]


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, repeat: int = 3) -> tuple[float, float]:
    """Best of ``repeat`` runs of ``create temp table ... as <sql>`` -> (wall s, cpu s)."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        _, wall, cpu = _timed(lambda: con.execute(f"create or replace temp table timed as {sql}"))
        best = min(best, (wall, cpu))
    return best


def main(database: Path, out: Path, compiled_cube: Path | None = None, with_pandas: bool = True) -> None:
    result: dict[str, object] = {}
    with duckdb.connect(str(database)) as con:
        result["cases"] = con.sql(f"select count(*) from {CASES}").fetchone()[0]
        if compiled_cube is not None and compiled_cube.exists():
            # report_cells' own SQL (as dbt compiled it), run by DuckDB without dbt around it.
            result["cube_engine_s"], result["cube_engine_cpu_s"] = run_sql(con, compiled_cube.read_text("utf-8"))
        result["floor_matches_report_cells"] = check_floor(con)
        result["floor_t03_s"], result["floor_t03_cpu_s"], result["floor_t03_cells"] = run_floor(con, ["T03"])
        result["floor_all_s"], result["floor_all_cpu_s"], result["floor_all_cells"] = run_floor(con, list(TABLES))
        if with_pandas:
            frame, result["pandas_load_s"], _ = _timed(lambda: load_frame(con))
    if with_pandas:
        cube, result["pandas_t03_s"], result["pandas_t03_cpu_s"] = _timed(lambda: pandas_cube(frame, ["T03"]))
        result["pandas_t03_cells"] = len(cube)
        cube, result["pandas_all_s"], result["pandas_all_cpu_s"] = _timed(lambda: pandas_cube(frame, list(TABLES)))
        result["pandas_all_cells"] = len(cube)
        del frame, cube
    with duckdb.connect(str(database)) as con:
        frame = load_polars(con, out.with_suffix(".cases.parquet"))
    cube, result["polars_t03_s"], result["polars_t03_cpu_s"] = _timed(lambda: polars_cube(frame, ["T03"]))
    result["polars_t03_cells"] = len(cube)
    cube, result["polars_all_s"], result["polars_all_cpu_s"] = _timed(lambda: polars_cube(frame, list(TABLES)))
    result["polars_all_cells"] = len(cube)
    out.with_suffix(".cases.parquet").unlink(missing_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--no-pandas"]
    main(
        Path(arguments[0]),
        Path(arguments[1]),
        Path(arguments[2]) if len(arguments) > 2 else None,
        with_pandas="--no-pandas" not in sys.argv,
    )
