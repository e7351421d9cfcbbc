"""The submission kit (issue 17): next period's form per ministry, prefilled, with seed dropdowns.

The test's oracle for every label is its own reading of the seeds in DuckDB SQL (not the kit's code):
the offered codes of the period's form version, in display order, with the form's number and the
period's fiscal year in the start-timing labels.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from genai_report import validate
from genai_report.kit import FORM_SHEET, KitError, write_kit
from genai_report.kit.__main__ import main as kit_main
from genai_report.kit.prefill import Source
from genai_report.kit.seeds import form, ministries, periods
from genai_report.kit.workbook import build_workbook
from genai_report.landing import parse_landing_files
from genai_report.warehouse import build_warehouse
from tests.python.conftest import PROJECT_DIR, SHIPPED_LANDING, query

SEEDS = PROJECT_DIR / "seeds" / "reference"
ARTIFACTS = PROJECT_DIR / "build" / "test-artifacts"
KIT_PERIOD, SOURCE_PERIOD = "2026-03-31", "2025-12-31"
FORMULA_LIKE = ("=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://example.invalid","x")')


def seed_sql(sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect() as connection:
        for name in ("submission_columns", "code_lists", "code_numbers", "periods", "ministries"):
            connection.execute(
                f"create view {name} as select * from read_csv('{SEEDS / name}.csv', header = true, all_varchar = true)"
            )
        return connection.execute(sql, params or []).fetchall()


def contract() -> list[tuple[str, str, bool, str | None]]:
    """(column_name, header_ja, is_required, code_list) in the contract's order."""
    rows = seed_sql(
        "select column_name, header_ja, is_required, code_list from submission_columns "
        "order by cast(column_order as integer)"
    )
    return [(name, header, required == "true", code_list) for name, header, required, code_list in rows]


def expected_labels(period_end: str) -> dict[str, list[tuple[str, str]]]:
    """code list -> [(code, dropdown label)] for the period's form, from the seeds."""
    rows = seed_sql(
        """
        select lists.code_list, lists.code,
            coalesce(numbers.number || '. ', '')
            || replace(
                replace(lists.label_ja, '{FY+1}', cast(cast(periods.fiscal_year_reiwa as integer) + 1 as varchar)),
                '{FY}', periods.fiscal_year_reiwa
            )
        from code_lists as lists
        inner join periods on periods.period_end = ?
        left join code_numbers as numbers
            on numbers.code_list = lists.code_list and numbers.code = lists.code
            and numbers.form_version in ('*', periods.form_version)
        where lists.offered_on_form in ('*', periods.form_version)
        order by lists.code_list, cast(lists.display_order as integer)
        """,
        [period_end],
    )
    out: dict[str, list[tuple[str, str]]] = {}
    for code_list, code, label in rows:
        out.setdefault(code_list, []).append((code, label))
    return out


def ministry_names() -> dict[str, str]:
    return dict(seed_sql("select ministry_code, ministry_name_ja from ministries"))


def dropdowns(path: Path) -> dict[str, list[str]]:
    """Header text -> the values the first sheet's list validation on that column offers."""
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header_row = next(r for r in range(1, 11) if sheet.cell(row=r, column=1).value == contract()[0][1])
    headers = {c: sheet.cell(row=header_row, column=c).value for c in range(1, sheet.max_column + 1)}
    out: dict[str, list[str]] = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        assert validation.showErrorMessage and validation.showInputMessage and validation.error and validation.prompt
        source_sheet, cells = validation.formula1.split("!")
        lists = workbook[source_sheet.strip("'")]
        values = [c.value for row in lists[cells.replace("$", "")] for c in row if c.value is not None]
        for cell_range in validation.sqref.ranges:
            assert cell_range.min_row == header_row + 1 and cell_range.min_col == cell_range.max_col
            out[headers[cell_range.min_col]] = values
    return out


def form_records(path: Path, period_end: str = KIT_PERIOD) -> list[dict]:
    """The first sheet as the landing reader reads it (one dict per data row)."""
    frame = parse_landing_files([(f"{period_end}/{path.name}", path.read_bytes())])
    files = frame[frame.record_type == "file"]
    assert files.file_error.isna().all() and files.unknown_columns.isna().all(), files.to_dict("records")
    return frame[frame.record_type == "row"].to_dict("records")


