"""Incremental by period: one `make build` per new period gives what one build of everything gives.

Four periods land one `make build` at a time (genai_report.build, as `make build` runs it) into one
published warehouse; a fresh full build (`dbt build --full-refresh` semantics: an empty file) of the
same four folders must hold the same rows in every mart and intermediate relation. Then a file of
the second period is resubmitted with new content and a file of the fourth removed: the next
`make build` must checksum only the resubmitted file, rebuild exactly the changed periods and the
period after each (for prior_value), and again equal a full build.

The four periods are the shipped two plus copies: 2025-06-30 reuses 2025-09-30's files (same form)
and 2026-03-31 reuses 2025-12-31's (same form). The changed data no longer matches the
publication, so the publication check is off (GENAI_CHECK_PUBLICATION=false).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from genai_report.warehouse import build_warehouse

from .conftest import PROJECT_DIR, SHIPPED_LANDING

TIMEOUT = 1800
PERIODS = ["2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"]
COPIED_FROM = {"2025-06-30": "2025-09-30", "2026-03-31": "2025-12-31"}
#: relations every build must agree on (marts and the case model; bookkeeping excluded).
COMPARED_SCHEMAS = ("marts", "intermediate")
#: marts that read the publication record (schema vintages): they depend on which builds published,
#: which a fresh full build has not got (tests/python/test_revisions.py checks them).
PUBLICATION_HISTORY = ("rpt_revisions",)


def _period_source(period: str) -> Path:
    return SHIPPED_LANDING / COPIED_FROM.get(period, period)


def _build(root: Path, landing: Path, published: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GENAI_WAREHOUSE": str(published),
        "GENAI_LANDING_DIR": str(landing),
        "GENAI_BUILD_DIR": str(root / "build"),
        "GENAI_CHECK_PUBLICATION": "false",
        "DBT_TARGET_PATH": str(root / "dbt_target"),
        "DBT_LOG_PATH": str(root / "dbt_logs"),
        "DO_NOT_TRACK": "1",
    }
    for name in ("GENAI_DBT_TARGET", "GENAI_BUILD_WAREHOUSE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "genai_report.build"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result


def _full_build(landing: Path, database: Path) -> Path:
    build_warehouse(database, landing, dbt_vars={"check_publication": False})
    return database


def _differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Per relation: (rows only in the incremental build, rows only in the full build)."""
    found = {}
    # Each file is opened under the catalog name its views were created in (its file name).
    with duckdb.connect(str(full), read_only=True) as connection:
        connection.execute(f"attach '{incremental}' as \"{incremental.stem}\" (read_only)")
        relations = connection.sql(
            "select table_schema, table_name from information_schema.tables "
            f"where table_catalog = '{incremental.stem}' and table_schema in {COMPARED_SCHEMAS} order by all"
        ).fetchall()
        assert len(relations) > 20
        for schema, name in [(schema, name) for schema, name in relations if name not in PUBLICATION_HISTORY]:
            ours = f'"{incremental.stem}".{schema}.{name}'
            theirs = f"{schema}.{name}"
            only_ours = connection.sql(f"select count(*) from (from {ours} except all from {theirs})").fetchone()[0]
            only_theirs = connection.sql(f"select count(*) from (from {theirs} except all from {ours})").fetchone()[0]
            if only_ours or only_theirs:
                found[ours] = (only_ours, only_theirs)
    return found


def _rebuilt_now(published: Path, model: str) -> list[str]:
    with duckdb.connect(str(published), read_only=True) as connection:
        return [
            str(period)
            for (period,) in connection.sql(
                "select period_end from incremental_state.built_periods where model_name = ? "
                "and built_by = (select built_by from incremental_state.built_periods "
                "where model_name = ? order by built_at desc limit 1) order by 1",
                params=[model, model],
            ).fetchall()
        ]


def _hashed_at(published: Path) -> dict[str, object]:
    """When the loader last read each landed file to checksum it."""
    with duckdb.connect(str(published), read_only=True) as connection:
        return dict(
            connection.sql("select source_file, hashed_at from incremental_state.landing_file_checksums").fetchall()
        )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("incremental")


def test_one_period_at_a_time_equals_all_at_once_and_a_resubmission_equals_a_full_rebuild(workspace: Path):
    landing = workspace / "landing"
    landing.mkdir()
    published = workspace / "published" / "genai_report.duckdb"

    for period in PERIODS:
        shutil.copytree(_period_source(period), landing / period)
        result = _build(workspace, landing, published)
        if period != PERIODS[0]:
            # only the new period was counted: report_cells rebuilt it alone
            assert "1 period(s) rebuilt" in result.stdout, result.stdout[-2000:]
            assert _rebuilt_now(published, "report_cells") == [period]

    full = _full_build(landing, workspace / "full_1" / "warehouse.duckdb")
    assert _differences(published, full) == {}
    with duckdb.connect(str(published), read_only=True) as connection:
        assert connection.sql("select count(distinct period_end) from marts.report_cells").fetchone()[0] == 4

    # A resubmitted file in the second period (same name, one case fewer) and a file removed from the fourth.
    resubmitted = landing / "2025-09-30" / "da.csv"
    lines = resubmitted.read_bytes().rstrip(b"\r\n").split(b"\n")
    resubmitted.write_bytes(b"\n".join(lines[:-1]) + b"\n")
    (landing / "2026-03-31" / "moj.csv").unlink()
    hashed_before = _hashed_at(published)
    result = _build(workspace, landing, published)
    # only the resubmitted file was read to compute its checksum; the others kept theirs
    hashed_after = _hashed_at(published)
    assert "2026-03-31/moj.csv" not in hashed_after
    assert {f for f in hashed_after if hashed_after[f] != hashed_before[f]} == {"2025-09-30/da.csv"}
    # the two changed periods and the period after the second (its prior_value changed)
    assert _rebuilt_now(published, "report_cells") == ["2025-09-30", "2025-12-31", "2026-03-31"]
    assert _rebuilt_now(published, "int_cases") == ["2025-09-30", "2026-03-31"]

    full = _full_build(landing, workspace / "full_2" / "warehouse.duckdb")
    assert _differences(published, full) == {}
    with duckdb.connect(str(published), read_only=True) as connection:
        before, after = connection.sql(
            "select sum(value) filter (where period_end = '2025-06-30'), "
            "sum(value) filter (where period_end = '2025-09-30') from marts.report_cells "
            "where table_id = 'T01' and measure = 'case_count' and usage_type = '_T' and start_timing = '_T'"
        ).fetchone()
        assert after == before - 1  # the resubmitted file dropped one case of 2025-09-30

    # Nothing changed since: the next make build has nothing to do and leaves the file as it is.
    published_bytes = published.read_bytes()
    result = _build(workspace, landing, published)
    assert "Up to date" in result.stdout, result.stdout[-2000:]
    assert published.read_bytes() == published_bytes
