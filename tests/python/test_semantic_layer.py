"""The semantic layer (models/semantic/): MetricFlow's answers equal the publication's cells.

`mf` runs as analysts run it (docs/analysts.md): the console script with no flag, through the
profile's `published` target (read-only) and the semantic manifest in the project's `target/`. Here
the "project" is a temporary folder holding the project's dbt_project.yml and profiles.yml and the
semantic manifest of a test build, and $GENAI_WAREHOUSE names that build's file, so a test never
reads the published warehouse or the project's own target/.

For every period of the shipped sample and of a generated multi-period landing, each metric equals
the report_cells figure the publication prints: systems = T01's grand total, started systems =
T01's STARTED total, ministries organisation-wide = T02's ministry count (SINGLE_MINISTRY_WIDE x
STARTED), discontinued systems = T08's population, the started share = their ratio; cell_value
gives every table's grand total. A quarter or a year never sums periods.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from genai_report.contract import DIMENSIONS, REFERENCE_DIR
from genai_report.warehouse import build_warehouse

from .conftest import PROJECT_DIR, query

MF = Path(sys.executable).with_name("mf")
TIMEOUT = 600
#: the metrics whose per-period figures the publication prints.
#: the cube's nine dimensions; a table's grand total has `_T` in each of its own and NULL in the others.
CUBE_DIMENSIONS = list(DIMENSIONS)
PUBLISHED_METRICS = [
    "systems",
    "started_systems",
    "started_share",
    "ministries_organisation_wide",
    "discontinued_systems",
]


def _semantic_project(root: Path, database: Path) -> dict[str, str]:
    """A project folder for `mf` over ``database``; returns the environment to run it with."""
    project = root / "mf_project"
    (project / "target").mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        (project / name).symlink_to(PROJECT_DIR / name)
    built_target = database.with_name(database.stem + "_dbt_target")
    shutil.copy2(built_target / "semantic_manifest.json", project / "target" / "semantic_manifest.json")
    env = {
        **os.environ,
        "GENAI_WAREHOUSE": str(database),
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "DO_NOT_TRACK": "1",
    }
    env.pop("GENAI_DBT_TARGET", None)
    return env


def _mf(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(MF), *args],
        cwd=env["DBT_PROJECT_DIR"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )
    if check:
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result


def _mf_rows(env: dict[str, str], tmp_path: Path, *args: str) -> list[dict[str, str]]:
    out = tmp_path / f"mf_{len(list(tmp_path.glob('mf_*.csv')))}.csv"
    _mf(env, "query", *args, "--csv", str(out))
    with open(out, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _day(value: str) -> str:
    return value[:10]


def _published_figures(database: Path) -> dict[str, dict[str, int]]:
    """Per period, the publication's figures as report_cells and report_populations hold them."""
    rows = query(
        database,
        """
        select
            cast(cells.period_end as varchar),
            max(cells.value) filter (
                where cells.table_id = 'T01' and cells.measure = 'case_count'
                and cells.usage_type = '_T' and cells.start_timing = '_T'
            ),
            max(cells.value) filter (
                where cells.table_id = 'T01' and cells.measure = 'case_count'
                and cells.usage_type = '_T' and cells.start_timing = 'STARTED'
            ),
            max(cells.value) filter (
                where cells.table_id = 'T02' and cells.measure = 'ministry_count' and cells.usage_type = '_T'
                and cells.user_scope = 'SINGLE_MINISTRY_WIDE' and cells.start_status = 'STARTED'
            ),
            (
                select populations.population_cases from marts.report_populations as populations
                where populations.table_id = 'T08' and populations.period_end = cells.period_end
            )
        from marts.report_cells as cells
        group by cells.period_end
        """,
    )
    return {
        period: {
            "systems": systems,
            "started_systems": started,
            "ministries_organisation_wide": ministries or 0,
            "discontinued_systems": discontinued or 0,
        }
        for period, systems, started, ministries, discontinued in rows
    }


