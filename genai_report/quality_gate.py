"""The Great Expectations gate: an independent check of a finished warehouse before it is published.

The gate re-derives, in pandas and from the warehouse's own relations, what the report rules of
``report-tables.md`` say must hold, and lets Great Expectations (GX Core 1.x) judge the result:

* every derived check is a small DataFrame with one row per thing checked, keyed by
  ``table`` / ``period_end`` / ``cell`` (``cell`` = the dimension values, or the rule), with the
  value the rule expects and the value the warehouse holds;
* each check is one expectation suite, written out below as code (``_suites``), validated against
  its frame; all suites run in **one checkpoint**; every suite also expects its frame to have rows,
  so no expectation passes for want of data;
* a failure is printed with table, period and cell, and the gate returns False.

GX's SQL datasource returns no rows on DuckDB (an upstream bug), so the relations are read with
DuckDB into pandas and GX validates DataFrames. A GX pandas ``dataframe`` asset takes its frame as a
batch parameter, which a checkpoint passes identically to every validation, so each frame is written
to a private temporary directory and read back by a pandas ``pickle`` asset of its own.

The GX context is ephemeral: nothing GX generates is written to the repository. Data Docs are built
into ``data_docs_dir`` and then made self-contained (see :func:`make_offline`): GX's pages load
Bootstrap, jQuery and bootstrap-table from CDNs; the gate removes those references, inlines a small
stylesheet and script instead, and turns the index page's JavaScript-rendered tables into plain HTML.
What that leaves out: GX's Font Awesome icons (replaced by ✔/✖ glyphs), bootstrap-table's sorting,
search and filter controls on the index page, and the vega charts of profiling pages (the gate makes
none). Restricted fields (案件名, 成果目標の内容, 利用モデル, 高リスク判定) never reach a frame, a
message or the Data Docs.
"""

from __future__ import annotations

import argparse
import ast
import html
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import duckdb
import pandas as pd

# --------------------------------------------------------------------------------------------
# The rules the gate knows, transcribed from /work/shared/spec/report-tables.md (not from the
# dbt macros: the point is an independent second reading).
# --------------------------------------------------------------------------------------------

DIMENSIONS = (
    "usage_type",
    "start_timing",
    "start_status",
    "user_scope",
    "stage",
    "confidentiality",
    "output_type",
    "outcome_goal",
    "model_family",
)
TABLE_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "T01": ("usage_type", "start_timing"),
    "T02": ("usage_type", "start_status", "user_scope"),
    "T03": ("usage_type", "start_status", "user_scope", "stage"),
    "T04": ("usage_type", "start_status", "confidentiality"),
    "T05": ("usage_type", "start_status", "user_scope", "stage"),
    "T06": ("output_type",),
    "T07": ("usage_type", "outcome_goal"),
    "T08": ("usage_type", "start_status", "user_scope", "stage"),
    "T09": ("usage_type", "model_family"),
}
TABLES = tuple(TABLE_DIMENSIONS)
#: the population each table describes (a derived flag, see _populations()).
TABLE_POPULATION = {
    "T01": "active",
    "T02": "government_staff",
    "T03": "government_staff",
    "T04": "government_staff",
    "T05": "external",
    "T06": "active",
    "T07": "active",
    "T08": "discontinued",
    "T09": "active",
}
EXTERNAL_SCOPES = ("EXTERNAL_SPECIFIC", "EXTERNAL_PUBLIC")
#: a case is excluded once, under its first blank in this order, if the blank is in one of the
#: table's dimensions (start_status is derived from start_timing).
BLANK_ORDER = (
    ("start_timing", ("start_timing", "start_status")),
    ("user_scope", ("user_scope",)),
    ("stage", ("stage",)),
    ("confidentiality", ("confidentiality",)),
    ("outcome_goal", ("outcome_goal",)),
)
#: blanks that are counted under a code instead of excluding the case.
BLANK_COUNTED_AS = {("T01", "start_timing"): "UNDECIDED", ("T06", "output_type"): "UNANSWERED"}
MINISTRY_COUNT_TABLES = ("T02",)
#: int_cases columns that hold a code of the code list of the same name.
CODE_COLUMNS = (*DIMENSIONS, "risk_incident")
#: restricted (非公開) columns of int_cases: the free text is never read; high_risk is checked against
#: its code list without its value ever reaching a frame, a message or the Data Docs.
RESTRICTED_FREE_TEXT = ("case_name", "outcome_goal_text", "model_name")
RESTRICTED_CODES = ("high_risk",)
MEMBERSHIP_VALUES = ("INCLUDED", *(f"{column.upper()}_BLANK" for column, _ in BLANK_ORDER))
PUBLICATION_PERIODS = ("2025-09-30", "2025-12-31")
MINISTRY_COUNT = 25
TOTAL = "_T"
INDEX_COLUMNS = ["table", "period_end", "cell"]
#: stands for "no value" in a compared column (a prior value that does not exist, a case outside
#: a table's population), so that such rows are compared too instead of skipped as missing.
NO_VALUE = "none"

REQUIRED_RELATIONS = (
    "marts.report_cells",
    "marts.report_exclusions",
    "marts.report_populations",
    "marts.submission_files",
    "intermediate.int_cases",
    "reference.code_lists",
    "reference.ministries",
    "reference.periods",
)
OPTIONAL_RELATIONS = ("published.published_exclusions", "marts.rpt_headline")


class GateError(RuntimeError):
    """The warehouse cannot be checked at all (a relation is missing)."""


# --------------------------------------------------------------------------------------------
# Reading the warehouse
# --------------------------------------------------------------------------------------------


