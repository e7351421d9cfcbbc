"""The lists dbt needs at compile time stay equal to the seeds they come from."""

from __future__ import annotations

import csv
import re

from .conftest import PROJECT_DIR


def _seed_rows(name: str) -> list[dict[str, str]]:
    with open(PROJECT_DIR / "seeds" / "reference" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_coded_columns_macro_lists_the_seeds_coded_columns_in_form_order():
    macro = (PROJECT_DIR / "macros" / "normalisation" / "coded_columns.sql").read_text(encoding="utf-8")
    listed = re.findall(r"'([a-z_]+)'", macro[macro.index("return([") : macro.index("])")])
    columns = sorted(_seed_rows("submission_columns"), key=lambda row: int(row["column_order"]))
    assert listed == [row["column_name"] for row in columns if row["code_list"]]
