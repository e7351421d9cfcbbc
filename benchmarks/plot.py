"""The benchmark plot: time and memory against size, and the add-one-period time against history."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file backend)

Series = dict[str, list[tuple[float, float]]]


def _series(results: list[dict], key: str, label: str, where) -> Series:
    points: dict[str, dict[float, float]] = {}
    for row in results:
        if not where(row):
            continue
        value = row.get(key)
        if value in (None, ""):
            continue
        name = label.format(**row)
        points.setdefault(name, {})[float(row["n_rows"])] = float(value)
    return {name: sorted(p.items()) for name, p in points.items()}


#: the issue's targets drawn as single points: (panel title, x, y, label).
TARGETS = [
    ("Wall time by size", 1e7, 60.0, "target: 10^7 rows in 60 s"),
    ("Peak memory by size", 1e7, 2048.0, "target: 10^7 rows in 2 GB"),
]


def panels(results: list[dict], incremental: list[dict]) -> list[tuple[str, str, str, Series, bool]]:
    """(title, x label, y label, series, log-log) per panel."""
    ok = lambda row: row.get("status") == "ok"  # noqa: E731
    times: Series = {}
    times |= _series(results, "make_build_wall_s", "make build, {format}", ok)
    times |= _series(results, "cube_engine_s", "report_cells SQL, {format}", ok)
    times |= _series(results, "floor_all_s", "floor (CUBE queries), {format}", ok)
    times |= _series(results, "pandas_all_s", "pandas groupby, {format}", ok)
    times |= _series(results, "polars_all_s", "Polars group_by, {format}", ok)
    memory = _series(results, "make_build_peak_rss_mb", "make build, {format}", ok)
    memory |= _series(results, "baselines_peak_rss_mb", "floor + pandas + Polars, {format}", ok)
    add_one: Series = {}
    for row in incremental:
        if row.get("status") != "ok":
            continue
        add_one.setdefault("add one period (make build)", []).append(
            (float(row["periods_loaded"]), float(row["add_one_wall_s"]))
        )
    add_one = {k: sorted(v) for k, v in add_one.items()}
    return [
        ("Wall time by size", "case rows", "seconds", times, True),
        ("Peak memory by size", "case rows", "MB (RSS, process tree)", memory, True),
        ("Adding one period", "periods already loaded", "seconds", add_one, False),
    ]


def write(path: Path, results: list[dict], incremental: list[dict]) -> Path:
    out = path.with_suffix(".png")
    figure, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    for ax, (title, xlabel, ylabel, series, log) in zip(axes, panels(results, incremental), strict=True):
        for name, points in series.items():
            if points:
                xs, ys = zip(*points, strict=True)
                ax.plot(xs, ys, marker="o", label=name)
        for panel, x, y, label in TARGETS:
            if panel == title:
                ax.scatter([x], [y], marker="*", s=160, color="black", label=label, zorder=5)
        if log:
            ax.set_xscale("log")
            ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        if series or any(panel == title for panel, *_ in TARGETS):
            ax.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    plt.close(figure)
    return out
