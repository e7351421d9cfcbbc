"""The report as people read it: workbook, HTML report and open data from the shipped sample.

The workbook is read back cell by cell and every figure is checked against report_cells, reading
the sheet the way a person would (header texts and row labels mapped back to codes through
rpt_code_labels), so a layout that puts a right figure under a wrong header fails.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import matplotlib
import pytest
from matplotlib.figure import Figure
from openpyxl import Workbook, load_workbook

from genai_report.exports import ExportError, charts, write_all
from genai_report.exports.__main__ import main as exports_main
from genai_report.exports.charts import _svg, cjk_font_path
from genai_report.exports.open_data import write_open_data
from genai_report.exports.workbook import ERRATA_SHEET, REVISIONS_SHEET, write_text, write_workbook
from tests.python.conftest import PROJECT_DIR, SHIPPED_LANDING, query

ARTIFACTS = PROJECT_DIR / "build" / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

#: Each table's row and column dimensions, as docs/spec/report-tables.md defines them (the test's own oracle).
TABLE_DIMENSIONS = {
    "T01": (["start_timing"], ["usage_type"]),
    "T02": (["user_scope"], ["usage_type", "start_status"]),
    "T03": (["user_scope", "stage"], ["usage_type", "start_status"]),
    "T04": (["confidentiality"], ["usage_type", "start_status"]),
    "T05": (["user_scope", "stage"], ["usage_type", "start_status"]),
    "T06": (["output_type"], []),
    "T07": (["outcome_goal"], ["usage_type"]),
    "T08": (["user_scope", "stage"], ["usage_type", "start_status"]),
    "T09": (["model_family"], ["usage_type"]),
}
TOTALS = ("総計", "集計")
PRIORS = ("前回報告件数", "前報告件数")
INJECTIONS = ("=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=cmd", '=HYPERLINK("http://example.invalid","x")')


@pytest.fixture(scope="module")
def exported(shipped_warehouse, tmp_path_factory) -> dict[str, Path]:
    out_dir = tmp_path_factory.mktemp("exports")
    written = write_all(shipped_warehouse, out_dir, landing_dir=SHIPPED_LANDING)
    return {path.name: path for path in written}


# --------------------------------------------------------------------------------------------
# Workbook round trip
# --------------------------------------------------------------------------------------------


def _sheet_cells(workbook, table_id: str) -> tuple[dict[tuple[int, int], object], int, int, int, int]:
    """The table's range (from its defined name) with every merged cell's value filled in."""
    sheet_name, reference = next(iter(workbook.defined_names[f"{table_id}_table"].destinations))
    sheet = workbook[sheet_name]
    (top_left, bottom_right) = reference.replace("$", "").split(":")
    top, left = sheet[top_left].row, sheet[top_left].column
    bottom, right = sheet[bottom_right].row, sheet[bottom_right].column
    values = {
        (row, col): sheet.cell(row=row, column=col).value
        for row in range(top, bottom + 1)
        for col in range(left, right + 1)
    }
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(row=merged.min_row, column=merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values[(row, col)] = value
    return values, top, left, bottom, right


def _dedupe(texts: list[object]) -> list[str]:
    out: list[str] = []
    for text in texts:
        if isinstance(text, str) and text and (not out or out[-1] != text):
            out.append(text)
    return out


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_table_sheet(workbook, database: Path, table_id: str, period_end: str) -> int:
    row_dims, col_dims = TABLE_DIMENSIONS[table_id]
    labels: dict[str, dict[str, str]] = {}
    for code_list, code, label, printed in query(
        database,
        f"select code_list, code, label_ja, printed_label_ja from marts.rpt_code_labels "
        f"where period_end = '{period_end}'",
    ):
        labels.setdefault(code_list, {})[label] = code
        labels[code_list][printed] = code
    dims = row_dims + col_dims
    cells = {}
    for row in query(
        database,
        f"select {', '.join(dims)}, measure, value, prior_value from marts.report_cells "
        f"where table_id = '{table_id}' and period_end = '{period_end}'",
    ):
        cells[(tuple(row[: len(dims)]), row[len(dims)])] = row[len(dims) + 1 :]
    active = dict(
        query(
            database,
            "select usage_type, value from marts.report_cells where table_id = 'T01' and measure = 'case_count' "
            f"and start_timing = '_T' and period_end = '{period_end}'",
        )
    )

    values, top, left, bottom, right = _sheet_cells(workbook, table_id)
    data_rows = [r for r in range(top, bottom + 1) if any(_is_number(values[(r, c)]) for c in range(left, right + 1))]
    data_cols = [c for c in range(left, right + 1) if any(_is_number(values[(r, c)]) for r in data_rows)]
    first_data_row, first_data_col = min(data_rows), min(data_cols)

    def codes_of(texts: list[str], dimensions: list[str]) -> tuple[tuple[str, ...], str]:
        """Header or row-label texts → (codes, 'value' | 'prior'); totals are '_T'."""
        if any(text in TOTALS for text in texts):
            return ("_T",) * len(dimensions), "value"
        if any(text in PRIORS for text in texts):
            return ("_T",) * len(dimensions), "prior"
        return tuple(next(labels[dim][text] for text in texts if text in labels[dim]) for dim in dimensions), "value"

    checked, seen = 0, set()
    for row in data_rows:
        row_codes, row_kind = codes_of(_dedupe([values[(row, c)] for c in range(left, first_data_col)]), row_dims)
        for col in range(first_data_col, right + 1):
            header = _dedupe([values[(r, col)] for r in range(top, first_data_row)])
            share = header[-1] == "割合"
            col_codes, col_kind = codes_of(header, col_dims)
            key, value = row_codes + col_codes, values[(row, col)]
            is_prior = "prior" in (row_kind, col_kind)
            where = f"{table_id} {period_end} row {row} col {col} {header}: {value!r}"
            if value == "-":
                # The publication's "-": where the 総計 row meets the 前回報告件数 column and back;
                # and every previous figure when the previous period is not in the warehouse.
                crossing = row_kind != col_kind and set(key) == {"_T"}
                assert is_prior and (crossing or cells[(key, "case_count")][1] is None), where
                continue
            expected = cells[(key, "case_count")][1 if is_prior else 0]
            if not is_prior:
                seen.add(key)
            if share:
                assert value == pytest.approx(expected / active[col_codes[0]]), where
            elif isinstance(value, str):
                match = re.fullmatch(r"(\d+)\((\d+)\)", value)
                assert match, where
                ministries = cells[(key, "ministry_count")][1 if is_prior else 0]
                assert (int(match[1]), int(match[2])) == (expected, ministries), where
            else:
                assert _is_number(value) and value == expected, f"{where} != {expected!r}"
            checked += 1

    printed_shape = {
        key
        for (key, measure), (value, _) in cells.items()
        if measure == "case_count"
        and len({code == "_T" for code in key[: len(row_dims)]}) == 1
        and len({code == "_T" for code in key[len(row_dims) :]}) <= 1
    }
    missing = printed_shape - seen
    # T08 leaves out the user scopes with no discontinued case, as the publication does.
    assert all(cells[(key, "case_count")][0] == 0 for key in missing) and (not missing or table_id == "T08"), missing
    return checked


@pytest.mark.parametrize("period_end", ["2025-12-31", "2025-09-30"])
def test_workbook_figures_round_trip_to_report_cells(shipped_warehouse, tmp_path, period_end):
    path = write_workbook(
        shipped_warehouse, tmp_path / "report.xlsx", period_end=period_end, landing_dir=SHIPPED_LANDING
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["表紙", *TABLE_DIMENSIONS, ERRATA_SHEET, REVISIONS_SHEET]
    for table_id in TABLE_DIMENSIONS:
        assert _check_table_sheet(workbook, shipped_warehouse, table_id, period_end) > 0, table_id


def test_workbook_t02_as_published(exported):
    workbook = load_workbook(exported["genai_report_2025-12-31.xlsx"])
    values, top, left, bottom, right = _sheet_cells(workbook, "T02")
    rows = {values[(row, left + 1)]: row for row in range(top, bottom + 1)}
    rows.update({values[(row, left)]: row for row in range(top, bottom + 1)})
    header = {values[(top, col)]: col for col in range(left, right + 1)}
    total, prior = header["総計"], header["前回報告件数"]
    assert values[(rows["総計"], total)] == 306
    assert values[(rows["前回報告件数"], prior)] == 295
    assert values[(rows["総計"], prior)] == "-"
    assert values[(rows["3. 単一府省庁のみ-全体"], total)] == "37(18)"
    assert values[(rows["3. 単一府省庁のみ-全体"], prior)] == "27(17)"
    sheet = workbook["T02"]
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "○前回報告と比較して、特化型1の案件が増加" in texts
    assert any(text.startswith("※ 政府職員を利用者とするもののみを対象、利用開始時期の記入がない1件") for text in texts)
    assert any("(数値)" in text for text in texts)


def test_workbook_cover_and_errata(exported, shipped_warehouse):
    workbook = load_workbook(exported["genai_report_2025-12-31.xlsx"])
    cover = [cell.value for row in workbook["表紙"].iter_rows() for cell in row if cell.value is not None]
    assert "令和7年度第3回 各府省庁生成AIシステム定期報告概要" in cover
    assert any(isinstance(v, str) and v.startswith("令和7年12月末時点") for v in cover)
    assert "・全府省庁において、生成AIシステムを利用開始済み（前回報告（令和7年9月末時点）から変更なし）" in cover
    landing = sorted(path for path in SHIPPED_LANDING.rglob("*") if path.is_file())
    hashes = [v for v in cover if isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v)]
    assert len(hashes) == len(landing)
    import hashlib

    assert hashlib.sha256(landing[0].read_bytes()).hexdigest() in hashes
    errata = workbook[ERRATA_SHEET]
    rows = [row for row in errata.iter_rows(min_row=5, values_only=True) if row[0]]
    assert len(rows) == query(shipped_warehouse, "select count(*) from published.published_errata")[0][0]
    assert {(row[0], row[4], row[5]) for row in rows} >= {("T05", 1, 2), ("T05", 2, 3)}


# --------------------------------------------------------------------------------------------
# Formula injection
# --------------------------------------------------------------------------------------------


def _formula_elements(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(
            archive.read(name).count(b"<f>") + archive.read(name).count(b"<f ")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


def test_write_text_never_stores_a_formula(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row, payload in enumerate(INJECTIONS, start=1):
        write_text(sheet.cell(row=row, column=1), payload)
    write_text(sheet.cell(row=len(INJECTIONS) + 1, column=1), "普通の文")
    path = tmp_path / "injection.xlsx"
    workbook.save(path)
    assert _formula_elements(path) == 0
    reread = load_workbook(path).active
    for row, payload in enumerate(INJECTIONS, start=1):
        cell = reread.cell(row=row, column=1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (payload, "s", True)
    assert reread.cell(row=len(INJECTIONS) + 1, column=1).quotePrefix is False


def test_exports_neutralise_injected_text(shipped_warehouse, tmp_path):
    poisoned = tmp_path / "poisoned.duckdb"
    shutil.copy(shipped_warehouse, poisoned)
    with duckdb.connect(str(poisoned)) as connection:
        connection.execute("update marts.rpt_footnotes set text_ja = ? where table_id = 'T02'", [INJECTIONS[5]])
        connection.execute("update marts.rpt_headline set sentence_ja = ? where figure = 'risk_incidents'", ["@x"])
        connection.execute("update published.published_errata set reason = ?", [INJECTIONS[0]])
    path = write_workbook(poisoned, tmp_path / "poisoned.xlsx", landing_dir=SHIPPED_LANDING)
    assert _formula_elements(path) == 0
    workbook = load_workbook(path)
    found = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in (INJECTIONS[5], INJECTIONS[0])
    ]
    assert {cell.value for cell in found} == {INJECTIONS[5], INJECTIONS[0]}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    written = write_open_data(poisoned, tmp_path / "open_data")
    errata = next(path for path in written if path.name == "errata.csv")
    with open(errata, encoding="utf-8-sig", newline="") as handle:
        reasons = {row["reason"] for row in csv.DictReader(handle)}
    assert reasons == {"'" + INJECTIONS[0]}


# --------------------------------------------------------------------------------------------
# Open data
# --------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 BOM"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_open_data_cases_are_public_and_complete(exported, shipped_warehouse):
    rows = _read_csv(exported["cases.csv"])
    restricted = {
        name
        for (name,) in query(
            shipped_warehouse, "select column_name from reference.submission_columns where is_restricted"
        )
    }
    assert restricted == {"case_name", "outcome_goal_text", "model_name", "high_risk"}
    assert not restricted & set(rows[0])
    assert len(rows) == query(shipped_warehouse, "select count(*) from intermediate.int_cases")[0][0]
    assert {"period_end", "ministry_code", "ministry_name_ja", "case_id", "model_family", "is_active"} <= set(rows[0])
    text = exported["cases.csv"].read_text(encoding="utf-8-sig")
    for (free_text,) in query(
        shipped_warehouse,
        "select distinct case_name from intermediate.int_cases where length(case_name) > 6 "
        "union select distinct outcome_goal_text from intermediate.int_cases where length(outcome_goal_text) > 6",
    ):
        assert free_text not in text


def test_open_data_per_period_files_and_parquet(exported, shipped_warehouse):
    """Per-period CSV + Parquet (DuckDB COPY); the whole-history CSV is their rows, one header."""
    open_data = exported["cases.csv"].parent
    periods = [str(p) for (p,) in query(shipped_warehouse, "select distinct period_end from marts.report_cells")]
    parts = 0
    for period in periods:
        folder = open_data / "periods" / period
        for name, relation in (("cases", "intermediate.int_cases"), ("report_cells", "marts.report_cells")):
            rows = _read_csv(folder / f"{name}.csv")
            (count,) = query(shipped_warehouse, f"select count(*) from {relation} where period_end = '{period}'")[0]
            assert len(rows) == count and {row["period_end"] for row in rows} == {period}, (period, name)
            parquet = str(folder / f"{name}.parquet")
            assert duckdb.sql(f"select count(*) from read_parquet('{parquet}')").fetchone()[0] == count
            if name == "cases":
                parts += count
    assert len(_read_csv(exported["cases.csv"])) == parts
    text = exported["cases.csv"].read_bytes()
    assert text.count(b"\xef\xbb\xbf") == 1 and text.count(b"period_end,") == 1


def test_write_all_writes_only_the_given_periods(shipped_warehouse, tmp_path):
    everything = write_all(shipped_warehouse, tmp_path, landing_dir=SHIPPED_LANDING)
    before = {path: path.stat().st_mtime_ns for path in everything}
    whole = (tmp_path / "open_data" / "cases.csv").read_bytes()
    written = write_all(shipped_warehouse, tmp_path, ["2025-12-31"], landing_dir=SHIPPED_LANDING)
    names = {path.relative_to(tmp_path).as_posix() for path in written}
    assert "genai_report_2025-12-31.xlsx" in names and "genai_report_2025-12-31.html" in names
    assert not {name for name in names if "2025-09-30" in name}
    for path, mtime in before.items():
        if "2025-09-30" in path.as_posix():
            assert path.stat().st_mtime_ns == mtime, path  # untouched
    assert (tmp_path / "open_data" / "cases.csv").read_bytes() == whole
    # An earlier period changed: the later period's reports (prior figures, trend charts) and open
    # data (prior_value) show its figures, so they are written again too.
    names = {path.relative_to(tmp_path).as_posix() for path in write_all(shipped_warehouse, tmp_path, ["2025-09-30"])}
    assert {"genai_report_2025-09-30.html", "genai_report_2025-12-31.html"} <= names
    assert "open_data/periods/2025-12-31/report_cells.csv" in names
    # A period folder left incomplete (a run stopped half way) is written again, asked for or not.
    (tmp_path / "open_data" / "periods" / "2025-09-30" / "cases.parquet").unlink()
    written = write_all(shipped_warehouse, tmp_path, ["2025-12-31"], landing_dir=SHIPPED_LANDING)
    assert (tmp_path / "open_data" / "periods" / "2025-09-30" / "cases.parquet") in written
    assert (tmp_path / "open_data" / "cases.csv").read_bytes() == whole


def test_make_builds_exports_keep_the_latest_report_and_every_periods_open_data(shipped_warehouse, tmp_path):
    # make build asks for history_reports=False: one workbook and one HTML report (the latest
    # period's), older periods' reports removed, open data for every period.
    write_all(shipped_warehouse, tmp_path, landing_dir=SHIPPED_LANDING)
    assert (tmp_path / "genai_report_2025-09-30.html").is_file()
    written = write_all(shipped_warehouse, tmp_path, landing_dir=SHIPPED_LANDING, history_reports=False)
    reports = sorted(path.name for path in tmp_path.glob("genai_report_*"))
    assert reports == ["genai_report_2025-12-31.html", "genai_report_2025-12-31.xlsx"]
    names = {path.relative_to(tmp_path).as_posix() for path in written}
    assert {"open_data/periods/2025-09-30/cases.csv", "open_data/periods/2025-12-31/cases.csv"} <= names


def test_open_data_dictionary_normalisation_and_errata(exported, shipped_warehouse):
    dictionary = _read_csv(exported["data_dictionary.csv"])
    described = {(row["file"], row["column"]) for row in dictionary}
    for name in ("cases.csv", "report_cells.csv", "normalisation_report.csv", "errata.csv"):
        with open(exported[name], encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        assert {(name, column) for column in header} <= described, name
    assert all(row["description"] for row in dictionary)

    report = _read_csv(exported["normalisation_report.csv"])
    assert "high_risk" not in {row["column_name"] for row in report}
    # Every coded answer of a case is counted under its spelling: per column, the rows that became
    # a code add up to the cases holding a code there (the shipped sample rejects no row). The
    # report is read from marts.submission_normalisation; this counts int_cases independently.
    coded = {}
    counted = {}
    for row in report:
        counted[row["column_name"]] = counted.get(row["column_name"], 0) + int(row["row_count"])
        if row["code"]:
            coded[row["column_name"]] = coded.get(row["column_name"], 0) + int(row["row_count"])
    columns = ["usage_type", "start_timing", "user_scope", "stage", "confidentiality", "outcome_goal", "output_type"]
    counts = query(shipped_warehouse, f"select {', '.join(f'count({c})' for c in columns)} from intermediate.int_cases")
    assert {column: coded.get(column, 0) for column in columns} == dict(zip(columns, counts[0], strict=True))
    # Blanks are listed too: every landed row has one value in each public coded column.
    landed_rows = query(shipped_warehouse, "select count(*) from staging.stg_submissions__rows")[0][0]
    public_coded = query(
        shipped_warehouse,
        "select column_name from reference.submission_columns where code_list is not null and not is_restricted",
    )
    assert counted == {column: landed_rows for (column,) in public_coded}
    assert any(row["raw_value"] != row["code"] and row["code"] for row in report)

    errata = _read_csv(exported["errata.csv"])
    assert len(errata) == query(shipped_warehouse, "select count(*) from published.published_errata")[0][0]


# --------------------------------------------------------------------------------------------
# HTML report and charts
# --------------------------------------------------------------------------------------------


def test_html_report_is_self_contained(exported):
    html = exported["genai_report_2025-12-31.html"].read_text(encoding="utf-8")
    assert "<script" not in html
    assert not re.findall(r"""(?:src|href)\s*=\s*["'](?!#|data:)""", html)
    assert not re.findall(r"url\(\s*['\"]?(?!data:)", html)
    for table_id in TABLE_DIMENSIONS:
        assert f'id="table-{table_id}"' in html
    assert "37(18)" in html and "差異一覧" in html
    assert html.count("data:image/svg+xml;base64,") == 4