@pytest.fixture(scope="module")
def kit(shipped_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kit")
    assert kit_main(["--period", KIT_PERIOD, "--out", str(out), "--warehouse", str(shipped_warehouse)]) == 0
    return out


# --------------------------------------------------------------------------------------------
# The form
# --------------------------------------------------------------------------------------------


def test_one_workbook_per_ministry_with_the_contract_headers_in_order(kit):
    assert sorted(p.stem for p in kit.glob("*.xlsx")) == sorted(ministry_names())
    workbook = load_workbook(kit / "MOJ.xlsx")
    sheet = workbook.worksheets[0]
    assert sheet.title == FORM_SHEET and len(workbook.worksheets) >= 2
    header_row = sheet.freeze_panes and int("".join(ch for ch in sheet.freeze_panes if ch.isdigit())) - 1
    columns = contract()
    assert [sheet.cell(row=header_row, column=i).value for i in range(1, len(columns) + 1)] == [c[1] for c in columns]
    marks = [sheet.cell(row=header_row - 1, column=i).value for i in range(1, len(columns) + 1)]
    assert [mark.startswith("必須") for mark in marks] == [c[2] for c in columns]
    assert all(sheet.column_dimensions[chr(64 + i)].width >= 8 for i in range(1, len(columns) + 1))
    instructions = " ".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row if c.value)
    assert "案件番号" in instructions and "利用廃止" in instructions


@pytest.mark.parametrize("period_end", ["2025-09-30", KIT_PERIOD, "2026-06-30"])
def test_dropdowns_are_the_seed_labels_of_the_period(shipped_warehouse, tmp_path, period_end):
    form_version = seed_sql("select form_version from periods where period_end = ?", [period_end])[0][0]
    write_kit(shipped_warehouse, period_end, tmp_path)
    expected = expected_labels(period_end)
    names = ministry_names()
    for code in ("MOJ", "IHA"):
        lists = dropdowns(tmp_path / f"{code}.xlsx")
        coded = [(header, code_list) for _, header, _, code_list in contract() if code_list]
        assert set(lists) == {header for header, _ in coded}
        for header, code_list in coded:
            want = [names[code]] if code_list == "ministry" else [label for _, label in expected[code_list]]
            assert lists[header] == want, header
        timing = lists["利用開始時期"]
        fiscal_year = periods()[period_end].fiscal_year_reiwa
        assert (f"2. 令和{fiscal_year}年中に利用開始予定" in timing) == (form_version == "with_calendar_year")
        # every prefilled coded answer is one of its dropdown's labels
        for record in form_records(tmp_path / f"{code}.xlsx", period_end):
            for name, header, _, code_list in contract():
                if code_list and record[name] is not None:
                    assert record[name] in lists[header], (name, record[name])


def test_period_without_earlier_cases_gives_empty_forms(shipped_warehouse, tmp_path):
    write_kit(shipped_warehouse, "2025-09-30", tmp_path)
    assert all(form_records(path, "2025-09-30") == [] for path in tmp_path.glob("*.xlsx"))


def test_unknown_period_is_refused(shipped_warehouse, tmp_path, capsys):
    with pytest.raises(KitError, match="not a period end"):
        write_kit(shipped_warehouse, "2026-04-30", tmp_path)
    assert kit_main(["--period", "2026-04-30", "--out", str(tmp_path), "--warehouse", str(shipped_warehouse)]) == 1
    assert "not a period end" in capsys.readouterr().err


def test_case_mart_without_a_contract_column_is_refused(tmp_path):
    database = tmp_path / "renamed.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.report_cases as select date '2025-12-31' as period_end, 'MOJ' as ministry_code, "
            "'001' as case_id, false as is_discontinued"
        )
    with pytest.raises(KitError, match="has no column case_name"):
        write_kit(database, KIT_PERIOD, tmp_path / "kit")


def test_each_workbook_holds_only_its_ministrys_active_cases(kit, shipped_warehouse):
    names = ministry_names()
    active = query(
        shipped_warehouse,
        f"select ministry_code, case_id from intermediate.int_cases "
        f"where period_end = '{SOURCE_PERIOD}' and not is_discontinued",
    )
    for code, name in names.items():
        records = form_records(kit / f"{code}.xlsx")
        assert {r["ministry"] for r in records} <= {name}, code
        assert sorted(r["case_id"] for r in records) == sorted(c for m, c in active if m == code), code
    assert sum(len(form_records(p)) for p in kit.glob("*.xlsx")) == len(active)