def _period(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d")


def read_warehouse(database: Path) -> dict[str, pd.DataFrame]:
    """Every relation the gate reads, as DataFrames (period_end as 'YYYY-MM-DD' text)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        present = {
            f"{schema}.{name}"
            for schema, name in connection.sql(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        missing = [name for name in REQUIRED_RELATIONS if name not in present]
        if missing:
            raise GateError(f"{database} lacks {', '.join(missing)}")
        frames = {
            name: connection.sql(f"select * from {name}").df()
            for name in (*REQUIRED_RELATIONS, *OPTIONAL_RELATIONS)
            if name in present and name != "intermediate.int_cases"
        }
        frames["intermediate.int_cases"] = _read_cases(connection, frames["reference.code_lists"])
    for frame in frames.values():
        for column in ("period_end", "previous_period_end"):
            if column in frame.columns:
                frame[column] = _period(frame[column])
    return frames


def _read_cases(connection: duckdb.DuckDBPyConnection, code_lists: pd.DataFrame) -> pd.DataFrame:
    """int_cases without its restricted free text; each restricted code column replaced by
    `<column>_in_code_list` (true / false / NULL when blank)."""
    columns = [
        name
        for (name,) in connection.sql(
            "select column_name from information_schema.columns "
            "where table_schema = 'intermediate' and table_name = 'int_cases' order by ordinal_position"
        ).fetchall()
    ]
    selected = [f'"{c}"' for c in columns if c not in RESTRICTED_FREE_TEXT and c not in RESTRICTED_CODES]
    for column in RESTRICTED_CODES:
        if column not in columns:
            continue
        codes = sorted(code_lists.loc[code_lists["code_list"] == column, "code"].dropna())
        listed = ", ".join("'" + code.replace("'", "''") + "'" for code in codes) or "null"
        selected.append(f'"{column}" in ({listed}) as "{column}_in_code_list"')
    return connection.sql(f"select {', '.join(selected)} from intermediate.int_cases").df()


def _numbers(values: pd.Series) -> pd.Series:
    """Integers as Python ints and missing as None (GX's pandas comparisons reject pd.NA)."""
    values = pd.to_numeric(values).astype("Int64")
    return pd.Series([None if pd.isna(v) else int(v) for v in values], index=values.index, dtype=object)


def _finish(
    frame: pd.DataFrame, table: str | None = None, numeric: bool = True, none: str | None = None
) -> pd.DataFrame:
    """Put the index columns first, with plain text / Python int values, and a fresh index.

    `none`, if given, replaces a missing expected/actual value, so that "no value expected and none
    found" is a row GX compares (and passes) rather than one it skips as missing.
    """
    frame = frame.copy()
    if table is not None:
        frame["table"] = table
    for column in ("expected", "actual"):
        if column not in frame.columns:
            continue
        if numeric:
            frame[column] = _numbers(frame[column])
        if none is not None:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), none)
    for column in INDEX_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    rest = [column for column in frame.columns if column not in INDEX_COLUMNS]
    return frame[INDEX_COLUMNS + rest].reset_index(drop=True)


def _cell_label(frame: pd.DataFrame, with_measure: bool = True) -> list[str]:
    """'usage_type=GENERAL_1, start_status=_T' (plus the measure when it is not case_count).

    The dimensions are text with '' where a dimension is not one of the table's.
    """
    columns = [frame[d].tolist() for d in DIMENSIONS]
    measures = frame["measure"].tolist() if with_measure and "measure" in frame else [None] * len(frame)
    labels = []
    for measure, *values in zip(measures, *columns, strict=True):
        label = ", ".join(f"{d}={v}" for d, v in zip(DIMENSIONS, values, strict=True) if v != "")
        labels.append(label if measure in (None, "case_count") else f"{label} [{measure}]")
    return labels


