"""What a DuckDB warehouse holds: the column names of a relation (shared by the gate and the exports)."""

from __future__ import annotations

import duckdb


def column_names(connection: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """The columns of `relation` ('schema.name'), in table order; [] if there is no such relation."""
    schema, name = relation.split(".")
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [column for (column,) in rows]


def missing_columns(connection: duckdb.DuckDBPyConnection, relation: str, wanted: tuple[str, ...]) -> list[str]:
    """The names of `wanted` that `relation` lacks, in the order given."""
    present = set(column_names(connection, relation))
    return [column for column in wanted if column not in present]
