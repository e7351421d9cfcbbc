"""Markdown tables of the latest benchmark rows (``scripts/benchmark.py tables``), for docs/benchmarks.md."""

from __future__ import annotations

from collections.abc import Callable


def _f(value, digits: int = 1) -> str:
    if value in (None, ""):
        return "—"
    try:
        number = float(value)
    except ValueError:
        return str(value)
    if digits == 0 or abs(number) >= 1000:
        return f"{number:,.0f}"
    return f"{number:.{digits}f}"


def _latest(rows: list[dict], key) -> list[dict]:
    latest: dict = {}
    for row in rows:
        latest[key(row)] = row
    return list(latest.values())


DBT_STEP = "step: dbt build (seeds, models, tests)"
GATE_STEP = "step: Great Expectations gate"
DOCS_STEP = "step: dbt docs generate + documentation check"
EXPORTS_STEP = "step: report exports (build/report)"


def _by_size(results: list[dict]) -> list[dict]:
    """The latest row per (format, size), smallest size first, Parquet before the forms."""
    rows = _latest(results, lambda r: (r["format"], int(r["n_rows"])))
    return sorted(rows, key=lambda r: (int(r["n_rows"]), r["format"] != "parquet"))


#: a column of a markdown table: header, alignment row ("---:" right, "---" left), cell of a row.
Column = tuple[str, str, Callable[[dict], str]]


def _number(key: str, digits: int = 1) -> Callable[[dict], str]:
    return lambda r: _f(r.get(key), digits)


def _text(key: str) -> Callable[[dict], str]:
    return lambda r: str(r.get(key, ""))


def _table(columns: list[Column], rows: list[dict]) -> str:
    lines = ["| " + " | ".join(header for header, _, _ in columns) + " |"]
    lines.append("|" + "|".join(align for _, align, _ in columns) + "|")
    lines += ["| " + " | ".join(cell(r) for _, _, cell in columns) + " |" for r in rows]
    return "\n".join(lines)


def _status(r: dict) -> str:
    return r["status"] if len(r["status"]) < 40 else r["status"][:37] + "…"


def _format(r: dict) -> str:
    return r["format"] + ("" if r["format"] != "forms" or r.get("xlsx_files") in ("True", True) else " (no XLSX)")


def _rows(key: str) -> Callable[[dict], str]:
    return lambda r: f"{int(r[key]):,}"


SIZE_COLUMNS: list[Column] = [
    ("N case rows", "---:", _rows("n_rows")),
    ("format", "---", _format),
    ("files", "---:", _text("files")),
    ("status", "---", _status),
    ("make build wall s", "---:", _number("make_build_wall_s")),
    ("cpu s", "---:", _number("make_build_cpu_s")),
    ("peak RSS MB (tree)", "---:", _number("make_build_peak_rss_mb", 0)),
    ("dbt build s", "---:", _number(DBT_STEP)),
    ("GX gate s", "---:", _number(GATE_STEP)),
    ("docs s", "---:", _number(DOCS_STEP)),
    ("exports s", "---:", _number(EXPORTS_STEP)),
    ("load avg start / end", "---", lambda r: f"{r.get('load_avg_start', '')} / {r.get('load_avg_end', '')}"),
]
CUBE_COLUMNS: list[Column] = [
    ("N", "---:", _rows("n_rows")),
    ("format", "---", _text("format")),
    ("report_cells SQL s", "---:", _number("cube_engine_s", 2)),
    ("floor all 9 s", "---:", _number("floor_all_s", 2)),
    ("pandas all 9 s", "---:", _number("pandas_all_s", 2)),
    ("Polars all 9 s", "---:", _number("polars_all_s", 2)),
    ("cube ÷ floor", "---:", _number("cube_vs_floor", 2)),
    ("pandas ÷ cube", "---:", _number("pandas_vs_cube", 2)),
    ("Polars ÷ cube", "---:", _number("polars_vs_cube", 2)),
    ("floor = report_cells", "---", _text("floor_matches_report_cells")),
]
INCREMENTAL_COLUMNS: list[Column] = [
    ("periods loaded", "---:", _text("periods_loaded")),
    ("rows before", "---:", _rows("rows_before")),
    ("make build of those periods s", "---:", _number("initial_make_build_wall_s")),
    ("add one period: make build wall s", "---:", _number("add_one_wall_s")),
    ("cpu s", "---:", _number("add_one_cpu_s")),
    ("peak MB", "---:", _number("add_one_peak_rss_mb", 0)),
    ("dbt build s", "---:", _number(DBT_STEP)),
    ("status", "---", _text("status")),
]


def sizes_table(results: list[dict]) -> str:
    return _table(SIZE_COLUMNS, _by_size(results))


def cube_table(results: list[dict]) -> str:
    return _table(CUBE_COLUMNS, _by_size([r for r in results if r.get("floor_all_s")]))


def incremental_table(rows: list[dict]) -> str:
    periods = lambda r: int(r["periods_loaded"])  # noqa: E731
    return _table(INCREMENTAL_COLUMNS, sorted(_latest(rows, periods), key=periods))


def make_build_table(rows: list[dict]) -> str:
    if not rows:
        return "(no make build measurement)"
    last_run = [r for r in rows if r["run_at"] == rows[-1]["run_at"]]
    steps = sorted({k for r in last_run for k in r if k.startswith("step: ")})
    columns: list[Column] = [
        ("phase", "---", _text("phase")),
        ("status", "---", _text("status")),
        ("wall s", "---:", _number("wall_s")),
        ("cpu s", "---:", _number("cpu_s")),
        ("peak MB", "---:", _number("peak_rss_mb", 0)),
        *((step[6:], "---:", _number(step)) for step in steps),
    ]
    return _table(columns, last_run)


def markdown(results: list[dict], incremental: list[dict], make_build: list[dict]) -> str:
    return "\n\n".join(
        [
            "### Sizes\n\n" + sizes_table(results),
            "### Cube step against the floor and pandas\n\n" + cube_table(results),
            "### Adding one period\n\n" + incremental_table(incremental),
            "### make build\n\n" + make_build_table(make_build),
        ]
    )
