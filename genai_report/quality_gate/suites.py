"""The gate's expectation suites, declared as data: one suite per frame (frames.py).

Each suite names its frame, describes what it checks and lists its expectations as GX 1.x
expectation dicts (``{"type": ..., "kwargs": ..., "meta": ...}``). Every suite expects its frame to
have rows, so no expectation passes for want of data.

Only checks dbt does not already make are here: the recomputations of the cube, its totals, the
populations, the footnotes and the prior values from the cases, the publication's footnote counts,
the number of ministries and the headline's ratios. Checks that repeated a dbt test of the same
build were dropped (see docs/data-quality.md): rows landed = accepted + rejected
(``assert_every_landed_row_accounted``), the int_cases key (``unique_combination`` on period_end,
case_key), its required columns (``not_null``), ministries (``relationships``), code lists
(``in_code_list``, high_risk included) and membership values (``accepted_values``), the
report_cells key (``unique_combination`` on its twelve key columns) and the ministries' unique code
(``unique``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from genai_report.quality_gate.rules import MINISTRY_COUNT, NO_VALUE, PUBLICATION_PERIODS


def _note(text: str) -> dict:
    return {"notes": {"format": "markdown", "content": [text]}}


def has_rows(what: str) -> dict:
    return {
        "type": "expect_table_row_count_to_be_between",
        "kwargs": {"min_value": 1},
        "meta": _note(f"The derived frame has rows: {what} were actually checked."),
    }


def equal(rule: str) -> dict:
    return {
        "type": "expect_column_pair_values_to_be_equal",
        "kwargs": {"column_A": "actual", "column_B": "expected", "ignore_row_if": "neither"},
        "meta": _note(rule),
    }


@dataclass(frozen=True)
class Suite:
    """One expectation suite: its name, the frame it validates, and its expectations as dicts."""

    name: str
    frame: str  # a function of frames.py: <frame>_frame(connection)
    description: str
    expectations: tuple[dict, ...] = field(default_factory=tuple)
    #: only with the publication checks switched on
    publication: bool = False


SUITES: tuple[Suite, ...] = (
    Suite(
        "report_cells_totals",
        "totals",
        "Every row, column and grand total of report_cells equals the sum of the body cells it covers.",
        (
            has_rows("total cells"),
            equal("actual = the total cell; expected = sum of the non-total cells it covers (SQL)."),
        ),
    ),
    Suite(
        "report_cells_vs_int_cases",
        "cells_vs_cases",
        "Every cell of report_cells equals the cases of report_cases it counts (T02 ministry_count: "
        "distinct ministries); no counted case falls outside the cube.",
        (
            has_rows("cells"),
            equal(
                "actual = report_cells.value (None: the cell is missing from report_cells); "
                "expected = included cases of report_cases with those dimension values, counted by the "
                "gate's own GROUPING SETS query."
            ),
        ),
    ),
    Suite(
        "report_cells_cross_table",
        "cross_table",
        "Grand totals agree across tables where the populations coincide.",
        (has_rows("cross-table identities"), equal("Each row is one identity between grand totals.")),
    ),
    Suite(
        "report_cells_prior_value",
        "prior",
        "prior_value equals the previous period's value of the same cell (None when there is none).",
        (
            has_rows("cells"),
            equal(
                "actual = prior_value; expected = value of the same cell in the previous period "
                f"(reference.periods); '{NO_VALUE}' if that period or cell is not loaded."
            ),
        ),
    ),
    Suite(
        "report_populations",
        "populations",
        "population = included + excluded; excluded = the footnotes' exclusions; included = the "
        "grand total; population = the table's population in report_cases.",
        (has_rows("tables and periods"), equal("Each row is one identity of one table and period.")),
    ),
    Suite(
        "int_cases_membership",
        "membership",
        "Each case's per-table membership follows the footnote rule (first blank of the table's "
        "dimensions, T01 counting a blank start timing as undecided); cases counted per outcome.",
        (
            has_rows("membership outcomes"),
            equal(
                "actual = tNN_membership; expected = recomputed from the codes and population flags "
                f"('{NO_VALUE}': outside the table's population); `cases` counts the cases of the row."
            ),
        ),
    ),
    Suite(
        "report_exclusions_vs_int_cases",
        "exclusions",
        "Each footnote count (exclusion reason, T01's note) equals the cases of report_cases it describes.",
        (
            has_rows("footnote counts"),
            equal(
                "actual = report_exclusions.case_count (0 if absent); expected = cases whose first "
                "blank is that reason (recomputed), or for T01's note the active cases with no start timing."
            ),
        ),
    ),
    Suite(
        "reference_ministries",
        "ministries",
        f"The {MINISTRY_COUNT} ministries.",
        (
            {
                "type": "expect_table_row_count_to_equal",
                "kwargs": {"value": MINISTRY_COUNT},
                "meta": _note(f"{MINISTRY_COUNT} 府省庁."),
            },
        ),
    ),
    Suite(
        "report_exclusions_publication",
        "publication",
        "Exclusion counts equal the publication's footnotes (periods " + ", ".join(PUBLICATION_PERIODS) + ").",
        (
            has_rows("footnote counts"),
            equal("actual = report_exclusions.case_count; expected = published_exclusions."),
        ),
        publication=True,
    ),
    Suite(
        "rpt_headline",
        "headline",
        "Headline ratios are shares.",
        (
            has_rows("ratios"),
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "ratio"},
                "meta": _note("Every ratio is computed."),
            },
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "ratio", "min_value": 0, "max_value": 1},
                "meta": _note("A share lies in [0, 1]."),
            },
        ),
    ),
)
