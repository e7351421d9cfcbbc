"""Publication vintages and the revisions report, through `make build` (genai_report.build).

Two periods of a small landing (five ministries' files of each shipped period) are published; then
one file of the earlier period is resubmitted with a case removed and published again. The cells
whose figures changed — the earlier period's values and the next period's prior values — must be
exactly the rows of marts.rpt_revisions, each naming the resubmitted file; the vintages recorded
before must be untouched; and a build with nothing changed, even a forced one, must add no vintage.
The expected revisions come from report_cells before and after the resubmission (the project's own
counts, compared cell by cell), never from typed figures. The resubmitted data no longer matches
the publication, so the publication check is off (test_incremental._build sets it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from genai_report.contract import DIMENSIONS
from genai_report.exports.revisions import NO_REVISIONS
from genai_report.exports.workbook import REVISIONS_SHEET

from .conftest import SHIPPED_LANDING, query
from .test_incremental import _build

PERIODS = ("2025-09-30", "2025-12-31")
FILES = ("cao.csv", "da.csv", "fsa.csv", "moj.csv", "cfa.xlsx")
RESUBMITTED = "2025-09-30/da.csv"
KEY = ("table_id", "period_end", *DIMENSIONS, "measure")
VINTAGE_TABLES = ("publications", "report_cells", "submission_files")


def _cells(published: Path) -> dict[tuple, tuple]:
    columns = ", ".join(f"cast({name} as varchar)" for name in KEY)
    return {
        row[:-2]: row[-2:] for row in query(published, f"select {columns}, value, prior_value from marts.report_cells")
    }


def _vintages(published: Path) -> dict[str, set[tuple]]:
    return {table: set(query(published, f"select * from vintages.{table}")) for table in VINTAGE_TABLES}


def _revisions(published: Path) -> dict[tuple, tuple]:
    columns = ", ".join(f"cast({name} as varchar)" for name in KEY)
    return {
        (*row[: len(KEY)], row[len(KEY)]): row[len(KEY) + 1 :]
        for row in query(
            published,
            f"select {columns}, figure, first_value, latest_value, difference, "
            "files_added, files_removed, files_changed from marts.rpt_revisions",
        )
    }


def _report(workspace: Path, suffix: str) -> Path:
    return workspace / "build" / "report" / f"genai_report_{PERIODS[-1]}{suffix}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("revisions")


def test_a_resubmission_revises_exactly_the_changed_cells_and_keeps_every_vintage(workspace: Path, monkeypatch):
    landing = workspace / "landing"
    for period in PERIODS:
        (landing / period).mkdir(parents=True)
        for name in FILES:
            shutil.copy2(SHIPPED_LANDING / period / name, landing / period / name)
    published = workspace / "published" / "genai_report.duckdb"

    result = _build(workspace, landing, published)
    assert "publication vintages: 2 added" in result.stdout, result.stdout[-2000:]
    first = _vintages(published)
    assert {row[1].isoformat() for row in first["publications"]} == set(PERIODS)
    assert _revisions(published) == {}
    assert NO_REVISIONS in _report(workspace, ".html").read_text(encoding="utf-8")
    assert load_workbook(_report(workspace, ".xlsx"))[REVISIONS_SHEET]["A5"].value == NO_REVISIONS
    before = _cells(published)

    # The ministry resubmits its earlier file with its last case removed.
    resubmitted = landing / RESUBMITTED
    lines = resubmitted.read_bytes().rstrip(b"\r\n").split(b"\n")
    resubmitted.write_bytes(b"\n".join(lines[:-1]) + b"\n")
    result = _build(workspace, landing, published)
    # the earlier period (its values) and the next one (its prior values) are published anew
    assert "publication vintages: 2 added" in result.stdout, result.stdout[-2000:]
    after = _cells(published)
    assert before.keys() == after.keys()

    expected = {}
    for key, (old_value, old_prior) in before.items():
        new_value, new_prior = after[key]
        if old_value != new_value:
            expected[(*key, "value")] = (old_value, new_value, new_value - old_value, None, None, RESUBMITTED)
        if old_prior != new_prior:
            expected[(*key, "prior_value")] = (old_prior, new_prior, new_prior - old_prior, None, None, RESUBMITTED)
    revised_periods = {(key[1], key[-1]) for key in expected}
    assert revised_periods == {(PERIODS[0], "value"), (PERIODS[1], "prior_value")}
    assert _revisions(published) == expected

    # Every earlier vintage is still there, row for row; the new ones only add.
    second = _vintages(published)
    for table in VINTAGE_TABLES:
        assert first[table] <= second[table], table
    assert len(second["publications"]) == 4

    html = _report(workspace, ".html").read_text(encoding="utf-8")
    assert 'id="revisions-table"' in html and NO_REVISIONS not in html
    sheet = load_workbook(_report(workspace, ".xlsx"))[REVISIONS_SHEET]
    assert sheet.max_row - 4 == len(expected)

    # Nothing changed: "Up to date" adds nothing; a forced build publishing the same figures neither.
    result = _build(workspace, landing, published)
    assert "Up to date" in result.stdout, result.stdout[-2000:]
    monkeypatch.setenv("GENAI_FORCE_BUILD", "1")
    result = _build(workspace, landing, published)
    assert "publication vintages: 0 added" in result.stdout, result.stdout[-2000:]
    assert _vintages(published) == second
    with duckdb.connect(str(published), read_only=True) as connection:
        assert connection.sql("select count(*) from marts.rpt_revisions").fetchone()[0] == len(expected)
