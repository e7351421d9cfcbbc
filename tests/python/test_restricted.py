"""Restricted data (非公開) stays out of the public marts.

高リスク判定 (high_risk) and the free text 案件名 (case_name), 成果目標の内容 (outcome_goal_text) and the raw
利用モデル (model_name) may live in intermediate relations and in marts named ``restricted_*``; every
other relation of schema ``marts`` is public and carries codes only (see docs/spec/submission-form.md).
"""

from __future__ import annotations

import re

import pytest

from tests.python.conftest import query

RESTRICTED_COLUMNS = ("case_name", "outcome_goal_text", "model_name", "high_risk")
#: column names that would carry raw, unnormalised input (free text or values as typed)
RAW_COLUMN = re.compile(r"(^|_)(raw|json)(_|$)|high_risk|free_text|case_name|goal_text|model_name")
#: raw columns a public mart may hold: the value of a categorical column as typed (a rejected value, a
#: spelling and the code it became) -- never of a restricted column, see the test on column_name below
ALLOWED_RAW = {("submission_rejects", "raw_value"), ("submission_normalisation", "raw_value")}


def public_columns(database) -> list[tuple[str, str, str]]:
    return query(
        database,
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name not like 'restricted\\_%' escape '\\' "
        "order by table_name, ordinal_position",
    )


def test_public_marts_exist(shipped_warehouse):
    tables = {table for table, _, _ in public_columns(shipped_warehouse)}
    assert {"report_cells", "submission_files", "submission_rejects", "submission_status"} <= tables


def test_no_public_mart_has_a_restricted_or_raw_column(shipped_warehouse):
    offending = [
        (table, column)
        for table, column, _ in public_columns(shipped_warehouse)
        if column in RESTRICTED_COLUMNS or (RAW_COLUMN.search(column) and (table, column) not in ALLOWED_RAW)
    ]
    assert offending == []


def test_restricted_columns_stay_in_intermediate(shipped_warehouse):
    """The restricted fields are modelled (so the check above is not vacuous): int_cases carries them."""
    columns = {
        column
        for (column,) in query(
            shipped_warehouse,
            "select column_name from information_schema.columns "
            "where table_schema = 'intermediate' and table_name = 'int_cases'",
        )
    }
    assert set(RESTRICTED_COLUMNS) <= columns
    assert query(
        shipped_warehouse,
        "select count(case_name), count(model_name), count(high_risk) from intermediate.int_cases",
    )[0] > (0, 0, 0)


MASK = "(非公開 / restricted)"


def test_no_public_mart_shows_values_of_a_restricted_column(shipped_warehouse):
    """Marts that describe submitted values column by column leave the restricted columns out
    (submission_normalisation: even counts of 高リスク判定 answers would disclose them) or mask the value
    (submission_rejects locates a rejected value by file, row and column)."""
    per_column = sorted({table for table, column, _ in public_columns(shipped_warehouse) if column == "column_name"})
    assert {"submission_normalisation", "submission_rejects"} <= set(per_column)
    restricted = ", ".join(f"'{column}'" for column in RESTRICTED_COLUMNS)
    listed = query(
        shipped_warehouse,
        f"select column_name, count(*) from marts.submission_normalisation "
        f"where column_name in ({restricted}) group by all",
    )
    assert listed == []
    shown = query(
        shipped_warehouse,
        f"select message_en from marts.submission_rejects "
        f"where column_name in ({restricted}) and raw_value is not null and raw_value != '{MASK}'",
    )
    assert shown == []
    assert query(
        shipped_warehouse,
        "select column_name, is_restricted from reference.submission_columns where is_restricted order by 1",
    ) == sorted((column, True) for column in RESTRICTED_COLUMNS)


@pytest.fixture(scope="module")
def free_texts(shipped_warehouse) -> list[str]:
    """The submitted free texts, except those that are public vocabulary anyway (a 利用モデル typed as
    独自モデル is also the label of the model family IN_HOUSE)."""
    rows = query(
        shipped_warehouse,
        "select distinct text from ("
        "select case_name as text from intermediate.int_cases "
        "union all select outcome_goal_text from intermediate.int_cases "
        "union all select model_name from intermediate.int_cases"
        ") where text is not null and text not in ("
        "select label_ja from reference.code_lists union all select label_en from reference.code_lists "
        "union all select code from reference.code_lists)",
    )
    return [text for (text,) in rows]


def test_no_public_mart_value_is_free_text(shipped_warehouse, free_texts):
    """Whatever a column is called: no text value of a public mart is, or contains, a submitted free text."""
    assert free_texts
    texts = ", ".join("('" + text.replace("'", "''") + "')" for text in free_texts)
    leaks = []
    for table, column, data_type in public_columns(shipped_warehouse):
        if data_type != "VARCHAR":
            continue
        leaks += query(
            shipped_warehouse,
            f"""
            with texts(text) as (values {texts}),
            cells as (select distinct "{column}" as value from marts."{table}" where "{column}" is not null)
            select '{table}', '{column}', value, text
            from cells inner join texts
                on cells.value = texts.text or (length(texts.text) >= 8 and strpos(cells.value, texts.text) > 0)
            limit 5
            """,
        )
    assert leaks == []