def test_charts_refuse_to_draw_without_a_japanese_font(monkeypatch):
    latin_only = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    monkeypatch.setenv("GENAI_CJK_FONT", latin_only)
    with pytest.raises(ExportError, match=r"GENAI_CJK_FONT=.*DejaVuSans\.ttf is not a font file with Japanese glyphs"):
        cjk_font_path()
    monkeypatch.delenv("GENAI_CJK_FONT")
    for missing in (None, Path("/nonexistent/ipaexg.ttf"), Path(latin_only)):
        monkeypatch.setattr(charts, "bundled_font_path", lambda missing=missing: missing)
        with pytest.raises(ExportError, match="`make setup` installs matplotlib-fontja"):
            cjk_font_path()
    figure = Figure()
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        figure.text(0.5, 0.5, "利用類型")
        with pytest.raises(UserWarning, match="missing from"):
            _svg(figure)


def test_html_report_renders_in_chromium(exported, tmp_path):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian chromium, chromium-driver; `make test` as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1280,2200",
        "--lang=ja",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.get(exported["genai_report_2025-12-31.html"].resolve().as_uri())
        assert driver.title.startswith("令和7年度第3回 各府省庁生成AIシステム定期報告概要")
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt])"
        )
        assert len(images) == 4 and all(complete and width > 0 for complete, width, _ in images), images
        assert driver.execute_script("return document.querySelectorAll('table.report').length") == 9
        cell = driver.execute_script(
            "return Array.from(document.querySelectorAll('#table-T02 td')).map(td => td.textContent)"
        )
        assert "37(18)" in cell
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "html_report.png"))
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(height + 100, 16000))
        driver.save_screenshot(str(ARTIFACTS / "html_report_full.png"))
    finally:
        driver.quit()
    assert (ARTIFACTS / "html_report.png").stat().st_size > 10_000


def test_cli(shipped_warehouse, tmp_path, capsys):
    assert exports_main([str(tmp_path / "missing.duckdb"), str(tmp_path / "out")]) == 1
    assert "no warehouse" in capsys.readouterr().err
    assert exports_main([str(shipped_warehouse), str(tmp_path / "out"), "--period", "2024-03-31"]) == 1
    assert "not in the warehouse" in capsys.readouterr().err
