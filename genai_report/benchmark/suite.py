"""The benchmark runs behind scripts/benchmark.py: sizes, incremental history, make build.

Every run appends its rows to CSV files under ``benchmarks/`` (a failed or timed-out run is a row
too, with its status), so a long run that is interrupted keeps what it measured, and one-off runs
(10^7 rows) land in the same table as the default ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from genai_report.benchmark import measure, patches, project, synth
from genai_report.dbt import PROJECT_DIR

VARIANTS = ("tree", "fast")
NO_PUBLICATION = {"check_publication": False}


@dataclass
class Options:
    work: Path
    out: Path
    timeout: float
    keep_databases: bool = False
    memory_limit: str | None = None


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def append_rows(path: Path, rows: list[dict]) -> None:
    """Append ``rows`` to a CSV, widening its header when new columns appear."""
    existing: list[dict] = []
    columns: list[str] = []
    if path.exists():
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            existing = list(reader)
    for row in rows:
        columns += [c for c in row if c not in columns]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in [*existing, *rows]:
            writer.writerow({k: _fmt(v) for k, v in row.items()})


def read_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1e6 else f"{value:.0f}"
    return value


def _ratio(a, b):
    return a / b if a is not None and b else None


def prepare_project(
    work: Path, variant: str, min_periods: int | None = None, memory_limit: str | None = None
) -> tuple[Path, list[str]]:
    suffix = (f"_{min_periods}p" if min_periods else "") + (f"_{memory_limit}" if memory_limit else "")
    path = project.snapshot(work / f"project_{variant}{suffix}", min_periods=min_periods, memory_limit=memory_limit)
    notes = patches.apply(path) if variant == "fast" else []
    for note in notes:
        log(f"  {variant}: {note}")
    return path, notes


def landing_for(work: Path, n_rows: int, fmt: str, seeds: Path) -> tuple[Path, dict]:
    """Synthetic landing folder for ``n_rows`` (generated once per size and format, then reused)."""
    root = work / "landing" / f"{n_rows}_{fmt}"
    marker = root / ".benchmark.json"
    if marker.exists():
        return root, json.loads(marker.read_text(encoding="utf-8"))
    if root.exists():
        shutil.rmtree(root)
    periods = synth.read_periods(seeds)
    ministries = synth.read_ministries(seeds)
    n_periods = synth.default_period_count(n_rows, len(periods))
    log(f"generating {n_rows:,} rows as {fmt} ({n_periods} periods x {len(ministries)} ministries)")
    started = dt.datetime.now()
    landing = synth.write_landing(root, n_rows, periods[:n_periods], ministries, fmt)
    meta = {
        "rows": landing.rows,
        "files": landing.files,
        "periods": len(landing.periods),
        "ministries": len(ministries),
        "bytes": landing.bytes,
        "generate_s": (dt.datetime.now() - started).total_seconds(),
    }
    marker.write_text(json.dumps(meta), encoding="utf-8")
    return root, meta


def _node(times: dict[str, float], name: str) -> float | None:
    return times.get(f"model.genai_report.{name}")


def _sum(times: dict[str, float], prefix: str) -> float:
    return sum(v for k, v in times.items() if k.startswith(prefix))


def build_fields(prefix: str, m: measure.Measurement, results: dict) -> dict:
    times = project.node_times(results)
    elapsed = results.get("elapsed_time")
    return {
        f"{prefix}_wall_s": m.wall_s,
        f"{prefix}_cpu_s": m.cpu_s,
        f"{prefix}_peak_rss_mb": m.peak_rss_mb,
        f"{prefix}_max_rss_mb": m.max_rss_mb,
        f"{prefix}_dbt_elapsed_s": elapsed,
        f"{prefix}_dbt_startup_s": (m.wall_s - elapsed) if elapsed else None,
        f"{prefix}_seeds_s": _sum(times, "seed."),
        f"{prefix}_tests_s": _sum(times, "test."),
        f"{prefix}_landed_s": _node(times, "stg_submissions__landed"),
        f"{prefix}_int_cases_s": _node(times, "int_cases"),
        f"{prefix}_issues_s": _node(times, "int_submission_issues"),
        f"{prefix}_report_cells_s": _node(times, "report_cells"),
    }


def record_nodes(options: Options, row: dict, results: dict, share: float = 0.01) -> None:
    """The build's slowest nodes (each at least ``share`` of the summed node time) to node_times.csv."""
    times = project.node_times(results)
    total = sum(times.values()) or 1.0
    keys = {k: row.get(k) for k in ("run_at", "project_digest", "variant", "format", "n_rows", "periods_loaded")}
    rows = [
        {**{k: v for k, v in keys.items() if v is not None}, "node": node, "seconds": seconds, "share": seconds / total}
        for node, seconds in sorted(times.items(), key=lambda kv: -kv[1])
        if seconds >= share * total
    ]
    rows.append(
        {**{k: v for k, v in keys.items() if v is not None}, "node": f"(all {len(times)} nodes)", "seconds": total}
    )
    append_rows(options.out / "node_times.csv", rows)


