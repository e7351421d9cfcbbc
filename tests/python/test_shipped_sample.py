"""The shipped landing files through the whole warehouse (issue 4 and 5 acceptance).

The generator's ground truth (data/sample_truth/cases.csv) was written from the solver's records,
before any spelling variant, encoding or file format was applied; the warehouse must read every
variant back to exactly those codes, from exactly that file and row.
"""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from genai_report.warehouse import build_warehouse
from tests.python.conftest import PROJECT_DIR, SHIPPED_LANDING, query

TRUTH = PROJECT_DIR / "data" / "sample_truth" / "cases.csv"
# Independent oracle: the coded answers of the ground truth, named by hand.
ATTRIBUTES = [
    "usage_type", "start_timing", "user_scope", "stage", "confidentiality",
    "outcome_goal", "output_type", "risk_incident", "high_risk",
]  # fmt: skip


def test_no_rejects_and_every_row_accepted(shipped_warehouse):
    assert query(shipped_warehouse, "select count(*) from marts.submission_rejects") == [(0,)]
    with open(TRUTH, encoding="utf-8") as handle:
        truth_rows = sum(1 for _ in csv.DictReader(handle))
    assert query(
        shipped_warehouse,
        "select sum(rows_landed), sum(rows_accepted), sum(rows_rejected) from marts.submission_files",
    ) == [(truth_rows, truth_rows, 0)]
    assert query(
        shipped_warehouse,
        "select period_end::varchar, count(*), count(*) filter (where is_active) "
        "from intermediate.int_cases group by all order by 1",
    ) == [("2025-09-30", 306, 306), ("2025-12-31", 362, 319)]


def test_every_case_matches_the_generators_truth(shipped_warehouse):
    with open(TRUTH, encoding="utf-8") as handle:
        truth = {(row["period_end"], row["ministry_name_ja"], row["case_id"]): row for row in csv.DictReader(handle)}
    columns = ", ".join(f"cases.{name}" for name in ATTRIBUTES)
    rows = query(
        shipped_warehouse,
        f"select cases.period_end::varchar, ministries.ministry_name_ja, cases.case_id, {columns}, "
        "cases.model_name, cases.is_discontinued, cases.source_file, cases.row_number "
        "from intermediate.int_cases as cases "
        "inner join reference.ministries as ministries using (ministry_code)",
    )
    assert len(rows) == len(truth)
    mismatches = []
    for row in rows:
        key, values = row[:3], row[3:]
        expected = truth[key]
        wanted = [expected[name] or None for name in ATTRIBUTES] + [
            expected["model_name"] or None,
            expected["discontinued"] == "true",
            expected["source_file"],
            int(expected["row_number"]),
        ]
        if list(values) != wanted:
            mismatches.append((key, values, wanted))
    assert mismatches == []


def test_reconciliation_fails_when_a_cell_is_wrong(shipped_warehouse, tmp_path):
    """The dbt reconciliation test passed inside the fixture's build; here it must bite."""
    broken = tmp_path / "broken.duckdb"
    shutil.copy(shipped_warehouse, broken)
    with duckdb.connect(str(broken)) as connection:
        connection.execute(
            "update marts.report_cells set value = value + 1 where table_id = 'T02' and period_end = '2025-12-31' "
            "and usage_type = 'GENERAL_1' and start_status = 'STARTED' and user_scope = 'SINGLE_DIVISION' "
            "and measure = 'case_count'"
        )
    result = build_warehouse(
        broken,
        SHIPPED_LANDING,
        command="test",
        extra_args=["--select", "assert_report_cells_match_publication", "--store-failures"],
        check=False,
    )
    assert not result.success
    failures = query(
        broken,
        "select table_id, published_value, computed_value from dbt_test__audit.assert_report_cells_match_publication",
    )
    assert failures == [("T02", 159, 160)]


@pytest.mark.parametrize("period", ["2025-09-30", "2025-12-31"])
def test_every_ministry_submitted(shipped_warehouse, period):
    assert query(
        shipped_warehouse,
        f"select count(*), count(*) filter (where is_missing) from marts.submission_status "
        f"where period_end = date '{period}'",
    ) == [(25, 0)]
