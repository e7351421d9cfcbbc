"""The benchmark runs behind scripts/benchmark.py: sizes, adding one period, make build on the shipped data.

It measures the project as it is: every build is the whole ``make build`` (dbt build, the Great
Expectations gate, docs and the report exports, in one Python process) of a snapshot of the working
tree, with the reconciliation with the published figures switched off (synthetic data cannot match
them). Every run appends its rows to CSV files under ``benchmarks/`` (a failed or timed-out run is a
row too, with its status), so an interrupted run keeps what it measured, and one-off runs (10^7
rows) land in the same table as the default ones.
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

from benchmarks import measure, project, synth
from genai_report import duckdb_settings
from genai_report.contract import PROJECT_DIR

NO_PUBLICATION = {"check_publication": False}


@dataclass
class Options:
    work: Path
    out: Path
    timeout: float
    keep_databases: bool = False
    memory_limit: str | None = None
    with_pandas: bool = True


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


#: the landing formats of the size benchmark: Parquet, and the forms ministries send (CSV UTF-8,
#: UTF-8 with BOM, CP932 and XLSX; synth.FORM_KINDS).
FORMATS = ("parquet", "forms")
CUBE_SQL = "report_cells.sql"
_STEP = re.compile(r"^\s+(.+?): ([0-9.]+) s$")
_TOTAL = re.compile(r"^Published .* in ([0-9.]+) s$")


def prepare_project(work: Path, min_periods: int | None = None) -> Path:
    suffix = f"_{min_periods}p" if min_periods else ""
    return project.snapshot(work / f"project{suffix}", min_periods=min_periods, for_build=True)


def landing_for(work: Path, n_rows: int, fmt: str, seeds: Path, xlsx: bool = True) -> tuple[Path, dict]:
    """Synthetic landing folder for ``n_rows`` (generated once per size and format, then reused)."""
    root = work / "landing" / f"{n_rows}_{fmt}{'' if xlsx or fmt != 'forms' else '_no_xlsx'}"
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
    landing = synth.write_landing(root, n_rows, periods[:n_periods], ministries, fmt, xlsx=xlsx)
    meta = {
        "rows": landing.rows,
        "files": landing.files,
        "periods": len(landing.periods),
        "ministries": len(ministries),
        "bytes": landing.bytes,
        "xlsx": xlsx and fmt == "forms",
        "generate_s": (dt.datetime.now() - started).total_seconds(),
    }
    marker.write_text(json.dumps(meta), encoding="utf-8")
    return root, meta


def steps_of(log_file: Path) -> dict[str, float]:
    """The step times build.py prints (dbt build, gate, docs, exports) and its total."""
    steps: dict[str, float] = {}
    if not log_file.exists():
        return steps
    for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
        if match := _STEP.match(line):
            steps[f"step: {match.group(1)}"] = float(match.group(2))
        elif match := _TOTAL.match(line):
            steps["build.py total_s"] = float(match.group(1))
    return steps


def status_of(m: measure.Measurement) -> str:
    if m.timed_out:
        return f"timeout after {m.wall_s:.0f} s"
    if not m.ok:
        last = [line for line in m.output_tail.splitlines() if line.strip()]
        return "failed: " + (re.sub(r"\x1b\[[0-9;]*m", "", last[-1]).strip()[:200] if last else "?")
    return "ok"


def make_build(options: Options, project_dir: Path, landing: Path, name: str, fresh: bool = True) -> dict:
    """The whole make build of ``landing`` -> fields make_build_* (wall, CPU, peak RSS of the tree, steps)."""
    publish = options.work / "db" / f"{name}.duckdb"
    publish.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        _drop_database(publish)
    log_file = options.work / "logs" / f"{name}_make_build.log"
    load = load_average()
    m, _ = project.make_build(
        project_dir, landing, publish, options.work / "reports" / name, log=log_file, timeout=options.timeout
    )
    row = {
        "status": status_of(m),
        "make_build_wall_s": m.wall_s,
        "make_build_cpu_s": m.cpu_s,
        "make_build_peak_rss_mb": m.memory_mb,
        "make_build_max_rss_mb": m.max_rss_mb,
        "load_avg_start": load,
        "load_avg_end": load_average(),
        **steps_of(log_file),
    }
    log(f"{name}: make build {row['status']} in {m.wall_s:.1f} s (cpu {m.cpu_s:.1f} s, peak {m.memory_mb:.0f} MB)")
    return row


def baselines(options: Options, project_dir: Path, name: str) -> dict:
    """The cube step of the built warehouse against the hand-written floor, pandas and Polars."""
    database = options.work / "db" / f"{name}.duckdb"
    compiled = project_dir / "target" / "compiled" / "genai_report" / "models" / "marts" / "report"
    out = options.work / "logs" / f"{name}_baselines.json"
    out.unlink(missing_ok=True)
    m = measure.run(
        [
            sys.executable,
            "-m",
            "benchmarks.baselines",
            str(database.resolve()),
            str(out.resolve()),
            str((compiled / "report_cells.sql").resolve()),
            *([] if options.with_pandas else ["--no-pandas"]),
        ],
        cwd=PROJECT_DIR,
        log=options.work / "logs" / f"{name}_baselines.log",
        timeout=options.timeout,
    )
    row: dict = {"baselines_peak_rss_mb": m.memory_mb}
    if out.exists():
        row |= json.loads(out.read_text(encoding="utf-8"))
    else:
        row["note"] = "baselines failed: " + (m.output_tail.splitlines()[-1] if m.output_tail else "?")
    row["cube_vs_floor"] = _ratio(row.get("cube_engine_s"), row.get("floor_all_s"))
    row["pandas_vs_cube"] = _ratio(row.get("pandas_all_s"), row.get("cube_engine_s"))
    row["polars_vs_cube"] = _ratio(row.get("polars_all_s"), row.get("cube_engine_s"))
    log(
        f"{name}: cube {row.get('cube_engine_s') or 0:.2f} s, floor {row.get('floor_all_s') or 0:.2f} s, "
        f"pandas {row.get('pandas_all_s') or 0:.2f} s, polars {row.get('polars_all_s') or 0:.2f} s"
    )
    return row


def run_sizes(
    options: Options, sizes: list[int], formats: list[str], xlsx_max: int, with_baselines: bool
) -> list[dict]:
    """For each size and format: generate the landing, run the whole make build, then the baselines."""
    git = project.git_state()
    project_dir = prepare_project(options.work)
    seeds = project_dir / "seeds"
    rows = []
    for n_rows in sizes:
        for fmt in formats:
            xlsx = n_rows <= xlsx_max
            if fmt == "forms" and not xlsx:
                log(f"{n_rows:,} forms: CSV only (XLSX above --xlsx-max {xlsx_max:,}: openpyxl writes too slowly)")
            landing, meta = landing_for(options.work, n_rows, fmt, seeds, xlsx)
            name = f"{n_rows}_{fmt}"
            row: dict = {
                "run_at": dt.datetime.now().isoformat(timespec="seconds"),
                "git": git,
                "project_digest": project.digest(project_dir),
                "duckdb_memory_limit": duckdb_settings.memory_limit(),
                "format": fmt,
                "xlsx_files": meta.get("xlsx", False),
                "n_rows": n_rows,
                "periods": meta["periods"],
                "ministries": meta["ministries"],
                "files": meta["files"],
                "landing_mb": meta["bytes"] / 2**20,
                "generate_s": meta.get("generate_s"),
                "cpus": os.cpu_count(),
            }
            row |= make_build(options, project_dir, landing, name)
            if row["status"] == "ok" and with_baselines:
                row |= baselines(options, project_dir, name)
            append_rows(options.out / "sizes.csv", [row])
            rows.append(row)
            if not options.keep_databases:
                _drop_database(options.work / "db" / f"{name}.duckdb")
    return rows


def _drop_database(database: Path) -> None:
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _link_period(pool: Path, landing: Path, period: str) -> None:
    target = landing / period
    target.mkdir(parents=True, exist_ok=True)
    for file in (pool / period).iterdir():
        os.link(file, target / file.name)


def run_add_one_period(options: Options, loaded: list[int], rows_per_period: int, fmt: str = "parquet") -> list[dict]:
    """With K periods published by make build, the make build after one more period's files land."""
    git = project.git_state()
    needed = max(loaded) + 1
    project_dir = prepare_project(options.work, min_periods=needed)
    seeds = project_dir / "seeds"
    periods = synth.read_periods(seeds)[:needed]
    ministries = synth.read_ministries(seeds)
    pool = options.work / "landing" / f"periods_{rows_per_period}_{fmt}"
    marker = pool / ".benchmark.json"
    if not marker.exists() or json.loads(marker.read_text())["periods"] < needed:
        shutil.rmtree(pool, ignore_errors=True)
        log(f"generating {needed} periods of {rows_per_period:,} rows as {fmt}")
        plan = synth.allocate(rows_per_period * needed, needed, len(ministries))
        generator = synth.Generator(ministries, plan)
        try:
            for p, period in enumerate(periods):
                generator.write_period(pool, period, p, fmt)
        finally:
            generator.close()
        marker.write_text(json.dumps({"periods": needed}), encoding="utf-8")
    rows = []
    for k in loaded:
        name = f"add_one_{k}"
        landing = options.work / "landing" / name
        shutil.rmtree(landing, ignore_errors=True)
        for period in periods[:k]:
            _link_period(pool, landing, period.period_end)
        row: dict = {
            "run_at": dt.datetime.now().isoformat(timespec="seconds"),
            "git": git,
            "project_digest": project.digest(project_dir),
            "format": fmt,
            "periods_loaded": k,
            "rows_per_period": rows_per_period,
            "rows_before": rows_per_period * k,
        }
        log(f"{name}: make build of {k} periods")
        initial = make_build(options, project_dir, landing, name)
        row |= {f"initial_{key}": value for key, value in initial.items()}
        if initial["status"] == "ok":
            _link_period(pool, landing, periods[k].period_end)
            log(f"{name}: adding period {periods[k].period_end}")
            added = make_build(options, project_dir, landing, name, fresh=False)
            row |= {key.replace("make_build_", "add_one_", 1): value for key, value in added.items()}
        else:
            row["status"] = "initial build " + initial["status"]
        append_rows(options.out / "add_one_period.csv", [row])
        rows.append(row)
        if not options.keep_databases:
            _drop_database(options.work / "db" / f"{name}.duckdb")
    return rows