def status_of(m: measure.Measurement, results: dict) -> str:
    if m.timed_out:
        running = [line for line in m.output_tail.splitlines() if " START " in line or "OK created" in line]
        where = re.sub(r"\x1b\[[0-9;]*m", "", running[-1]).strip() if running else "?"
        return f"timeout after {m.wall_s:.0f} s; last log line: {where}"
    if not m.ok:
        failed = project.failures(results)
        return "failed: " + (
            "; ".join(failed[:3]) if failed else m.output_tail.splitlines()[-1:][0] if m.output_tail else ""
        )
    return "ok"


def size_run(
    options: Options,
    variant: str,
    project_dir: Path,
    n_rows: int,
    fmt: str,
    landing: Path,
    meta: dict,
    baselines: bool,
    git: str,
) -> dict:
    name = f"{variant}_{n_rows}_{fmt}"
    database = options.work / "db" / f"{name}.duckdb"
    database.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(project.target_path(database), ignore_errors=True)
    row: dict = {
        "run_at": dt.datetime.now().isoformat(timespec="seconds"),
        "git": git,
        "project_digest": project.digest(project_dir),
        "variant": variant,
        "duckdb_memory_limit": options.memory_limit or "",
        "format": fmt,
        "n_rows": n_rows,
        "periods": meta["periods"],
        "ministries": meta["ministries"],
        "files": meta["files"],
        "landing_mb": meta["bytes"] / 2**20,
        "generate_s": meta.get("generate_s"),
        "load_avg_start": load_average(),
    }
    log(f"{name}: dbt build (timeout {options.timeout:.0f} s, load {row['load_avg_start']})")
    m, results = project.run_dbt(
        project_dir,
        database,
        landing,
        ["build"],
        dbt_vars=NO_PUBLICATION,
        log=options.work / "logs" / f"{name}_build.log",
        timeout=options.timeout,
    )
    row["status"] = status_of(m, results)
    row |= build_fields("build", m, results)
    record_nodes(options, row, results)
    log(f"{name}: {row['status']} in {m.wall_s:.1f} s (cpu {m.cpu_s:.1f} s, peak {m.memory_mb:.0f} MB)")
    if row["status"] == "ok" and baselines:
        m, results = project.run_dbt(
            project_dir,
            database,
            landing,
            ["run", "--select", "report_cells"],
            dbt_vars=NO_PUBLICATION,
            log=options.work / "logs" / f"{name}_cube.log",
            timeout=options.timeout,
        )
        row["cube_run_wall_s"] = m.wall_s
        row["cube_run_node_s"] = _node(project.node_times(results), "report_cells")
        compiled = project.target_path(database) / "compiled" / "genai_report" / "models" / "marts" / "report"
        out = options.work / "logs" / f"{name}_baselines.json"
        out.unlink(missing_ok=True)
        m = measure.run(
            [
                sys.executable,
                "-m",
                "genai_report.benchmark.baselines",
                str(database),
                str(out),
                str(compiled / "report_cells.sql"),
            ],
            log=options.work / "logs" / f"{name}_baselines.log",
            timeout=options.timeout,
        )
        row["pandas_peak_rss_mb"] = m.memory_mb
        if out.exists():
            row |= json.loads(out.read_text(encoding="utf-8"))
        else:
            row["note"] = "baselines failed: " + (m.output_tail.splitlines()[-1] if m.output_tail else "?")
        row["cube_vs_floor"] = _ratio(row.get("cube_engine_s"), row.get("floor_all_s"))
        row["cube_node_vs_floor"] = _ratio(row.get("cube_run_node_s"), row.get("floor_all_s"))
        row["pandas_vs_cube"] = _ratio(row.get("pandas_all_s"), row.get("cube_engine_s"))
        row["pandas_vs_floor"] = _ratio(row.get("pandas_all_s"), row.get("floor_all_s"))
        log(
            f"{name}: cube {row.get('cube_engine_s') or 0:.2f} s, floor {row.get('floor_all_s') or 0:.2f} s, "
            f"pandas {row.get('pandas_all_s') or 0:.2f} s"
        )
    row["load_avg_end"] = load_average()
    return row