def _check_against_report_cells(database: Path, env: dict[str, str], tmp_path: Path) -> int:
    """Every published metric and every table's grand total, per period; returns the periods checked."""
    expected = _published_figures(database)
    answered = {
        _day(row["metric_time__day"]): row
        for row in _mf_rows(env, tmp_path, "--metrics", ",".join(PUBLISHED_METRICS), "--group-by", "metric_time__day")
    }
    assert sorted(answered) == sorted(expected)
    for period, figures in expected.items():
        row = answered[period]
        for metric, value in figures.items():
            assert int(row[metric]) == value, (period, metric, row[metric], value)
        share = float(row["started_share"])
        assert share == pytest.approx(figures["started_systems"] / figures["systems"], rel=1e-12), period

    grand_totals = {
        (_day(row["metric_time__day"]), row["cell__table_id"], row["cell__cell_measure"]): int(row["cell_value"])
        for row in _mf_rows(
            env,
            tmp_path,
            "--metrics",
            "cell_value",
            "--group-by",
            "metric_time__day,cell__table_id,cell__cell_measure",
            "--where",
            " and ".join(
                f"coalesce({{{{ Dimension('cell__{dimension}') }}}}, '_T') = '_T'" for dimension in CUBE_DIMENSIONS
            ),
        )
    }
    cube = {
        (period, table, measure): value
        for period, table, measure, value in query(
            database,
            "select cast(period_end as varchar), table_id, measure, value from marts.report_cells where "
            + " and ".join(f"coalesce({dimension}, '_T') = '_T'" for dimension in CUBE_DIMENSIONS),
        )
    }
    assert grand_totals == cube
    assert {table for _, table, _ in cube} == {f"T0{n}" for n in range(1, 10)}

    # The dimension breakdown: systems by usage type = T01's row totals.
    by_usage = {
        (_day(row["metric_time__day"]), row["case__usage_type"]): int(row["systems"])
        for row in _mf_rows(env, tmp_path, "--metrics", "systems", "--group-by", "metric_time__day,case__usage_type")
    }
    row_totals = {
        (period, usage_type): value
        for period, usage_type, value in query(
            database,
            "select cast(period_end as varchar), usage_type, value from marts.report_cells "
            "where table_id = 'T01' and measure = 'case_count' and usage_type <> '_T' and start_timing = '_T' "
            "and value > 0",
        )
    }
    assert by_usage == row_totals

    # A stock: a quarter or a year reads its last period, never the sum of its periods.
    last_in = {}
    for period in sorted(expected):
        last_in[period[:4]] = period
    by_year = {
        _day(row["metric_time__year"])[:4]: int(row["systems"])
        for row in _mf_rows(env, tmp_path, "--metrics", "systems", "--group-by", "metric_time__year")
    }
    assert by_year == {year: expected[period]["systems"] for year, period in last_in.items()}
    return len(expected)


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory) -> Path:
    """The shipped sample, built with the reconciliation with the publication on."""
    database = tmp_path_factory.mktemp("semantic_sample") / "sample.duckdb"
    build_warehouse(database, PROJECT_DIR / "data" / "landing")
    return database


@pytest.fixture(scope="module")
def sample_env(sample_warehouse, tmp_path_factory) -> dict[str, str]:
    return _semantic_project(tmp_path_factory.mktemp("semantic_sample_project"), sample_warehouse)


def test_mf_validate_configs_passes(sample_env):
    result = _mf(sample_env, "validate-configs")
    output = result.stdout + result.stderr
    assert "ERRORS: 0" in output
    assert "Successfully validated metrics against data warehouse" in output


def test_every_shipped_period_equals_report_cells(sample_warehouse, sample_env, tmp_path):
    assert _check_against_report_cells(sample_warehouse, sample_env, tmp_path) == len(
        query(sample_warehouse, "select distinct period_end from marts.report_cells")
    )


def test_every_period_of_a_generated_landing_equals_report_cells(tmp_path):
    from benchmarks import synth

    seed = int(os.environ.get("GENAI_TEST_SEED") or random.randrange(2**32))
    print(f"generated landing: GENAI_TEST_SEED={seed}")
    chooser = random.Random(seed)
    seeds = REFERENCE_DIR.parent
    available = synth.read_periods(seeds)
    count = chooser.randint(3, min(5, len(available)))
    first = chooser.randint(0, len(available) - count)
    periods = available[first : first + count]
    landing = synth.write_landing(
        tmp_path / "landing", chooser.randint(300, 600), periods, synth.read_ministries(seeds), "csv"
    )
    database = tmp_path / "generated.duckdb"
    build_warehouse(database, landing.root, dbt_vars={"check_publication": False})
    env = _semantic_project(tmp_path, database)
    assert _check_against_report_cells(database, env, tmp_path) == count


def test_an_unknown_metric_or_dimension_is_metricflows_own_error(sample_env):
    unknown_metric = _mf(sample_env, "query", "--metrics", "no_such_metric", check=False)
    assert unknown_metric.returncode != 0
    assert "does not exactly match any known metrics" in unknown_metric.stdout + unknown_metric.stderr
    assert "no_such_metric" in unknown_metric.stdout + unknown_metric.stderr

    unknown_dimension = _mf(sample_env, "query", "--metrics", "systems", "--group-by", "case__no_such", check=False)
    assert unknown_dimension.returncode != 0
    assert "does not match any of the available group-by-items" in unknown_dimension.stdout + unknown_dimension.stderr


def test_mf_never_asks_pypi_for_updates(monkeypatch):
    """`.venv/bin/mf` is the project's entry point, which answers MetricFlow's update check locally."""
    import requests
    import update_checker

    from genai_report import semantic_layer

    assert "genai_report.semantic_layer" in MF.read_text(encoding="utf-8")

    def no_network(*args, **kwargs):
        raise AssertionError(f"network call: {args}")

    monkeypatch.setattr(requests, "get", no_network)
    monkeypatch.setattr(update_checker.UpdateChecker, "check", update_checker.UpdateChecker.check)
    monkeypatch.setattr("dbt_metricflow.cli.main.cli", lambda: None)
    semantic_layer.main()
    assert update_checker.UpdateChecker(bypass_cache=True).check("dbt-metricflow", "0.0.1") is None