def test_prefill_is_the_case_as_last_reported(kit, shipped_warehouse):
    """Free text verbatim, coded answers as the label of the same code; discontinued cases left out."""
    cases = query(
        shipped_warehouse,
        f"select case_id, case_name, outcome_goal_text, model_name, usage_type, output_type, high_risk, "
        f"is_discontinued from intermediate.int_cases where period_end = '{SOURCE_PERIOD}' and ministry_code = 'DA'",
    )
    labels = {cl: dict(pairs) for cl, pairs in expected_labels(KIT_PERIOD).items()}
    records = {r["case_id"]: r for r in form_records(kit / "DA.xlsx")}
    assert any(c[-1] for c in cases), "the sample should have a discontinued DA case"
    for case_id, name, goal, model, usage, output, high_risk, discontinued in cases:
        if discontinued:
            assert case_id not in records
            continue
        record = records[case_id]
        assert (record["case_name"], record["outcome_goal_text"], record["model_name"]) == (name, goal, model)
        assert record["usage_type"] == labels["usage_type"][usage]
        assert record["output_type"] == labels["output_type"][output]
        assert record["high_risk"] == (labels["high_risk"][high_risk] if high_risk else None)
        assert record["discontinued"] is None


def test_formula_like_text_is_written_as_text(tmp_path):
    source_period = periods()[SOURCE_PERIOD]
    case = {"ministry_code": "MOJ", "usage_type": "GENERAL_1"}
    cases = [
        {**case, "case_id": f"F{i}", "case_name": text, "outcome_goal_text": text, "model_name": text}
        for i, text in enumerate(FORMULA_LIKE)
    ]
    moj = next(m for m in ministries() if m.code == "MOJ")
    workbook = build_workbook(form(KIT_PERIOD), moj, Source(source_period, {"MOJ": cases}))
    path = tmp_path / "MOJ.xlsx"
    workbook.save(path)
    sheet = load_workbook(path).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value in FORMULA_LIKE]
    assert len(cells) == 3 * len(FORMULA_LIKE) and all(c.data_type == "s" for c in cells)
    records = form_records(path)
    assert [r["case_name"] for r in records] == list(FORMULA_LIKE)
    assert [r["model_name"] for r in records] == list(FORMULA_LIKE)


def test_validate_accepts_kit_files_as_they_are(kit, capsys):
    assert validate.main([str(kit / "MOJ.xlsx"), str(kit / "IHA.xlsx"), "--period", KIT_PERIOD]) == 0
    assert "rejected 0" in capsys.readouterr().out


# --------------------------------------------------------------------------------------------
# Round trip through the warehouse
# --------------------------------------------------------------------------------------------