def compare_variants(options: Options, n_rows: int, fmt: str) -> bool | None:
    """report_cells of the tree and fast builds of the same data are identical (EXCEPT ALL both ways)."""
    a = options.work / "db" / f"tree_{n_rows}_{fmt}.duckdb"
    b = options.work / "db" / f"fast_{n_rows}_{fmt}.duckdb"
    if not (a.exists() and b.exists()):
        return None
    with duckdb.connect() as con:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")
        one_way = (
            "select count(*) from (select * from {}.marts.report_cells except all select * from {}.marts.report_cells)"
        )
        differ = con.sql(f"select ({one_way.format('a', 'b')}) + ({one_way.format('b', 'a')})").fetchone()[0]
    return differ == 0


def run_sizes(
    options: Options,
    sizes: list[int],
    variants: list[str],
    csv_max: int,
    tree_max: int,
) -> list[dict]:
    git = project.git_state()
    projects = {v: prepare_project(options.work, v, memory_limit=options.memory_limit)[0] for v in variants}
    seeds = projects[variants[0]] / "seeds"
    rows = []
    for n_rows in sizes:
        formats = ["parquet"] + (["csv"] if n_rows <= csv_max else [])
        for fmt in formats:
            landing, meta = landing_for(options.work, n_rows, fmt, seeds)
            for variant in variants:
                if variant == "tree" and n_rows > tree_max:
                    log(f"tree_{n_rows}_{fmt}: skipped (above --tree-max {tree_max:,})")
                    continue
                row = size_run(options, variant, projects[variant], n_rows, fmt, landing, meta, fmt == "parquet", git)
                append_rows(options.out / "results.csv", [row])
                rows.append(row)
            if {"tree", "fast"} <= set(variants):
                same = compare_variants(options, n_rows, fmt)
                if same is not None:
                    log(f"{n_rows}_{fmt}: report_cells identical in both variants: {same}")
                    for row in rows:
                        if row["n_rows"] == n_rows and row["format"] == fmt:
                            row["variants_identical"] = same
                    _mark_identical(options.out / "results.csv", n_rows, fmt, same)
            if not options.keep_databases:
                for variant in variants:
                    _drop_database(options.work / "db" / f"{variant}_{n_rows}_{fmt}.duckdb")
    return rows


def _mark_identical(path: Path, n_rows: int, fmt: str, same: bool) -> None:
    rows = read_rows(path)
    latest: dict[str, dict] = {}
    for row in rows:
        if row["n_rows"] == str(n_rows) and row["format"] == fmt:
            latest[row["variant"]] = row
    for row in latest.values():
        row["variants_identical"] = same
    path.unlink()
    append_rows(path, rows)


def _drop_database(database: Path) -> None:
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _link_period(pool: Path, landing: Path, period: str) -> None:
    target = landing / period
    target.mkdir(parents=True, exist_ok=True)
    for file in (pool / period).iterdir():
        os.link(file, target / file.name)


