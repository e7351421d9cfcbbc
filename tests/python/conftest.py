"""Shared fixtures: warehouses built in temporary files, never the published one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from genai_report.warehouse import build_warehouse

PROJECT_DIR = Path(__file__).resolve().parents[2]
SHIPPED_LANDING = PROJECT_DIR / "data" / "landing"


@pytest.fixture(scope="session")
def shipped_warehouse(tmp_path_factory) -> Path:
    """The shipped sample built once per test session with every dbt test (reconciliation included)."""
    database = tmp_path_factory.mktemp("shipped") / "warehouse.duckdb"
    build_warehouse(database, SHIPPED_LANDING)
    return database


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).fetchall()