def test_round_trip_unchanged_kit_reproduces_the_active_cases(kit, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(SHIPPED_LANDING, landing)
    shutil.copytree(kit, landing / KIT_PERIOD)
    database = tmp_path / "round_trip.duckdb"
    build_warehouse(database, landing)
    assert query(database, "select count(*) from marts.submission_rejects") == [(0,)]
    assert query(
        database, f"select count(*), sum(rows_rejected) from marts.submission_files where period_end = '{KIT_PERIOD}'"
    ) == [(25, 0)]
    dimensions = (
        "usage_type, start_timing, start_status, user_scope, stage, confidentiality, output_type, outcome_goal, "
        "model_family, measure"
    )
    join = " and ".join(f"now.{d.strip()} is not distinct from before.{d.strip()}" for d in dimensions.split(","))
    compared = query(
        database,
        f"""
        select now.table_id, count(*), count(*) filter (where now.value is distinct from before.value),
            sum(now.value)
        from (select * from marts.report_cells where period_end = '{KIT_PERIOD}') as now
        full outer join (select * from marts.report_cells where period_end = '{SOURCE_PERIOD}') as before
            on now.table_id = before.table_id and {join}
        group by all order by 1
        """,
    )
    by_table = {table: (cells, differing, total) for table, cells, differing, total in compared}
    assert sorted(by_table) == [f"T0{i}" for i in range(1, 10)]
    for table, (cells, differing, total) in by_table.items():
        if table == "T08":
            assert total == 0, "nothing is discontinued in an unchanged kit"
        else:
            assert cells > 0 and differing == 0, (table, differing)
    flows = query(
        database, f"select flow, count(*) from intermediate.int_case_flow where period_end = '{KIT_PERIOD}' group by 1"
    )
    active = query(
        database, f"select count(*) from intermediate.int_cases where period_end = '{SOURCE_PERIOD}' and is_active"
    )[0][0]
    assert flows == [("CONTINUING", active)]


# --------------------------------------------------------------------------------------------
# Another program edits the file; the rendered form
# --------------------------------------------------------------------------------------------


def needs(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"needs {', '.join(missing)} (Debian libreoffice-calc-nogui, poppler-utils; `make test` installs them "
            "when it runs as root)"
        )


def render_script():
    """scripts/render_workbook_sheet.py (LibreOffice conversion and rendering), loaded as a module."""
    spec = importlib.util.spec_from_file_location("render_sheet", PROJECT_DIR / "scripts" / "render_workbook_sheet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dropdown_choice_in_a_file_saved_by_libreoffice_is_read_and_normalised(kit, tmp_path):
    needs("libreoffice")
    original = kit / "MOJ.xlsx"
    lists = dropdowns(original)
    chosen = {"取扱情報の機密性": lists["取扱情報の機密性"][-1], "利用開始時期": lists["利用開始時期"][-1]}
    chosen["利用廃止"] = lists["利用廃止"][0]
    workbook = load_workbook(original)
    sheet = workbook.worksheets[0]
    header_row = next(r for r in range(1, 11) if sheet.cell(row=r, column=1).value == contract()[0][1])
    columns = {sheet.cell(row=header_row, column=c).value: c for c in range(1, sheet.max_column + 1)}
    case_id = sheet.cell(row=header_row + 1, column=columns["案件番号"]).value
    for header, label in chosen.items():
        sheet.cell(row=header_row + 1, column=columns[header]).value = label
    edited = tmp_path / "edited" / "MOJ.xlsx"
    edited.parent.mkdir()
    workbook.save(edited)

    resaved = render_script().convert(edited, "xlsx:Calc MS Excel 2007 XML", tmp_path / "resaved")
    assert resaved.read_bytes() != edited.read_bytes()
    assert dropdowns(resaved) == lists, "the dropdowns survive the other program"
    first = form_records(resaved)[0]
    assert (first["confidentiality"], first["start_timing"], first["discontinued"]) == tuple(chosen.values())

    landing = tmp_path / "landing" / KIT_PERIOD
    landing.mkdir(parents=True)
    shutil.copy(resaved, landing / "MOJ.xlsx")
    database = tmp_path / "resaved.duckdb"
    build_warehouse(
        database,
        landing.parent,
        dbt_vars=validate.DBT_VARS,
        extra_args=["--select", "+int_cases +submission_rejects", "--indirect-selection", "cautious", "--quiet"],
    )
    assert query(database, "select count(*) from marts.submission_rejects") == [(0,)]
    code_of = {cl: {label: code for code, label in pairs} for cl, pairs in expected_labels(KIT_PERIOD).items()}
    assert query(
        database,
        "select confidentiality, start_timing, is_discontinued from intermediate.int_cases "
        f"where case_id = '{case_id}'",
    ) == [
        (code_of["confidentiality"][chosen["取扱情報の機密性"]], code_of["start_timing"][chosen["利用開始時期"]], True)
    ]
    assert query(database, "select count(*) from intermediate.int_cases") == [(len(form_records(original)),)]


def test_rendered_form_shows_japanese_dropdown_columns_and_prefilled_rows(kit, tmp_path):
    needs("libreoffice", "pdftoppm", "pdftotext")
    script = render_script()
    pdf = script.convert(kit / "MOJ.xlsx", "pdf", tmp_path)
    page = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    first = form_records(kit / "MOJ.xlsx")[0]
    for text in ("府省庁名", "利用開始時期", "▼選択", "必須", first["case_name"], first["user_scope"]):
        assert text in page, text
    png = script.render(kit / "MOJ.xlsx", FORM_SHEET, ARTIFACTS / "kit_MOJ_form.png", dpi=160)
    assert png.stat().st_size > 20_000
