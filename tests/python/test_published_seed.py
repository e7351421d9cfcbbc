"""The transcription of the publication (seeds/published/) is internally consistent.

Every printed total (a cell with `_T` in one or more of its table's dimensions) must equal the
sum of the printed cells one level below it: for each pattern of `_T` dimensions that is a proper
subset of the total's, the printed cells that agree with the total elsewhere add up to it. That
covers every row total, column total and grand total of every table, per period (the 前回報告件数
margins are cells of period 2025-09-30). Tables that print only some rows (T08: scopes 1, 2, 8)
are checked the same way, since their grand total still equals the sum of the printed rows.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "published"
# Independent oracle: the transcription's columns and each table's dimensions typed out, not read from the contract.
DIMS = [
    "usage_type",
    "start_timing",
    "start_status",
    "user_scope",
    "stage",
    "confidentiality",
    "output_type",
    "outcome_goal",
    "model_family",
]
TABLE_DIMS = {
    "T01": ["usage_type", "start_timing"],
    "T02": ["usage_type", "start_status", "user_scope"],
    "T03": ["usage_type", "start_status", "user_scope", "stage"],
    "T04": ["usage_type", "start_status", "confidentiality"],
    "T05": ["usage_type", "start_status", "user_scope", "stage"],
    "T06": ["output_type"],
    "T08": ["usage_type", "start_status", "user_scope", "stage"],
}
PERIODS = ["2025-09-30", "2025-12-31"]


def _read(name):
    with open(SEED / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


CELLS = _read("published_cells.csv")


def test_columns_and_dimensions():
    with open(SEED / "published_cells.csv", encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    assert header == ["table_id", "period_end", *DIMS, "measure", "value"]
    seen = set()
    for row in CELLS:
        dims = TABLE_DIMS[row["table_id"]]
        assert row["period_end"] in PERIODS
        for d in DIMS:
            assert bool(row[d]) == (d in dims), row
        assert row["measure"] in ("case_count", "ministry_count")
        assert int(row["value"]) >= 0
        key = (row["table_id"], row["period_end"], row["measure"], *(row[d] for d in DIMS))
        assert key not in seen, f"duplicate cell {key}"
        seen.add(key)


def _groups():
    groups = defaultdict(list)
    for row in CELLS:
        if row["measure"] == "case_count":
            groups[(row["table_id"], row["period_end"])].append(row)
    return groups


GROUPS = _groups()


@pytest.mark.parametrize("table_id,period_end", sorted(GROUPS))
def test_every_printed_total_is_the_sum_of_its_parts(table_id, period_end):
    rows = GROUPS[(table_id, period_end)]
    dims = TABLE_DIMS[table_id]
    cells = {tuple(r[d] for d in dims): int(r["value"]) for r in rows}
    checked = 0
    for key, total in cells.items():
        total_dims = frozenset(i for i, v in enumerate(key) if v == "_T")
        if not total_dims:
            continue
        by_pattern = defaultdict(list)
        for other, value in cells.items():
            pattern = frozenset(i for i, v in enumerate(other) if v == "_T")
            if pattern < total_dims and all(other[i] == key[i] for i in range(len(dims)) if i not in total_dims):
                by_pattern[pattern].append(value)
        for pattern, values in by_pattern.items():
            assert sum(values) == total, (
                f"{table_id} {period_end} {dict(zip(dims, key, strict=True))}: printed {total}, "
                f"parts with _T in {[dims[i] for i in pattern]} sum to {sum(values)}"
            )
            checked += 1
    # every table prints a grand total broken down at least one way
    assert checked > 0


def test_expected_shape():
    counts = defaultdict(int)
    for row in CELLS:
        counts[(row["table_id"], row["period_end"])] += 1
    # T01 4x5 body + margins; T02 6 scopes x 10 + margins + ministry count; and so on
    assert counts[("T01", "2025-12-31")] == 30
    assert counts[("T01", "2025-09-30")] == 6
    assert counts[("T02", "2025-12-31")] == 6 * 11 + 11 + 1
    assert counts[("T02", "2025-09-30")] == 6 + 11 + 1
    assert counts[("T03", "2025-12-31")] == 12 * 11 + 11
    assert counts[("T03", "2025-09-30")] == 12 + 11
    assert counts[("T04", "2025-12-31")] == 4 * 11 + 11
    assert counts[("T05", "2025-12-31")] == 4 * 11 + 11
    assert counts[("T06", "2025-12-31")] == counts[("T06", "2025-09-30")] == 8
    assert counts[("T08", "2025-12-31")] == 6 * 11 + 11
    assert ("T08", "2025-09-30") not in counts


def _cell(table_id, period_end, measure="case_count", **dims):
    hits = [
        r
        for r in CELLS
        if r["table_id"] == table_id
        and r["period_end"] == period_end
        and r["measure"] == measure
        and all(r[d] == v for d, v in dims.items())
    ]
    assert len(hits) == 1, (table_id, period_end, dims, len(hits))
    return int(hits[0]["value"])


def test_ministry_counts_and_spot_values():
    wide = dict(usage_type="_T", start_status="_T", user_scope="SINGLE_MINISTRY_WIDE")
    assert _cell("T02", "2025-12-31", "ministry_count", **wide) == 18
    assert _cell("T02", "2025-09-30", "ministry_count", **wide) == 17
    assert _cell("T02", "2025-12-31", **wide) == 37
    assert _cell("T02", "2025-09-30", **wide) == 27
    # T08's shifted 総計 row, read by the body's layout
    assert _cell("T08", "2025-12-31", usage_type="GENERAL_1", start_status="STARTED", user_scope="_T", stage="_T") == 34
    assert _cell("T08", "2025-12-31", usage_type="OTHER", start_status="STARTED", user_scope="_T", stage="_T") == 5
    assert _cell("T03", "2025-09-30", usage_type="_T", start_status="_T", user_scope="_T", stage="_T") == 292


def test_cross_table_grand_totals():
    def grand(t, p):
        dims = {d: "_T" for d in TABLE_DIMS[t]}
        return _cell(t, p, **dims)

    for p in PERIODS:
        assert grand("T01", p) == grand("T06", p)  # both cover every active case
        assert grand("T02", p) == grand("T04", p)  # the footnoted blanks are the same cases
    assert grand("T01", "2025-12-31") == 319 and grand("T01", "2025-09-30") == 306


def test_exclusions_and_headline():
    excl = {(r["table_id"], r["reason"]): int(r["case_count"]) for r in _read("published_exclusions.csv")}
    assert excl == {
        ("T01", "START_TIMING_BLANK_COUNTED_AS_UNDECIDED"): 1,
        ("T02", "START_TIMING_BLANK"): 1,
        ("T02", "USER_SCOPE_BLANK"): 2,
        ("T03", "START_TIMING_BLANK"): 1,
        ("T03", "USER_SCOPE_BLANK"): 2,
        ("T03", "STAGE_BLANK"): 2,
        ("T04", "START_TIMING_BLANK"): 1,
        ("T04", "CONFIDENTIALITY_BLANK"): 2,
        ("T08", "STAGE_BLANK"): 1,
    }
    head = {(r["period_end"], r["figure"]): int(r["value"]) for r in _read("published_headline.csv")}
    cur = "2025-12-31"
    assert head[(cur, "active_cases")] == _cell("T01", cur, usage_type="_T", start_timing="_T")
    assert head[(cur, "started_cases")] == _cell("T01", cur, usage_type="_T", start_timing="STARTED")
    assert head[(cur, "started_or_due_within_fiscal_year")] == head[(cur, "started_cases")] + _cell(
        "T01", cur, usage_type="_T", start_timing="WITHIN_FY"
    )
    for p in PERIODS:
        t04 = {d: "_T" for d in TABLE_DIMS["T04"]}
        assert head[(p, "t04_population")] == _cell("T04", p, **t04)
        c1 = _cell("T04", p, usage_type="_T", start_status="_T", confidentiality="C1_ONLY")
        assert head[(p, "t04_c2_or_personal_cases")] == head[(p, "t04_population")] - c1
        assert head[(p, "ministries_with_started_single_ministry_wide_case")] == _cell(
            "T02", p, "ministry_count", usage_type="_T", start_status="_T", user_scope="SINGLE_MINISTRY_WIDE"
        )