def run_incremental(options: Options, loaded: list[int], rows_per_period: int, variants: list[str]) -> list[dict]:
    """With K periods loaded, time the build after one more period's files land."""
    git = project.git_state()
    needed = max(loaded) + 1
    projects = {
        v: prepare_project(options.work, v, min_periods=needed, memory_limit=options.memory_limit)[0] for v in variants
    }
    seeds = projects[variants[0]] / "seeds"
    periods = synth.read_periods(seeds)[:needed]
    ministries = synth.read_ministries(seeds)
    pool = options.work / "landing" / f"incremental_{rows_per_period}"
    marker = pool / ".benchmark.json"
    if not marker.exists() or json.loads(marker.read_text())["periods"] < needed:
        shutil.rmtree(pool, ignore_errors=True)
        log(f"generating {needed} periods of {rows_per_period:,} rows")
        plan = synth.allocate(rows_per_period * needed, needed, len(ministries))
        generator = synth.Generator(ministries, plan)
        try:
            for p, period in enumerate(periods):
                generator.write_period(pool, period, p)
        finally:
            generator.close()
        marker.write_text(json.dumps({"periods": needed}), encoding="utf-8")
    rows = []
    for variant in variants:
        for k in loaded:
            name = f"incremental_{variant}_{k}"
            landing = options.work / "landing" / name
            shutil.rmtree(landing, ignore_errors=True)
            for period in periods[:k]:
                _link_period(pool, landing, period.period_end)
            database = options.work / "db" / f"{name}.duckdb"
            database.parent.mkdir(parents=True, exist_ok=True)
            _drop_database(database)
            shutil.rmtree(project.target_path(database), ignore_errors=True)
            row: dict = {
                "run_at": dt.datetime.now().isoformat(timespec="seconds"),
                "git": git,
                "project_digest": project.digest(projects[variant]),
                "variant": variant,
                "periods_loaded": k,
                "rows_per_period": rows_per_period,
                "rows_before": rows_per_period * k,
                "load_avg_start": load_average(),
            }
            log(f"{name}: initial build of {k} periods")
            m, results = project.run_dbt(
                projects[variant],
                database,
                landing,
                ["build"],
                dbt_vars=NO_PUBLICATION,
                log=options.work / "logs" / f"{name}_initial.log",
                timeout=options.timeout,
            )
            row["initial_status"] = status_of(m, results)
            row["initial_build_wall_s"] = m.wall_s
            row["initial_build_cpu_s"] = m.cpu_s
            if row["initial_status"] == "ok":
                _link_period(pool, landing, periods[k].period_end)
                log(f"{name}: adding period {periods[k].period_end}")
                m, results = project.run_dbt(
                    projects[variant],
                    database,
                    landing,
                    ["build"],
                    dbt_vars=NO_PUBLICATION,
                    log=options.work / "logs" / f"{name}_add_one.log",
                    timeout=options.timeout,
                )
                row["status"] = status_of(m, results)
                row |= {k2.replace("build_", "add_one_", 1): v for k2, v in build_fields("build", m, results).items()}
                record_nodes(options, {**row, "format": "parquet", "n_rows": rows_per_period * (k + 1)}, results)
                log(f"{name}: add one period {row['status']} in {m.wall_s:.1f} s (cpu {m.cpu_s:.1f} s)")
            else:
                row["status"] = "initial build " + row["initial_status"]
            row["load_avg_end"] = load_average()
            append_rows(options.out / "incremental.csv", [row])
            rows.append(row)
            if not options.keep_databases:
                _drop_database(database)
    return rows


_STEP = re.compile(r"^\s+(.+?): ([0-9.]+) s$")
_TOTAL = re.compile(r"^Published .* in ([0-9.]+) s$")


