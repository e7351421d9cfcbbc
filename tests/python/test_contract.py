"""The lists dbt needs at compile time stay equal to the seeds they come from."""

from __future__ import annotations

import re

from genai_report import contract

from .conftest import PROJECT_DIR


def test_coded_columns_macro_lists_the_seeds_coded_columns_in_form_order():
    macro = (PROJECT_DIR / "macros" / "normalisation" / "coded_columns.sql").read_text(encoding="utf-8")
    listed = re.findall(r"'([a-z_]+)'", macro[macro.index("return([") : macro.index("])")])
    assert listed == [column.name for column in contract.columns() if column.code_list]