def _cells(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """report_cells with the dimensions as text ('' = not a dimension of the table)."""
    cells = frames["marts.report_cells"].copy()
    for d in DIMENSIONS:
        cells[d] = cells[d].astype(object).where(cells[d].notna(), "")
    return cells


# --------------------------------------------------------------------------------------------
# Case-level rules recomputed from int_cases
# --------------------------------------------------------------------------------------------


def _populations(cases: pd.DataFrame) -> pd.DataFrame:
    """Each case's population flags, derived from is_active / is_discontinued and the user scope."""
    external_scope = cases["user_scope"].isin(EXTERNAL_SCOPES).fillna(False).astype(bool)
    active = cases["is_active"].fillna(False).astype(bool)
    return pd.DataFrame(
        {
            "active": active,
            "government_staff": active & ~external_scope,
            "external": active & external_scope,
            "discontinued": cases["is_discontinued"].fillna(False).astype(bool),
        },
        index=cases.index,
    )


def expected_membership(cases: pd.DataFrame, table: str) -> pd.Series:
    """None outside the table's population, else 'INCLUDED' or the first blank's '<COLUMN>_BLANK'."""
    in_population = _populations(cases)[TABLE_POPULATION[table]]
    membership = pd.Series("INCLUDED", index=cases.index, dtype=object)
    decided = pd.Series(False, index=cases.index)
    for column, dimensions in BLANK_ORDER:
        if (table, column) in BLANK_COUNTED_AS or not set(dimensions) & set(TABLE_DIMENSIONS[table]):
            continue
        blank = cases[column].isna() & ~decided
        membership[blank] = f"{column.upper()}_BLANK"
        decided |= blank
    return membership.where(in_population, None)


def _case_dimensions(cases: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table's dimension values of each case: codes as answered, blanks counted as the spec says."""
    frame = pd.DataFrame({"period_end": cases["period_end"], "ministry_code": cases["ministry_code"]})
    for d in TABLE_DIMENSIONS[table]:
        if d == "start_status":
            timing = cases["start_timing"]
            values = timing.where(timing.isna(), "NOT_STARTED").astype(object)
            values[timing == "STARTED"] = "STARTED"
        else:
            values = cases[d].astype(object)
        counted_as = BLANK_COUNTED_AS.get((table, d))
        if counted_as is not None:
            values = values.where(values.notna(), counted_as)
        frame[d] = values.where(values.notna(), None)
    return frame


def case_cube(cases: pd.DataFrame) -> pd.DataFrame:
    """Every cell (body and totals) of every table counted from the cases int_cases includes.

    One row per table, period, dimension values and measure: case_count for every table,
    ministry_count (distinct ministries) for T02.
    """
    pieces = []
    for table, dims in TABLE_DIMENSIONS.items():
        included = cases[cases[f"{table.lower()}_membership"] == "INCLUDED"]
        frame = _case_dimensions(included, table)
        for size in range(len(dims) + 1):
            for totalled in combinations(dims, size):
                kept = [d for d in dims if d not in totalled]
                counts = (
                    frame.groupby(["period_end", *kept], dropna=False)["ministry_code"]
                    .agg(case_count="size", ministry_count="nunique")
                    .reset_index()
                )
                for d in totalled:
                    counts[d] = TOTAL
                counts["table_id"] = table
                pieces.append(counts)
    cube = pd.concat(pieces, ignore_index=True)
    for d in DIMENSIONS:
        if d not in cube.columns:
            cube[d] = ""
        cube[d] = cube[d].astype(object).where(cube[d].notna(), "<blank>")
        cube.loc[~cube["table_id"].isin([t for t, dims in TABLE_DIMENSIONS.items() if d in dims]), d] = ""
    cube = cube.melt(
        id_vars=["table_id", "period_end", *DIMENSIONS],
        value_vars=["case_count", "ministry_count"],
        var_name="measure",
        value_name="expected",
    )
    return cube[(cube["measure"] == "case_count") | cube["table_id"].isin(MINISTRY_COUNT_TABLES)]


# --------------------------------------------------------------------------------------------
# The derived frames, one per check
# --------------------------------------------------------------------------------------------


def totals_frame(cells: pd.DataFrame) -> pd.DataFrame:
    """Each total cell (a '_T' anywhere) against the sum of the body cells it covers."""
    counts = cells[cells["measure"] == "case_count"]
    pieces = []
    for table, dims in TABLE_DIMENSIONS.items():
        rows = counts[counts["table_id"] == table]
        is_total = rows[list(dims)].eq(TOTAL)
        body = rows[~is_total.any(axis=1)]
        totals = rows[is_total.any(axis=1)]
        # Which dimensions a total cell totals, as a bit mask (bit i: dims[i] is '_T').
        pattern = sum(is_total.loc[totals.index, d].astype(int) * (1 << i) for i, d in enumerate(dims))
        for mask, group in totals.groupby(pattern):
            kept = [d for i, d in enumerate(dims) if not mask >> i & 1]
            sums = body.groupby(["period_end", *kept])["value"].sum().rename("expected").reset_index()
            pieces.append(group.merge(sums, on=["period_end", *kept], how="left"))
    frame = pd.concat(pieces, ignore_index=True) if pieces else counts.head(0).assign(expected=None)
    frame = frame.rename(columns={"table_id": "table", "value": "actual"})
    frame["cell"] = _cell_label(frame.rename(columns={"table": "table_id"}))
    return _finish(frame[["table", "period_end", "cell", "expected", "actual"]])


def cases_frame_for_cells(cells: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Every cell of report_cells against the same cell counted from int_cases (both measures)."""
    keys = ["table_id", "period_end", "measure", *DIMENSIONS]
    cube = case_cube(cases)
    merged = cells[[*keys, "value"]].merge(cube, on=keys, how="outer", indicator=True)
    # A cell of the cube no case falls into is 0; a cell cases fall into but report_cells lacks
    # keeps actual = None and fails.
    merged.loc[merged["_merge"] == "left_only", "expected"] = 0
    merged = merged.rename(columns={"value": "actual"})
    merged["cell"] = _cell_label(merged)
    merged = merged.rename(columns={"table_id": "table"})
    return _finish(merged[["table", "period_end", "cell", "measure", "expected", "actual"]])


def prior_frame(cells: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """prior_value of each cell against the previous period's value of the same cell.

    Expected is NO_VALUE when the previous period is not loaded or the cell did not exist then
    (a code the previous form did not offer); prior_value must then be NULL (NO_VALUE) too.
    """
    keys = ["table_id", "measure", *DIMENSIONS]
    previous = periods[["period_end", "previous_period_end"]]
    current = cells.merge(previous, on="period_end", how="left")
    earlier = cells[[*keys, "period_end", "value"]].rename(
        columns={"period_end": "previous_period_end", "value": "expected"}
    )
    merged = current.merge(earlier, on=[*keys, "previous_period_end"], how="left")
    merged = merged.rename(columns={"prior_value": "actual"})
    merged["cell"] = _cell_label(merged)
    merged = merged.rename(columns={"table_id": "table"})
    frame = merged[["table", "period_end", "cell", "previous_period_end", "expected", "actual"]]
    return _finish(frame, none=NO_VALUE)


def _grand_totals(cells: pd.DataFrame) -> pd.Series:
    """case_count grand total per (table, period)."""
    counts = cells[cells["measure"] == "case_count"]
    grand = pd.Series(True, index=counts.index)
    for d in DIMENSIONS:
        grand &= counts[d].isin([TOTAL, ""])
    return counts[grand].groupby(["table_id", "period_end"])["value"].sum()


def _exclusions(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    exclusions = frames["marts.report_exclusions"]
    return exclusions[exclusions["treatment"] == "excluded"]


def _loaded_periods(frames: dict[str, pd.DataFrame]) -> list[str]:
    cases = frames["intermediate.int_cases"]["period_end"]
    cells = frames["marts.report_cells"]["period_end"]
    return sorted(set(cases.dropna()) | set(cells.dropna()))


def cross_table_frame(frames: dict[str, pd.DataFrame], cells: pd.DataFrame) -> pd.DataFrame:
    """Grand totals that must agree across tables, per period (report-tables.md, populations)."""
    grand = _grand_totals(cells)
    excluded = _exclusions(frames).groupby(["table_id", "period_end"])["case_count"].sum()
    stage_blank = (
        _exclusions(frames)[_exclusions(frames)["reason"] == "STAGE_BLANK"]
        .groupby(["table_id", "period_end"])["case_count"]
        .sum()
    )
    populations = frames["marts.report_populations"].groupby(["table_id", "period_end"])["population_cases"].sum()
    cases = frames["intermediate.int_cases"]
    flags = _populations(cases)
    active = flags["active"].groupby(cases["period_end"]).sum()
    discontinued = flags["discontinued"].groupby(cases["period_end"]).sum()

    def get(series: pd.Series, *key: str, default: float | None = None) -> float | None:
        return series.get(key if len(key) > 1 else key[0], default)

    rows = []
    for period in _loaded_periods(frames):
        t = {table: get(grand, table, period) for table in TABLES}
        x = {table: get(excluded, table, period, default=0) for table in TABLES}

        def minus(a: float | None, b: float | None) -> float | None:
            return None if a is None or b is None else a - b

        rules = [
            ("T01", "T01 total = active cases in int_cases", get(active, period, default=0), t["T01"]),
            ("T06", "T06 total = T01 total (active cases)", t["T01"], t["T06"]),
            (
                "T01",
                "T01 total = T02 total + T02 exclusions + T05 total + T05 exclusions",
                None if t["T02"] is None or t["T05"] is None else t["T02"] + x["T02"] + t["T05"] + x["T05"],
                t["T01"],
            ),
            (
                "T03",
                "T03 total = T02 total - T03 STAGE_BLANK exclusions",
                minus(t["T02"], get(stage_blank, "T03", period, default=0)),
                t["T03"],
            ),
            (
                "T04",
                "T04 total = T02 population - T04 exclusions",
                minus(get(populations, "T02", period), x["T04"]),
                t["T04"],
            ),
            ("T07", "T07 total = T01 total - T07 exclusions", minus(t["T01"], x["T07"]), t["T07"]),
            ("T09", "T09 total = T01 total - T09 exclusions", minus(t["T01"], x["T09"]), t["T09"]),
            (
                "T08",
                "T08 total = discontinued cases in int_cases - T08 exclusions",
                minus(get(discontinued, period, default=0), x["T08"]),
                t["T08"],
            ),
        ]
        rows += [
            {"table": table, "period_end": period, "cell": rule, "expected": expected, "actual": actual}
            for table, rule, expected, actual in rules
        ]
    return _finish(pd.DataFrame(rows, columns=[*INDEX_COLUMNS, "expected", "actual"]))


def populations_frame(frames: dict[str, pd.DataFrame], cells: pd.DataFrame) -> pd.DataFrame:
    """report_populations against itself, report_exclusions, report_cells and int_cases."""
    # Summed per key, so that a duplicated row shows up as a doubled count rather than an error.
    populations = frames["marts.report_populations"].groupby(["table_id", "period_end"]).sum(numeric_only=True)
    excluded = _exclusions(frames).groupby(["table_id", "period_end"])["case_count"].sum()
    grand = _grand_totals(cells)
    cases = frames["intermediate.int_cases"]
    flags = _populations(cases)
    rows = []
    for period in _loaded_periods(frames):
        in_period = cases["period_end"] == period
        for table in TABLES:
            key = (table, period)
            row = populations.loc[key] if key in populations.index else None

            def value(column: str, row: pd.Series | None = row) -> float | None:
                return None if row is None else row[column]

            included, excluded_cases = value("included_cases"), value("excluded_cases")
            rules = [
                (
                    "population_cases = included_cases + excluded_cases",
                    None if included is None or excluded_cases is None else included + excluded_cases,
                    value("population_cases"),
                ),
                (
                    "excluded_cases = sum of report_exclusions (treatment 'excluded')",
                    excluded.get(key, 0),
                    excluded_cases,
                ),
                ("included_cases = report_cells grand total", grand.get(key), included),
                (
                    f"population_cases = {TABLE_POPULATION[table]} cases in int_cases",
                    int((flags[TABLE_POPULATION[table]] & in_period).sum()),
                    value("population_cases"),
                ),
            ]
            rows += [
                {"table": table, "period_end": period, "cell": rule, "expected": e, "actual": a} for rule, e, a in rules
            ]
    return _finish(pd.DataFrame(rows, columns=[*INDEX_COLUMNS, "expected", "actual"]))


def membership_frame(cases: pd.DataFrame) -> pd.DataFrame:
    """Each case's tNN_membership against the footnote rule recomputed from its codes and flags."""
    pieces = []
    for table in TABLES:
        pieces.append(
            pd.DataFrame(
                {
                    "table": table,
                    "period_end": cases["period_end"],
                    "cell": cases["ministry_code"].astype(str) + "/" + cases["case_id"].astype(str),
                    "expected": expected_membership(cases, table),
                    "actual": cases[f"{table.lower()}_membership"].astype(object),
                }
            )
        )
    frame = pd.concat(pieces, ignore_index=True)
    for column in ("expected", "actual"):
        frame[column] = frame[column].where(frame[column].notna(), None)
    return _finish(frame, numeric=False, none=NO_VALUE)


T01_NOTE = "START_TIMING_BLANK_COUNTED_AS_UNDECIDED"


def exclusions_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each footnote count of report_exclusions against the cases of int_cases the rule excludes.

    One row per table, period and possible reason (zeros included, so the frame never is empty):
    the reasons of the exclusion rule, recomputed from the codes, and T01's note (active cases with
    no start timing, counted as 未定・その他).
    """
    cases = frames["intermediate.int_cases"]
    reasons = [value for value in MEMBERSHIP_VALUES if value != "INCLUDED"]
    expected = {}
    for table in TABLES:
        membership = expected_membership(cases, table)
        for (period, reason), count in membership.groupby(cases["period_end"]).value_counts().items():
            expected[(table, period, reason)] = count
    notes = _populations(cases)["active"] & cases["start_timing"].isna()
    for period, count in notes.groupby(cases["period_end"]).sum().items():
        expected[("T01", period, T01_NOTE)] = count
    actual = frames["marts.report_exclusions"].groupby(["table_id", "period_end", "reason"])["case_count"].sum()
    keys = {
        (table, period, reason)
        for table in TABLES
        for period in _loaded_periods(frames)
        for reason in (*reasons, *((T01_NOTE,) if table == "T01" else ()))
    }
    keys |= {key for key in expected if key[2] != "INCLUDED"} | set(actual.index)
    rows = [
        {
            "table": table,
            "period_end": period,
            "cell": reason,
            "expected": expected.get((table, period, reason), 0),
            "actual": actual.get((table, period, reason), 0),
        }
        for table, period, reason in sorted(keys)
    ]
    return _finish(pd.DataFrame(rows, columns=[*INDEX_COLUMNS, "expected", "actual"]))


def publication_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """report_exclusions against the publication's footnote counts, for the tables and periods
    the publication footnotes (a reason on one side only counts as 0 on the other)."""
    published = frames.get("published.published_exclusions")
    loaded = set(_loaded_periods(frames))
    if published is None:
        published = pd.DataFrame(columns=["table_id", "period_end", "reason", "case_count"])
    published = published[published["period_end"].isin(PUBLICATION_PERIODS)]
    published = published[published["period_end"].isin(loaded)]
    footnoted = published[["table_id", "period_end"]].drop_duplicates()
    report = frames["marts.report_exclusions"].merge(footnoted, on=["table_id", "period_end"])
    merged = published.merge(
        report, on=["table_id", "period_end", "reason"], how="outer", suffixes=("_published", "_report")
    )
    merged["expected"] = merged["case_count_published"].fillna(0)
    merged["actual"] = merged["case_count_report"].fillna(0)
    merged = merged.rename(columns={"table_id": "table", "reason": "cell"})
    return _finish(merged[["table", "period_end", "cell", "expected", "actual"]])


def submission_files_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    files = frames["marts.submission_files"]
    frame = pd.DataFrame(
        {
            "period_end": files["period_end"],
            "cell": files["source_file"],
            "expected": files["rows_landed"],
            "actual": files["rows_accepted"].fillna(0) + files["rows_rejected"].fillna(0),
        }
    )
    return _finish(frame, table="marts.submission_files")


def int_cases_frame(cases: pd.DataFrame) -> pd.DataFrame:
    frame = cases.copy()
    frame["cell"] = frame["ministry_code"].astype(str) + "/" + frame["case_id"].astype(str)
    for column in frame.columns:
        if frame[column].dtype == bool:
            continue
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return _finish(frame, table="intermediate.int_cases")


def ministries_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    ministries = frames["reference.ministries"]
    frame = pd.DataFrame({"period_end": None, "cell": ministries["ministry_code"]})
    return _finish(frame, table="reference.ministries")


def headline_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """The headline's ratios, if marts.rpt_headline exists: its ratio columns ('ratio', 'prior_ratio',
    'share', ...) or, without one, the value of the figures whose name says share / ratio / rate."""
    headline = frames.get("marts.rpt_headline")
    if headline is None or "figure" not in headline.columns:
        return None
    columns = [c for c in headline.columns if re.fullmatch(r"(prior_)?(ratio|share)", c.lower())]
    if columns:
        long = headline[["period_end", "figure", *columns]].melt(
            id_vars=["period_end", "figure"], var_name="ratio_column", value_name="observed"
        )
        long = long[long["observed"].notna()]
        cells = long["figure"].astype(str) + " (" + long["ratio_column"] + ")"
    else:
        long = headline[headline["figure"].astype(str).str.contains("share|ratio|rate", case=False)]
        long = long.rename(columns={"value": "observed"})
        cells = long["figure"].astype(str)
    if long.empty:
        return None
    frame = pd.DataFrame({"period_end": long["period_end"], "cell": cells, "ratio": long["observed"].astype(float)})
    return _finish(frame, table="marts.rpt_headline")


# --------------------------------------------------------------------------------------------
# The suites: one per derived frame, each expectation written out here
# --------------------------------------------------------------------------------------------


@dataclass
class Check:
    """One expectation suite and the frame it validates."""

    name: str
    description: str
    frame: pd.DataFrame
    expectations: list = field(default_factory=list)


def _note(text: str) -> dict:
    return {"notes": {"format": "markdown", "content": [text]}}


def _suites(frames: dict[str, pd.DataFrame], check_publication: bool) -> tuple[list[Check], list[str]]:
    """The checks to run and, for the conditional ones that do not apply, why not."""
    import great_expectations.expectations as gxe

    def has_rows(what: str):
        return gxe.ExpectTableRowCountToBeBetween(
            min_value=1, meta=_note(f"The derived frame has rows: {what} were actually checked.")
        )

    def equal(rule: str):
        return gxe.ExpectColumnPairValuesToBeEqual(
            column_A="actual",
            column_B="expected",
            ignore_row_if="neither",
            meta=_note(rule),
        )

    cells = _cells(frames)
    cases = frames["intermediate.int_cases"]
    code_lists = frames["reference.code_lists"]
    checks = [
        Check(
            "report_cells_totals",
            "Every row, column and grand total of report_cells equals the sum of the body cells it covers.",
            totals_frame(cells),
            [
                has_rows("total cells"),
                equal("actual = the total cell; expected = sum of the non-total cells it covers (pandas)."),
            ],
        ),
        Check(
            "report_cells_vs_int_cases",
            "Every cell of report_cells equals the cases of int_cases it counts (T02 ministry_count: "
            "distinct ministries); no counted case falls outside the cube.",
            cases_frame_for_cells(cells, cases),
            [
                has_rows("cells"),
                gxe.ExpectCompoundColumnsToBeUnique(
                    column_list=["table", "period_end", "cell", "measure"],
                    meta=_note("One row per cell and measure in report_cells."),
                ),
                equal(
                    "actual = report_cells.value (None: the cell is missing from report_cells); "
                    "expected = included cases of int_cases with those dimension values."
                ),
            ],
        ),
        Check(
            "report_cells_cross_table",
            "Grand totals agree across tables where the populations coincide.",
            cross_table_frame(frames, cells),
            [has_rows("cross-table identities"), equal("Each row is one identity between grand totals.")],
        ),
        Check(
            "report_cells_prior_value",
            "prior_value equals the previous period's value of the same cell (None when there is none).",
            prior_frame(cells, frames["reference.periods"]),
            [
                has_rows("cells"),
                equal(
                    "actual = prior_value; expected = value of the same cell in the previous period "
                    f"(reference.periods); '{NO_VALUE}' if that period or cell is not loaded.",
                ),
            ],
        ),
        Check(
            "report_populations",
            "population = included + excluded; excluded = the footnotes' exclusions; included = the "
            "grand total; population = the table's population in int_cases.",
            populations_frame(frames, cells),
            [has_rows("tables and periods"), equal("Each row is one identity of one table and period.")],
        ),
        Check(
            "int_cases_membership",
            "Each case's per-table membership follows the footnote rule (first blank of the table's "
            "dimensions, T01 counting a blank start timing as undecided).",
            membership_frame(cases),
            [
                has_rows("case memberships"),
                equal(
                    "actual = tNN_membership; expected = recomputed from the codes and population flags "
                    f"('{NO_VALUE}': outside the table's population).",
                ),
            ],
        ),
        Check(
            "report_exclusions_vs_int_cases",
            "Each footnote count (exclusion reason, T01's note) equals the cases of int_cases it describes.",
            exclusions_frame(frames),
            [
                has_rows("footnote counts"),
                equal(
                    "actual = report_exclusions.case_count (0 if absent); expected = cases whose first "
                    "blank is that reason (recomputed), or for T01's note the active cases with no start timing."
                ),
            ],
        ),
        Check(
            "submission_files",
            "Every landed row is accepted or rejected.",
            submission_files_frame(frames),
            [has_rows("files"), equal("actual = rows_accepted + rows_rejected; expected = rows_landed.")],
        ),
    ]

    case_expectations = [
        has_rows("cases"),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["period_end", "ministry_code", "case_id"],
            meta=_note("One row per case per period."),
        ),
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=column, meta=_note("Required."))
            for column in ("period_end", "ministry_code", "case_id", "usage_type")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="ministry_code",
            value_set=sorted(frames["reference.ministries"]["ministry_code"].dropna()),
            meta=_note("One of the ministries of reference.ministries."),
        ),
    ]
    for column in CODE_COLUMNS:
        codes = sorted(code_lists.loc[code_lists["code_list"] == column, "code"].dropna())
        case_expectations.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=column,
                value_set=codes,
                meta=_note(f"A code of the code list '{column}' (reference.code_lists), or blank."),
            )
        )
    for column in RESTRICTED_CODES:
        case_expectations.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=f"{column}_in_code_list",
                value_set=[True],
                meta=_note(f"Restricted: {column} is a code of its code list, or blank (its value is not read)."),
            )
        )
    for table in TABLES:
        case_expectations.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=f"{table.lower()}_membership",
                value_set=list(MEMBERSHIP_VALUES),
                meta=_note("INCLUDED, an exclusion reason, or blank (outside the population)."),
            )
        )
    checks.append(
        Check(
            "int_cases",
            "One row per (period, ministry, case id); every code in its code list.",
            int_cases_frame(cases),
            case_expectations,
        )
    )
    checks.append(
        Check(
            "reference_ministries",
            f"The {MINISTRY_COUNT} ministries.",
            ministries_frame(frames),
            [
                gxe.ExpectTableRowCountToEqual(value=MINISTRY_COUNT, meta=_note("25 府省庁.")),
                gxe.ExpectColumnValuesToBeUnique(column="cell", meta=_note("ministry_code is unique.")),
            ],
        )
    )

    skipped = []
    if check_publication:
        loaded = set(PUBLICATION_PERIODS) & set(_loaded_periods(frames))
        if loaded and "published.published_exclusions" not in frames:
            raise GateError(f"periods {sorted(loaded)} are loaded but published.published_exclusions is missing")
        frame = publication_frame(frames)
        if frame.empty:
            skipped.append(
                "report_exclusions_publication: no footnote counts of the publication for the loaded periods"
            )
        else:
            checks.append(
                Check(
                    "report_exclusions_publication",
                    "Exclusion counts equal the publication's footnotes (periods "
                    + ", ".join(PUBLICATION_PERIODS)
                    + ").",
                    frame,
                    [
                        has_rows("footnote counts"),
                        equal("actual = report_exclusions.case_count; expected = published_exclusions."),
                    ],
                )
            )
    else:
        skipped.append("report_exclusions_publication: publication checks switched off")
    headline = headline_frame(frames)
    if headline is None:
        skipped.append("rpt_headline: no headline ratios in the warehouse")
    else:
        checks.append(
            Check(
                "rpt_headline",
                "Headline ratios are shares.",
                headline,
                [
                    has_rows("ratios"),
                    gxe.ExpectColumnValuesToNotBeNull(column="ratio", meta=_note("Every ratio is computed.")),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="ratio", min_value=0, max_value=1, meta=_note("A share lies in [0, 1].")
                    ),
                ],
            )
        )
    return checks, skipped


# --------------------------------------------------------------------------------------------
# Running the checkpoint
# --------------------------------------------------------------------------------------------


def _run_checkpoint(checks: list[Check], data_docs_dir: Path):
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            "gate": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(data_docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    source = context.data_sources.add_pandas("warehouse")
    definitions = []
    with tempfile.TemporaryDirectory(prefix="genai_gate_") as scratch:
        for check in checks:
            path = Path(scratch) / f"{check.name}.pkl"
            check.frame.to_pickle(path)
            asset = source.add_pickle_asset(check.name, filepath_or_buffer=path)
            suite = context.suites.add(
                gx.ExpectationSuite(name=check.name, expectations=check.expectations, meta=_note(check.description))
            )
            definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(
                        name=check.name, data=asset.add_batch_definition_whole_dataframe("all"), suite=suite
                    )
                )
            )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name="genai_report_gate",
                validation_definitions=definitions,
                actions=[],
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS},
            )
        )
        result = checkpoint.run(run_id=RunIdentifier(run_name="genai_report_gate"))
    # Once, after the run (an UpdateDataDocsAction would rebuild the whole site per suite).
    context.build_data_docs(site_names=["gate"])
    return result


def _describe(config) -> str:
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id", "value_set")}
    if "value_set" in config.kwargs:
        kwargs["value_set"] = f"<{len(config.kwargs['value_set'])} codes>"
    return f"{config.type}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def report_failures(result, limit: int = 100, stream=None) -> list[str]:
    """Print every failed expectation with the table, period and cell of each failing row.

    Returns one 'suite: expectation_type' line per failed expectation.
    """
    stream = stream or sys.stdout
    failed = []
    for validation in result.run_results.values():
        suite = validation.suite_name
        for outcome in validation.results:
            if outcome.success:
                continue
            config = outcome.expectation_config
            failed.append(f"{suite}: {config.type}")
            exception = (outcome.exception_info or {}).get("exception_message")
            details = outcome.result or {}
            print(f"FAILED {suite}: {_describe(config)}", file=stream)
            if exception:
                print(f"    error: {exception}", file=stream)
            if "observed_value" in details:
                print(f"    observed: {details['observed_value']}", file=stream)
            unexpected = details.get("unexpected_index_list") or []
            if unexpected:
                print(f"    {details.get('unexpected_count', len(unexpected))} failing row(s):", file=stream)
            for row in unexpected[:limit]:
                if not isinstance(row, dict):
                    print(f"    row {row}", file=stream)
                    continue
                rest = ", ".join(f"{k}={v!r}" for k, v in row.items() if k not in INDEX_COLUMNS)
                period = row.get("period_end") or "-"
                print(f"    table {row.get('table')} | period {period} | cell {row.get('cell')} | {rest}", file=stream)
            if len(unexpected) > limit:
                print(f"    ... and {len(unexpected) - limit} more (see the Data Docs)", file=stream)
    return failed


# --------------------------------------------------------------------------------------------
# Data Docs without a network
# --------------------------------------------------------------------------------------------

_OFFLINE_CSS = """
/* genai_report.quality_gate: the subset of Bootstrap 4 the GX pages use, so they render offline. */
*,::after,::before{box-sizing:border-box}
body{
  margin:0;
  font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif;
  font-size:.95rem;line-height:1.5;color:#212529;background:#fff;}
a{color:#0056b3;text-decoration:none}
a:hover{text-decoration:underline}
h1,h2,h3,h4,h5,h6,.h6{margin:0 0 .5rem;font-weight:500;line-height:1.2}
h6,.h6{font-size:1rem}
p{margin:0 0 1rem}
ul{margin-top:0}
pre{white-space:pre-wrap;font-size:.85em}
.container-fluid{width:100%;padding-right:15px;padding-left:15px;margin:0 auto}
.row{display:flex;flex-wrap:wrap;margin-right:-15px;margin-left:-15px}
[class*="col-"]{position:relative;width:100%;padding-right:15px;padding-left:15px}
@media (min-width:768px) {
  .col-md-2{flex:0 0 16.667%;max-width:16.667%}
  .col-md-10{flex:0 0 83.333%;max-width:83.333%}
  .col-md-12{flex:0 0 100%;max-width:100%}
  .col-md-6{flex:0 0 50%;max-width:50%}
  .col-md-4{flex:0 0 33.333%;max-width:33.333%}
  .col-md-8{flex:0 0 66.667%;max-width:66.667%}
  .col-md-3{flex:0 0 25%;max-width:25%}
  .col-md-9{flex:0 0 75%;max-width:75%}
  .pl-md-4{padding-left:1.5rem!important}
  .pr-md-3{padding-right:1rem!important}
}
.col-12{flex:0 0 100%;max-width:100%}
.table{width:100%;margin-bottom:1rem;border-collapse:collapse}
.table td,.table th{padding:.3rem .5rem;vertical-align:top;border-top:1px solid #dee2e6}
.table-sm td,.table-sm th{padding:.25rem .4rem}
.table-bordered,.table-bordered td,.table-bordered th{border:1px solid #dee2e6}
.table-responsive{display:block;width:100%;overflow-x:auto}
thead th{border-bottom:2px solid #dee2e6;text-align:left}
.gate-static-table{border-collapse:collapse;width:100%}
.gate-static-table td,.gate-static-table th{
  border:1px solid #dee2e6;padding:.3rem .6rem;text-align:left;vertical-align:top;}
.gate-static-table tr:nth-child(even){background:#f8f9fa}
.badge{
  display:inline-block;padding:.25em .4em;font-size:75%;font-weight:700;line-height:1;
  border-radius:.25rem;white-space:nowrap;}
.badge-secondary{color:#fff;background:#6c757d}
.badge-info{color:#fff;background:#17a2b8}
.badge-success{color:#fff;background:#28a745}
.badge-danger{color:#fff;background:#dc3545}
.alert{
  position:relative;padding:.6rem 1rem;margin-bottom:1rem;border:1px solid transparent;
  border-radius:.25rem;}
.alert-secondary{color:#383d41;background:#e2e3e5;border-color:#d6d8db}
.alert-info{color:#0c5460;background:#d1ecf1}
.card{
  position:relative;display:flex;flex-direction:column;background:#fff;
  border:1px solid rgba(0,0,0,.125);border-radius:.25rem;margin-bottom:1rem;}
.card-header{padding:.6rem 1rem;background:rgba(0,0,0,.03);border-bottom:1px solid rgba(0,0,0,.125)}
.card-body{padding:1rem}
.nav{display:flex;flex-wrap:wrap;padding-left:0;margin-bottom:0;list-style:none}
.nav-link{display:block;padding:.4rem .9rem}
.nav-tabs{display:flex;list-style:none;padding-left:0;border-bottom:1px solid #dee2e6}
.nav-tabs .nav-link{border:1px solid transparent;border-radius:.25rem .25rem 0 0;margin-bottom:-1px}
.nav-tabs .nav-link.active{color:#495057;background:#fff;border-color:#dee2e6 #dee2e6 #fff}
.nav-pills .nav-link.active{color:#fff;background:#007bff;border-radius:.25rem}
.tab-content>.tab-pane{display:none}
.tab-content>.active{display:block}
.collapse:not(.show){display:none}
.fade:not(.show){opacity:1}
.navbar{display:flex;align-items:center;padding:.5rem 1rem;background:#fff}
.sticky-top{position:sticky;top:0;z-index:1020}
.navbar-brand{font-size:1.25rem;font-weight:600}
.btn{
  display:inline-block;padding:.3rem .7rem;font-size:.9rem;border:1px solid transparent;
  border-radius:.25rem;cursor:pointer;background:#f8f9fa;}
.btn-primary{color:#fff;background:#007bff}
.btn-primary.active{background:#0056b3}
.btn-secondary{color:#fff;background:#6c757d}
.btn-sm{padding:.2rem .5rem;font-size:.8rem}
.btn-group{display:inline-flex}
.breadcrumb{
  display:flex;flex-wrap:wrap;list-style:none;padding:.5rem 1rem;background:#e9ecef;
  border-radius:.25rem;}
.breadcrumb-item+.breadcrumb-item::before{content:"/";padding:0 .5rem;color:#6c757d}
.list-group{padding-left:0;list-style:none}
.list-group-item{display:block;padding:.4rem .8rem;border:1px solid #dee2e6}
.text-danger{color:#dc3545!important}
.text-success{color:#28a745!important}
.text-muted{color:#6c757d!important}
.text-center{text-align:center!important}
.text-right{text-align:right!important}
.bg-light{background:#f8f9fa!important}
.border{border:1px solid #dee2e6!important}
.border-bottom{border-bottom:1px solid #dee2e6!important}
.border-top-0{border-top:0!important}
.rounded{border-radius:.25rem!important}
.float-left{float:left!important}
.float-right{float:right!important}
.d-none{display:none!important}
.d-flex{display:flex!important}
.d-block{display:block!important}
.d-inline{display:inline!important}
.h-100{height:100%!important}
.w-100{width:100%!important}
@media (min-width:576px) {
  .d-sm-block{display:block!important}
}
.justify-content-center{justify-content:center!important}
.align-items-center{align-items:center!important}
.flex-column{flex-direction:column!important}
.mr-auto{margin-right:auto!important}
.sticky{position:sticky;top:80px}
.m-0{margin:0!important}
.m-1{margin:.25rem!important}
.m-2{margin:.5rem!important}
.mt-0{margin-top:0!important}
.mt-1{margin-top:.25rem!important}
.mt-3{margin-top:1rem!important}
.mb-0{margin-bottom:0!important}
.mb-1{margin-bottom:.25rem!important}
.mb-2{margin-bottom:.5rem!important}
.mb-3{margin-bottom:1rem!important}
.mb-4{margin-bottom:1.5rem!important}
.ml-1{margin-left:.25rem!important}
.ml-2{margin-left:.5rem!important}
.mr-0{margin-right:0!important}
.mr-2{margin-right:.5rem!important}
.p-0{padding:0!important}
.p-1{padding:.25rem!important}
.p-2{padding:.5rem!important}
.p-3{padding:1rem!important}
.px-0{padding-left:0!important; padding-right:0!important}
.pt-0{padding-top:0!important}
.pt-4{padding-top:1.5rem!important}
.pb-0{padding-bottom:0!important}
.pb-1{padding-bottom:.25rem!important}
.pb-4{padding-bottom:1.5rem!important}
.pl-0{padding-left:0!important}
.pl-5{padding-left:3rem!important}
.pr-3{padding-right:1rem!important}
.pr-5{padding-right:3rem!important}
@media (min-width:576px) {
  .pl-sm-3{padding-left:1rem!important}
}
.fas.fa-check-circle::before{content:"\\2714";color:#28a745}
.fas.fa-times::before{content:"\\2716";color:#dc3545}
.fas.fa-question-circle::before{content:"?"}
.fas{font-style:normal}
.ge-walkthrough-modal,#ge-cta-footer,.modal{display:none!important}
"""

_OFFLINE_JS = """
/* genai_report.quality_gate: collapse and tab toggles without jQuery/Bootstrap. */
document.addEventListener('click', function (event) {
  var toggle = event.target.closest('[data-toggle="collapse"],[data-toggle="tab"]');
  if (!toggle) { return; }
  var id = (toggle.getAttribute('href') || toggle.getAttribute('data-target') || '').replace(/^#/, '');
  var target = id && document.getElementById(id);
  if (!target) { return; }
  event.preventDefault();
  if (toggle.getAttribute('data-toggle') === 'collapse') {
    target.classList.toggle('show');
  } else {
    var tabs = toggle.closest('.nav');
    if (tabs) { tabs.querySelectorAll('.nav-link').forEach(function (l) { l.classList.remove('active'); }); }
    toggle.classList.add('active');
    Array.prototype.forEach.call(target.parentNode.children, function (p) { p.classList.remove('active', 'show'); });
    target.classList.add('active', 'show');
  }
});
function showAllValidations() {
  document.querySelectorAll('.hide-succeeded-validation-target-child').forEach(function (e) {
    e.parentNode.style.display = '';
  });
}
function hideSucceededValidations() {
  document.querySelectorAll('.hide-succeeded-validation-target-child').forEach(function (e) {
    e.parentNode.style.display = 'none';
  });
}
"""

_EXTERNAL_TAG = re.compile(
    r"<link\b[^>]*\bhref=[\"']https?://[^>]*>\s*|<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>\s*",
    re.IGNORECASE,
)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_BOOTSTRAP_TABLE = re.compile(
    r"<table\s+id=\"(?P<id>[^\"]+)\"[^>]*data-toggle=\"table\"\s*>\s*</table>", re.IGNORECASE | re.DOTALL
)
_TABLE_CALL = re.compile(
    r"\$\('#(?P<id>[^']+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{\s*columns:\s*(?P<columns>\[.*?\]),\s*"
    r"data:\s*(?P<data>\[.*?\]),\s*toolbar:",
    re.DOTALL,
)
_REMOTE_IMAGE = re.compile(r"<img\b[^>]*\bsrc=[\"']https?://[^\"']*/([\w.-]+?)(?:\?[^\"']*)?[\"'][^>]*>", re.IGNORECASE)
_REMOTE_URL = re.compile(r"url\(\s*[\"']?https?://[^)]*\)", re.IGNORECASE)
_CLOUD_FOOTER = re.compile(r"<footer>\s*<p>Stay current on everything GX.*?</footer>", re.DOTALL)


def _static_table(columns: list[dict], rows: list[dict]) -> str:
    """A bootstrap-table (columns + data) as plain HTML; rows link to their page."""
    head = "".join(f"<th>{html.escape(str(c.get('title', c['field'])))}</th>" for c in columns)
    body = []
    for row in rows:
        link = row.get("_table_row_link_path")
        cells = []
        for c in columns:
            value = str(row.get(c["field"], ""))
            # The values are HTML GX rendered (icons, links); the link column becomes a link.
            if link and "<a " not in value and c is columns[-1 if len(columns) == 1 else 0]:
                value = f'<a href="{html.escape(link)}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="gate-static-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _offline_page(text: str, depth: int) -> str:
    static = "../" * depth + "static/images/"
    text = _EXTERNAL_TAG.sub("", text)
    text = _CLOUD_FOOTER.sub("", text)
    text = _REMOTE_URL.sub("none", text)
    text = _REMOTE_IMAGE.sub(
        lambda m: f'<img src="{static}{m.group(1)}" alt="Great Expectations" style="height:40px">', text
    )
    tables = {}
    for match in _TABLE_CALL.finditer(text):
        try:
            tables[match["id"]] = _static_table(ast.literal_eval(match["columns"]), ast.literal_eval(match["data"]))
        except (ValueError, SyntaxError, KeyError):  # leave the page as GX wrote it
            continue
    text = _BOOTSTRAP_TABLE.sub(lambda m: tables.get(m["id"], m.group(0)), text)
    # Every inline script GX wrote needs jQuery, which is gone; the injected script replaces them.
    text = _SCRIPT.sub(lambda m: "" if "$(" in m.group(1) or "$`" in m.group(1) else m.group(0), text)
    text = re.sub(r"<button[^>]*clearTableFilters[^>]*>.*?</button>", "", text, flags=re.DOTALL)
    inject = f"<style>{_OFFLINE_CSS}</style>\n<script>{_OFFLINE_JS}</script>\n"
    return text.replace("</head>", inject + "</head>", 1)


def make_offline(data_docs_dir: Path) -> list[Path]:
    """Rewrite every Data Docs page (and GX's stylesheet) so it needs no network; returns the pages."""
    pages = sorted(data_docs_dir.rglob("*.html"))
    for page in pages:
        depth = len(page.relative_to(data_docs_dir).parts) - 1
        page.write_text(_offline_page(page.read_text(encoding="utf-8"), depth), encoding="utf-8")
    for sheet in data_docs_dir.rglob("*.css"):
        sheet.write_text(_REMOTE_URL.sub("none", sheet.read_text(encoding="utf-8")), encoding="utf-8")
    return pages


def _clear_data_docs(data_docs_dir: Path) -> None:
    """Remove the previous run's site (only what GX writes there)."""
    for name in ("validations", "expectations", "static"):
        shutil.rmtree(data_docs_dir / name, ignore_errors=True)
    (data_docs_dir / "index.html").unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def run_gate(database: Path, data_docs_dir: Path, check_publication: bool | None = None) -> bool:
    """Validate the warehouse file `database`; build Data Docs into `data_docs_dir`.

    Prints every failed expectation (table, period, cell) and returns False on any failure.
    `check_publication` None reads $GENAI_CHECK_PUBLICATION (default true).
    """
    started = time.perf_counter()
    if check_publication is None:
        check_publication = _env_flag("GENAI_CHECK_PUBLICATION", True)
    database, data_docs_dir = Path(database), Path(data_docs_dir)
    try:
        frames = read_warehouse(database)
        checks, skipped = _suites(frames, check_publication)
    except (GateError, duckdb.Error) as error:
        print(f"FAILED quality gate: {error}", file=sys.stderr)
        return False
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    _clear_data_docs(data_docs_dir)
    result = _run_checkpoint(checks, data_docs_dir)
    make_offline(data_docs_dir)
    failed = report_failures(result)
    expectations = sum(len(check.expectations) for check in checks)
    for reason in skipped:
        print(f"skipped {reason}")
    verdict = "passed" if result.success and not failed else f"FAILED ({len(failed)} expectation(s))"
    print(
        f"Great Expectations gate {verdict}: {len(checks)} suites, {expectations} expectations, "
        f"{time.perf_counter() - started:.1f} s; Data Docs: {data_docs_dir / 'index.html'}"
    )
    return bool(result.success) and not failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m genai_report.quality_gate",
        description="Great Expectations gate over a built warehouse (exit 1 on any failed expectation).",
    )
    parser.add_argument("warehouse", type=Path, help="the DuckDB file to check (opened read-only)")
    parser.add_argument("--data-docs", type=Path, default=Path("build/data_quality"), help="Data Docs directory")
    publication = parser.add_mutually_exclusive_group()
    publication.add_argument("--check-publication", dest="check_publication", action="store_true", default=None)
    publication.add_argument("--no-check-publication", dest="check_publication", action="store_false")
    args = parser.parse_args(argv)
    return 0 if run_gate(args.warehouse, args.data_docs, args.check_publication) else 1


if __name__ == "__main__":
    sys.exit(main())
