"""DuckDB runs within the memory limit and spills where genai_report.duckdb_settings says, in dbt too."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import yaml

from genai_report import duckdb_settings
from tests.python.conftest import PROJECT_DIR


def _bytes(duckdb_size: str) -> float:
    """DuckDB's display of a size ('12.0 GiB') in bytes."""
    number, unit = duckdb_size.split()
    return float(number) * 1024 ** ("KiB", "MiB", "GiB", "TiB").index(unit) * 1024


def test_default_limit_is_a_share_of_the_machine(monkeypatch):
    monkeypatch.delenv(duckdb_settings.MEMORY_LIMIT_VARIABLE, raising=False)
    monkeypatch.delenv(duckdb_settings.TEMP_DIRECTORY_VARIABLE, raising=False)
    with duckdb.connect() as connection:
        duckdb_settings.apply(connection)
        limit = connection.sql("select current_setting('memory_limit')").fetchone()[0]
    share = duckdb_settings.physical_memory() * duckdb_settings.MEMORY_FRACTION
    assert abs(_bytes(limit) - share) <= 0.1 * 2**30  # DuckDB shows one decimal
    assert duckdb_settings.settings() == {"memory_limit": duckdb_settings.memory_limit()}


def test_settings_reach_a_connection(monkeypatch, tmp_path):
    monkeypatch.setenv(duckdb_settings.MEMORY_LIMIT_VARIABLE, "768MiB")
    monkeypatch.setenv(duckdb_settings.TEMP_DIRECTORY_VARIABLE, str(tmp_path / "spill"))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        duckdb_settings.apply(connection)
        duckdb_settings.apply(connection)  # again: the same temp directory is no move
        got = connection.sql("select current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    assert got == ("768.0 MiB", str(tmp_path / "spill"))


def test_every_duckdb_target_names_the_plugin():
    outputs = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())["genai_report"]["outputs"]
    duckdb_targets = {name: output for name, output in outputs.items() if output["type"] == "duckdb"}
    assert set(duckdb_targets) == {"dev", "build", "test", "published", "lint"}
    for output in duckdb_targets.values():
        assert output["plugins"] == [{"module": "genai_report.duckdb_plugin"}]


def test_dbt_runs_with_the_settings(tmp_path):
    """What make build's dbt sees (one target: the plugin is the same in each, as checked above)."""
    target = "build"
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_PROJECT_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        f"GENAI_{target.upper()}_WAREHOUSE": str(tmp_path / "w.duckdb"),
        duckdb_settings.MEMORY_LIMIT_VARIABLE: "1536MiB",
        duckdb_settings.TEMP_DIRECTORY_VARIABLE: str(tmp_path / "spill"),
    }
    sql = "select current_setting('memory_limit') || '|' || current_setting('temp_directory') as chosen"
    shown = subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "show", "--target", target, "--inline", sql, "--output", "json"],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert f"1.5 GiB|{tmp_path / 'spill'}" in shown.stdout