def run_make_build(options: Options, publish: Path) -> list[dict]:
    """`make build` on the shipped data (cold: no published file; warm: rebuilding over it), with
    the start-up costs measured on their own."""
    git = project.git_state()
    rows = []
    base = {"run_at": dt.datetime.now().isoformat(timespec="seconds"), "git": git}

    def record(phase: str, m: measure.Measurement, **extra) -> dict:
        row = {
            **base,
            "phase": phase,
            "status": "ok" if m.ok else ("timeout" if m.timed_out else f"exit {m.returncode}"),
            "wall_s": m.wall_s,
            "cpu_s": m.cpu_s,
            "peak_rss_mb": m.memory_mb,
            "load_avg": load_average(),
            **extra,
        }
        log(f"make build / {phase}: {row['status']} {m.wall_s:.1f} s")
        rows.append(row)
        return row

    env = {**os.environ, "GENAI_WAREHOUSE": str(publish)}
    logs = options.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    record("environment check (make setup, up to date)", measure.run(["make", "setup"], env=env, cwd=PROJECT_DIR))
    record("python + import dbt", measure.run([sys.executable, "-c", "import dbt.cli.main, dbt.adapters.duckdb"]))
    shipped = PROJECT_DIR / "data" / "landing"
    snap, _ = prepare_project(options.work, "tree")
    database = options.work / "db" / "parse.duckdb"
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(project.target_path(database), ignore_errors=True)
    for phase, args in (("dbt parse (full)", ["parse", "--no-partial-parse"]), ("dbt parse (partial)", ["parse"])):
        m, _ = project.run_dbt(snap, database, shipped, args, log=logs / "parse.log")
        perf = project.target_path(database) / "perf_info.json"
        info = json.loads(perf.read_text()) if perf.exists() else {}
        record(phase, m, dbt_load_all_s=info.get("load_all_elapsed"))
    for leftover in (publish, publish.with_name(publish.name + ".wal")):
        leftover.unlink(missing_ok=True)
    for phase in ("make build (cold: no published warehouse)", "make build (warm: rebuild over it)"):
        out = logs / f"make_build_{len(rows)}.log"
        m = measure.run(["make", "build"], env=env, cwd=PROJECT_DIR, log=out, timeout=options.timeout)
        steps = {}
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            if match := _STEP.match(line):
                steps[f"step: {match.group(1)}"] = float(match.group(2))
            elif match := _TOTAL.match(line):
                steps["build.py total_s"] = float(match.group(1))
        record(phase, m, **steps)
    append_rows(options.out / "make_build.csv", rows)
    return rows


#: tables compared between the variants by ``verify_variants``.
COMPARED = [
    "marts.report_cells",
    "marts.report_exclusions",
    "marts.submission_files",
    "marts.submission_rejects",
    "intermediate.int_cases",
    "intermediate.int_case_flow",
    "intermediate.int_submission_issues",
]


def verify_variants(options: Options) -> list[dict]:
    """Build both variants on the shipped sample (every check, reconciliation with the publication
    included) and on the hostile-input corpus (rejects quarantined), and compare their tables."""
    git = project.git_state()
    corpora = [
        ("shipped sample", PROJECT_DIR / "data" / "landing", None),
        (
            "hostile corpus",
            PROJECT_DIR / "tests" / "fixtures" / "hostile" / "landing",
            {
                "quarantine_rejects": True,
                "check_publication": False,
            },
        ),
    ]
    projects = {v: prepare_project(options.work, v)[0] for v in VARIANTS}
    rows = []
    for corpus, landing, dbt_vars in corpora:
        if not landing.exists():
            log(f"verify: {corpus} not found at {landing}")
            continue
        databases = {}
        statuses = {}
        for variant in VARIANTS:
            database = options.work / "db" / f"verify_{variant}_{corpus.split()[0]}.duckdb"
            database.parent.mkdir(parents=True, exist_ok=True)
            _drop_database(database)
            shutil.rmtree(project.target_path(database), ignore_errors=True)
            m, results = project.run_dbt(
                projects[variant],
                database,
                landing,
                ["build"],
                dbt_vars=dbt_vars,
                log=options.work / "logs" / f"verify_{variant}_{corpus.split()[0]}.log",
                timeout=options.timeout,
            )
            statuses[variant] = status_of(m, results)
            databases[variant] = database
            log(f"verify {corpus}, {variant}: {statuses[variant]} in {m.wall_s:.0f} s")
        with duckdb.connect() as con:
            for variant, database in databases.items():
                con.execute(f"attach '{database}' as {variant} (read_only)")
            for table in COMPARED:
                try:
                    one_way = "select count(*) from (select * from {}.{t} except all select * from {}.{t})"
                    both = [one_way.format("tree", "fast", t=table), one_way.format("fast", "tree", t=table)]
                    differ = con.sql(f"select ({both[0]}) + ({both[1]})").fetchone()[0]
                    size = con.sql(f"select count(*) from tree.{table}").fetchone()[0]
                except duckdb.Error as exc:
                    differ, size = f"error: {str(exc).splitlines()[0]}", None
                rows.append(
                    {
                        "run_at": dt.datetime.now().isoformat(timespec="seconds"),
                        "git": git,
                        "corpus": corpus,
                        "tree_build": statuses["tree"],
                        "fast_build": statuses["fast"],
                        "table": table,
                        "rows": size,
                        "rows_differing": differ,
                    }
                )
                log(f"verify {corpus}: {table}: {size} rows, {differ} differing")
    append_rows(options.out / "variant_check.csv", rows)
    return rows
