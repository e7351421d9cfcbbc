"""Markdown tables of the latest benchmark rows (``scripts/benchmark.py tables``), for docs/benchmarks.md."""

from __future__ import annotations


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


def sizes_table(results: list[dict]) -> str:
    rows = _latest(results, lambda r: (r["format"], int(r["n_rows"])))
    rows.sort(key=lambda r: (int(r["n_rows"]), r["format"] != "parquet"))
    lines = [
        "| N case rows | format | files | status | make build wall s | cpu s | peak RSS MB (tree) "
        "| dbt build s | GX gate s | docs s | exports s | load avg start / end |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        status = r["status"] if len(r["status"]) < 40 else r["status"][:37] + "…"
        fmt = r["format"] + ("" if r["format"] != "forms" or r.get("xlsx_files") in ("True", True) else " (no XLSX)")
        lines.append(
            f"| {int(r['n_rows']):,} | {fmt} | {r.get('files', '')} | {status} | {_f(r.get('make_build_wall_s'))} "
            f"| {_f(r.get('make_build_cpu_s'))} | {_f(r.get('make_build_peak_rss_mb'), 0)} | {_f(r.get(DBT_STEP))} "
            f"| {_f(r.get(GATE_STEP))} | {_f(r.get(DOCS_STEP))} | {_f(r.get(EXPORTS_STEP))} "
            f"| {r.get('load_avg_start', '')} / {r.get('load_avg_end', '')} |"
        )
    return "\n".join(lines)


def cube_table(results: list[dict]) -> str:
    rows = _latest([r for r in results if r.get("floor_all_s")], lambda r: (r["format"], int(r["n_rows"])))
    rows.sort(key=lambda r: (int(r["n_rows"]), r["format"] != "parquet"))
    lines = [
        "| N | format | report_cells SQL s | floor all 9 s | pandas all 9 s | Polars all 9 s | cube ÷ floor "
        "| pandas ÷ cube | Polars ÷ cube | floor = report_cells |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['n_rows']):,} | {r['format']} | {_f(r.get('cube_engine_s'), 2)} | {_f(r.get('floor_all_s'), 2)} "
            f"| {_f(r.get('pandas_all_s'), 2)} | {_f(r.get('polars_all_s'), 2)} | {_f(r.get('cube_vs_floor'), 2)} "
            f"| {_f(r.get('pandas_vs_cube'), 2)} | {_f(r.get('polars_vs_cube'), 2)} "
            f"| {r.get('floor_matches_report_cells', '')} |"
        )
    return "\n".join(lines)


def incremental_table(rows: list[dict]) -> str:
    rows = _latest(rows, lambda r: int(r["periods_loaded"]))
    rows.sort(key=lambda r: int(r["periods_loaded"]))
    lines = [
        "| periods loaded | rows before | make build of those periods s | add one period: make build wall s "
        "| cpu s | peak MB | dbt build s | status |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['periods_loaded']} | {int(r['rows_before']):,} | {_f(r.get('initial_make_build_wall_s'))} "
            f"| {_f(r.get('add_one_wall_s'))} | {_f(r.get('add_one_cpu_s'))} | {_f(r.get('add_one_peak_rss_mb'), 0)} "
            f"| {_f(r.get(DBT_STEP))} | {r.get('status', '')} |"
        )
    return "\n".join(lines)


def make_build_table(rows: list[dict]) -> str:
    if not rows:
        return "(no make build measurement)"
    last_run = rows[-1]["run_at"]
    rows = [r for r in rows if r["run_at"] == last_run]
    steps = sorted({k for r in rows for k in r if k.startswith("step: ")})
    lines = ["| phase | status | wall s | cpu s | peak MB | " + " | ".join(s[6:] for s in steps) + " |"]
    lines.append("|---|---|---:|---:|---:|" + "---:|" * len(steps))
    for r in rows:
        lines.append(
            f"| {r['phase']} | {r['status']} | {_f(r.get('wall_s'))} | {_f(r.get('cpu_s'))} "
            f"| {_f(r.get('peak_rss_mb'), 0)} | " + " | ".join(_f(r.get(s)) for s in steps) + " |"
        )
    return "\n".join(lines)


def markdown(results: list[dict], incremental: list[dict], make_build: list[dict]) -> str:
    return "\n\n".join(
        [
            "### Sizes\n\n" + sizes_table(results),
            "### Cube step against the floor and pandas\n\n" + cube_table(results),
            "### Adding one period\n\n" + incremental_table(incremental),
            "### make build\n\n" + make_build_table(make_build),
        ]
    )
