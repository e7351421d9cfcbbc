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


def sizes_table(results: list[dict]) -> str:
    rows = _latest(results, lambda r: (r["variant"], r["format"], int(r["n_rows"])))
    rows.sort(key=lambda r: (int(r["n_rows"]), r["format"] != "parquet", r["variant"] != "tree"))
    lines = [
        "| N case rows | variant | format | status | dbt build wall s | cpu s | peak RSS MB "
        "| landed s | int_cases s | tests s | load avg |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        status = r["status"] if len(r["status"]) < 40 else r["status"][:37] + "…"
        lines.append(
            f"| {int(r['n_rows']):,} | {r['variant']} | {r['format']} | {status} | {_f(r.get('build_wall_s'))} "
            f"| {_f(r.get('build_cpu_s'))} | {_f(r.get('build_peak_rss_mb'), 0)} | {_f(r.get('build_landed_s'))} "
            f"| {_f(r.get('build_int_cases_s'))} | {_f(r.get('build_tests_s'))} | {r.get('load_avg_start', '')} |"
        )
    return "\n".join(lines)


def cube_table(results: list[dict]) -> str:
    rows = _latest(
        [r for r in results if r["format"] == "parquet" and r.get("floor_all_s")],
        lambda r: (r["variant"], int(r["n_rows"])),
    )
    rows.sort(key=lambda r: (int(r["n_rows"]), r["variant"] != "tree"))
    lines = [
        "| N | variant | report_cells SQL s | dbt run report_cells: wall s / node s | floor T03 s | floor all 9 s "
        "| pandas T03 s | pandas all 9 s | cube ÷ floor | pandas ÷ cube | pandas peak MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['n_rows']):,} | {r['variant']} | {_f(r.get('cube_engine_s'), 2)} "
            f"| {_f(r.get('cube_run_wall_s'))} / {_f(r.get('cube_run_node_s'), 2)} | {_f(r.get('floor_t03_s'), 2)} "
            f"| {_f(r.get('floor_all_s'), 2)} | {_f(r.get('pandas_t03_s'), 2)} | {_f(r.get('pandas_all_s'), 2)} "
            f"| {_f(r.get('cube_vs_floor'), 2)} | {_f(r.get('pandas_vs_cube'), 2)} "
            f"| {_f(r.get('pandas_peak_rss_mb'), 0)} |"
        )
    return "\n".join(lines)


def incremental_table(rows: list[dict]) -> str:
    rows = _latest(rows, lambda r: (r["variant"], int(r["periods_loaded"])))
    rows.sort(key=lambda r: (r["variant"], int(r["periods_loaded"])))
    lines = [
        "| variant | periods loaded | rows before | build of those periods s | add one period: wall s | cpu s "
        "| peak MB | status |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['variant']} | {r['periods_loaded']} | {int(r['rows_before']):,} "
            f"| {_f(r.get('initial_build_wall_s'))} "
            f"| {_f(r.get('add_one_wall_s'))} | {_f(r.get('add_one_cpu_s'))} | {_f(r.get('add_one_peak_rss_mb'), 0)} "
            f"| {r['status']} |"
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
