"""The benchmark plot: time and memory against size, and the add-one-period time against history.

matplotlib when it is installed (it is in the lock file); otherwise a plain hand-written SVG of
the same log-log lines, so the benchmark never needs a dependency of its own.
"""

from __future__ import annotations

import math
from pathlib import Path

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
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        out = path.with_suffix(".svg")
        out.write_text(_svg(panels(results, incremental)), encoding="utf-8")
        return out
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


def _svg(all_panels) -> str:
    width, height, pad = 420, 320, 50
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * len(all_panels)}" height="{height}" font-size="10">'
    ]
    for k, (title, xlabel, ylabel, series, log) in enumerate(all_panels):
        x0 = k * width
        points = [p for s in series.values() for p in s if p[1] > 0]
        parts.append(f'<text x="{x0 + width / 2}" y="15" text-anchor="middle">{title}</text>')
        parts.append(f'<text x="{x0 + width / 2}" y="{height - 5}" text-anchor="middle">{xlabel}</text>')
        parts.append(
            f'<text x="{x0 + 10}" y="{height / 2}" transform="rotate(-90 {x0 + 10} {height / 2})">{ylabel}</text>'
        )
        parts.append(
            f'<rect x="{x0 + pad}" y="{pad / 2}" width="{width - 1.5 * pad}" height="{height - 1.8 * pad}" '
            'fill="none" stroke="#888"/>'
        )
        if not points:
            continue
        f = (lambda v: math.log10(v)) if log else (lambda v: v)
        xs = [f(x) for x, _ in points]
        ys = [f(y) for _, y in points]
        xmin, xmax = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
        ymin, ymax = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1

        def sx(v, xmin=xmin, xmax=xmax, x0=x0, f=f):
            return x0 + pad + (f(v) - xmin) / (xmax - xmin) * (width - 1.5 * pad)

        def sy(v, ymin=ymin, ymax=ymax, f=f):
            return pad / 2 + (1 - (f(v) - ymin) / (ymax - ymin)) * (height - 1.8 * pad)

        for i, (name, pts) in enumerate(series.items()):
            colour = colours[i % len(colours)]
            line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts if y > 0)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}"/>')
            parts.append(f'<text x="{x0 + pad + 5}" y="{pad / 2 + 12 * (i + 1)}" fill="{colour}">{name}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
