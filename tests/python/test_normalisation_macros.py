"""The shortcut in macros/normalisation/is_blank.sql decides exactly what the full definition does.

is_blank answers "not blank" from one character-class search when a value holds a character no
blank spelling holds, and only folds and compares the rest. This compiles the macro and compares
its answer with the definition (its else branch) on every single code point and on random strings
over the characters that matter, so a character missing from (or wrongly added to) the class fails.
"""

from __future__ import annotations

import random

import duckdb
import pytest

from genai_report.dbt import run_dbt

ALPHABET = [" ", "\t", "\n", "\r", "\f", "\v", "\u3000", "\xa0", "-", "－", "―", "‐", "ー", "ｰ", "未", "記", "入"]
ALPHABET += ["a", "ﾞ", "ｶ", "１", "\u3099", "—", "–", "\u2212", "\ufeff"]


@pytest.fixture(scope="module")
def is_blank_sql(tmp_path_factory) -> tuple[str, str]:
    target = tmp_path_factory.mktemp("compile")
    args = ["compile", "--inline", "select {{ is_blank('x') }} as b from t", "--target", "lint"]
    result = run_dbt([*args, "--target-path", str(target), "--log-path", str(target), "--quiet"])
    sql = result.result.results[0].node.compiled_code.strip()
    expression = sql[len("select ") : sql.rindex(" as b from t")]
    definition = expression[expression.index("else ") + len("else ") : expression.rindex("end")].strip()
    return expression, definition


def test_is_blank_shortcut_equals_the_definition(is_blank_sql):
    expression, definition = is_blank_sql
    assert "regexp_matches" in expression and "nfc_normalize" in definition
    random.seed(14)
    values = {"".join(random.choice(ALPHABET) for _ in range(random.randint(0, 6))) for _ in range(100_000)}
    with duckdb.connect() as connection:
        connection.execute("create table t (x varchar)")
        connection.executemany("insert into t values (?)", [(value,) for value in values])
        connection.execute("insert into t values (null), ('未記入'), (' 未記入　'), ('未記入です')")
        every_code_point = "select chr(i::integer) from range(1, 196608) r(i) where i < 55296 or i > 57343"
        connection.execute(f"insert into t {every_code_point}")
        differing = connection.sql(f"select x from t where ({definition}) is distinct from ({expression})").fetchall()
        blanks = connection.sql(f"select count(*) from t where {expression}").fetchone()[0]
    assert differing == []
    assert blanks > 100  # the blank spellings are there to be told apart