def resubmit_with_bom(landing: Path) -> Path:
    """Resubmit one UTF-8 CSV of the latest period with the same answers and a UTF-8 byte-order mark
    added (what a ministry's re-export from Excel does) -> the file."""
    latest = max(folder for folder in landing.iterdir() if folder.is_dir())
    for file in sorted(latest.glob("*.csv")):
        data = file.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        file.write_bytes(b"\xef\xbb\xbf" + data)
        return file
    raise RuntimeError(f"no UTF-8 CSV without a byte-order mark in {latest}")


def run_make_build(options: Options, publish: Path) -> list[dict]:
    """`make build` on the shipped data (a copy of data/landing) in the working tree: cold, nothing
    changed, forced; then one `dbt parse` and the make build after one file of the latest period is
    resubmitted, and nothing changed again. The start-up costs are measured on their own."""
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

    landing = options.work / "landing" / "shipped_copy"
    shutil.rmtree(landing, ignore_errors=True)
    shutil.copytree(PROJECT_DIR / "data" / "landing", landing)
    env = {**os.environ, "GENAI_WAREHOUSE": str(publish), "GENAI_LANDING_DIR": str(landing)}
    logs = options.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    record("environment check (make setup, up to date)", measure.run(["make", "setup"], env=env, cwd=PROJECT_DIR))
    record("python + import dbt", measure.run([sys.executable, "-c", "import dbt.cli.main, dbt.adapters.duckdb"]))
    _drop_database(publish)

    def build(phase: str, **extra_env: str) -> dict:
        out = logs / f"make_build_{len(rows)}.log"
        m = measure.run(["make", "build"], env={**env, **extra_env}, cwd=PROJECT_DIR, log=out, timeout=options.timeout)
        return record(phase, m, **steps_of(out))

    build("make build (cold: no published warehouse)")
    build("make build (warm, nothing changed: up to date)")
    build("make build (warm, forced: GENAI_FORCE_BUILD=1, dbt and tests run)", GENAI_FORCE_BUILD="1")
    parse_target = options.work / "dbt_parse_target"
    shutil.rmtree(parse_target, ignore_errors=True)
    parse_command = [project.dbt_executable(), "parse", "--target-path", str(parse_target)]
    parse = record(
        "one dbt parse (no partial-parse state)",
        measure.run([*parse_command, "--log-path", str(parse_target)], env=env, cwd=PROJECT_DIR),
    )
    resubmitted = resubmit_with_bom(landing)
    again = build(f"make build (resubmitted {resubmitted.relative_to(landing)}: same answers, UTF-8 BOM added)")
    again["vs_dbt_parse"] = _ratio(again["wall_s"], parse["wall_s"])
    nothing = build("make build (nothing changed since the resubmission)")
    nothing["vs_dbt_parse"] = _ratio(nothing["wall_s"], parse["wall_s"])
    append_rows(options.out / "make_build.csv", rows)
    return rows
