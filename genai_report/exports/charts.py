"""The HTML report's charts, drawn with matplotlib from the report's tables into self-contained SVG.

Japanese labels need a CJK font, and it comes with the Python environment, not the operating system:
IPAexGothic, shipped in the PyPI package matplotlib-fontja (pinned in requirements.lock), is registered
with matplotlib here. $GENAI_CJK_FONT may name another .ttf/.otf/.ttc instead. :func:`cjk_font_path`
refuses to go on without a font that has Japanese glyphs, and a glyph missing from the font while
drawing is an error too, so a chart never shows tofu boxes. No system font (fontconfig,
/usr/share/fonts) is ever looked up, so the charts are the same on every machine. Text is stored as
outlines in the SVG (svg.fonttype = path), so they look the same on a machine without the font.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import duckdb
import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator, PercentFormatter

from genai_report.exports.common import ExportError, Period, fetch_dicts, loaded_periods, require_relations
from genai_report.exports.layout import TABLES, TableLayout, table_layout

#: The chart font: IPAexGothic (IPA Font License v1.0), a file inside the PyPI package matplotlib-fontja.
BUNDLED_FONT_PACKAGE = "matplotlib_fontja"
BUNDLED_FONT_FILE = Path("fonts") / "ipaexg.ttf"
#: Characters every chart uses; a font without them is not a Japanese font.
_PROBE = "利用類型開始済特化型機密性案件"

#: what each chart shows and where its figures come from, printed under it.
USAGE_BY_PERIOD_CAPTION_JA = "各報告時点の利用中の案件（利用廃止を除く）を利用類型別に示す。出典：rpt_t01 の総計行。"
SPECIFIC_SHARE_CAPTION_JA = (
    "出典：rpt_headline（specific_share_of_started）。冒頭の「利用開始済の案件の1割以上が特化型」の根拠。"
)
CONFIDENTIALITY_MIX_CAPTION_JA = "出典：rpt_t04 の総計列（政府職員を利用者とする案件。機密性の記載がない案件は除く）。"
CASE_FLOW_CAPTION_JA = (
    "出典：rpt_case_flow。新規・再開・類型変更での流入を上、利用廃止・類型変更での流出・報告なしを下に積み上げる。"
)
USAGE_COLOURS = ("#1f5fa8", "#6fa8dc", "#d1495b", "#edae49", "#8c8c8c")
PERIOD_COLOURS = ("#b7c9e2", "#7ea3cc", "#3c6ea6", "#1f3f6b")


@dataclass(frozen=True)
class Chart:
    key: str
    title_ja: str
    svg: bytes
    caption_ja: str  # where the figures come from, and what to read


def _covers_japanese(path: str) -> bool:
    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(char)) for char in _PROBE)


def bundled_font_path() -> Path | None:
    """IPAexGothic inside this Python environment (matplotlib-fontja), or None when the package is absent.

    The package is found, not imported: importing it sets matplotlib's global font family as a side
    effect, and the charts set theirs in an rc_context of their own.
    """
    spec = importlib.util.find_spec(BUNDLED_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / BUNDLED_FONT_FILE


def cjk_font_path() -> str:
    """The charts' font file: $GENAI_CJK_FONT if set, else the environment's IPAexGothic; ExportError if
    that file is missing or has no Japanese glyphs. The operating system's fonts are never consulted."""
    configured = os.environ.get("GENAI_CJK_FONT")
    if configured:
        if Path(configured).is_file() and _covers_japanese(configured):
            return configured
        raise ExportError(
            f"GENAI_CJK_FONT={configured} is not a font file with Japanese glyphs; point it at a .ttf/.otf/.ttc "
            "that has them, or unset it to use IPAexGothic from the environment (matplotlib-fontja)."
        )
    bundled = bundled_font_path()
    if bundled is not None and bundled.is_file() and _covers_japanese(str(bundled)):
        return str(bundled)
    raise ExportError(
        f"the charts' Japanese font is missing from this Python environment (looked for {BUNDLED_FONT_FILE} in "
        f"the package {BUNDLED_FONT_PACKAGE}, found {bundled}); `make setup` installs matplotlib-fontja from "
        "requirements.lock, or set GENAI_CJK_FONT to a .ttf/.otf/.ttc that has Japanese glyphs. Refusing to draw "
        "charts whose Japanese text would come out as boxes."
    )


def _font_name(path: str) -> str:
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # matplotlib warns "Glyph … missing from font(s) …" and draws a box: make that fatal.
        warnings.filterwarnings("error", message=".*missing from (current )?font")
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _layouts(connection: duckdb.DuckDBPyConnection, table_id: str, periods: list[Period]) -> dict[dt.date, TableLayout]:
    """A table as printed in each of `periods` (laid out from the cube, genai_report.exports.layout)."""
    spec = next(spec for spec in TABLES if spec.table_id == table_id)
    return {period.period_end: table_layout(connection, spec, period.period_end) for period in periods}


def usage_by_period(connection: duckdb.DuckDBPyConnection, periods: list[Period]) -> Chart:
    layouts = _layouts(connection, "T01", periods)
    # The 総計 row (every row dimension _T) under each usage type's column.
    by_period = {}
    for period_end, layout in layouts.items():
        total = next(row for row in layout.rows if row.kind == "total")
        by_period[period_end] = {
            column.levels[0]: figure
            for column, figure in zip(layout.columns, total.figures, strict=True)
            if column.kind == "body"
        }
    shown = [period for period in periods if period.period_end in by_period]
    usage = list(next(iter(by_period.values())))
    figure = Figure(figsize=(8, 3.8))
    axes = figure.subplots()
    width = 0.8 / max(len(shown), 1)
    for index, period in enumerate(shown):
        values = [by_period[period.period_end][column] for column in usage]
        positions = [position + (index - (len(shown) - 1) / 2) * width for position in range(len(usage))]
        colour = PERIOD_COLOURS[-len(shown) + index] if len(shown) <= len(PERIOD_COLOURS) else None
        bars = axes.bar(positions, values, width * 0.95, label=period.as_of_label_ja, color=colour)
        axes.bar_label(bars, fontsize=8, padding=1)
    axes.set_xticks(range(len(usage)), usage)
    axes.set_ylabel("案件数")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=9)
    axes.set_title("利用類型別の案件数（報告時点別）", fontsize=11)
    return Chart("usage_by_period", "利用類型別の案件数", _svg(figure), USAGE_BY_PERIOD_CAPTION_JA)


def specific_share(connection: duckdb.DuckDBPyConnection, periods: list[Period]) -> Chart:
    require_relations(connection, "marts.rpt_headline")
    rows = fetch_dicts(
        connection,
        "select period_end, numerator, denominator, ratio from marts.rpt_headline "
        "where figure = 'specific_share_of_started' order by period_end",
    )
    by_period = {row["period_end"]: row for row in rows if row["ratio"] is not None}
    shown = [period for period in periods if period.period_end in by_period]
    figure = Figure(figsize=(8, 3.4))
    axes = figure.subplots()
    xs = list(range(len(shown)))
    ratios = [by_period[period.period_end]["ratio"] for period in shown]
    axes.plot(xs, ratios, marker="o", color=USAGE_COLOURS[2], linewidth=2)
    for x, period in zip(xs, shown, strict=True):
        row = by_period[period.period_end]
        axes.annotate(
            f"{row['ratio']:.1%}\n（{row['numerator']}件/{row['denominator']}件）",
            (x, row["ratio"]),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=8,
        )
    axes.set_xticks(xs, [period.as_of_label_ja for period in shown])
    axes.set_xlim(-0.5, len(shown) - 0.5)
    axes.set_ylim(0, max(0.2, max(ratios, default=0) * 1.5))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.axhline(0.1, color="#999999", linewidth=0.8, linestyle="--")
    axes.text(len(shown) - 0.5, 0.1, " 1割", va="center", fontsize=8, color="#666666")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title("利用開始済の案件に占める特化型（特化型1・特化型2）の割合", fontsize=11)
    return Chart("specific_share", "特化型の割合の推移", _svg(figure), SPECIFIC_SHARE_CAPTION_JA)


def confidentiality_mix(connection: duckdb.DuckDBPyConnection, periods: list[Period]) -> Chart:
    # The legend names every printed label of every loaded period, the bars only `periods`.
    layouts = _layouts(connection, "T04", loaded_periods(connection))
    counts = {}
    for period_end, layout in layouts.items():
        total = next(index for index, column in enumerate(layout.columns) if column.kind == "total")
        for row in layout.rows:
            if row.kind == "body":
                counts[(period_end, row.labels[0])] = row.figures[total]
    labels = list(dict.fromkeys(label for _, label in counts))
    shown = [period for period in periods if any(period_end == period.period_end for period_end, _ in counts)]
    figure = Figure(figsize=(8, 1.4 + 0.6 * len(shown) + 0.3 * len(labels)))
    axes = figure.subplots()
    colours = ("#9fc5e8", "#f6b26b", "#e06666", "#990000", "#cccccc")
    for y, period in enumerate(shown):
        total = sum(counts.get((period.period_end, label), 0) for label in labels)
        left = 0.0
        for index, label in enumerate(labels):
            count = counts.get((period.period_end, label), 0)
            share = count / total if total else 0
            axes.barh(
                y, share, left=left, color=colours[index % len(colours)], height=0.6, label=label if y == 0 else None
            )
            if share >= 0.04:
                axes.text(left + share / 2, y, f"{count}件", ha="center", va="center", fontsize=8)
            left += share
    axes.set_yticks(range(len(shown)), [period.as_of_label_ja for period in shown])
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_xlim(0, 1)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(
        [textwrap.fill(label, 34) for label in labels],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=2,
        frameon=False,
        fontsize=8,
    )
    axes.set_title("政府職員の利用する案件の取扱情報の機密性（構成比）", fontsize=11)
    return Chart("confidentiality_mix", "取扱情報の機密性の構成", _svg(figure), CONFIDENTIALITY_MIX_CAPTION_JA)


FLOW_IN = (("new_cases", "新規"), ("reclassified_in_cases", "類型変更で流入"), ("reactivated_cases", "再開"))
FLOW_OUT = (
    ("discontinued_cases", "利用廃止"),
    ("reclassified_out_cases", "類型変更で流出"),
    ("not_reported_cases", "報告なし"),
)
TRANSITIONS = (("poc_to_production_cases", "検証段階→常用段階"), ("not_started_to_started_cases", "開始前→開始済"))
FLOW_LABELS = dict(FLOW_IN + FLOW_OUT + TRANSITIONS + (("continuing_cases", "継続"),))


def case_flow_rows(connection: duckdb.DuckDBPyConnection, period_end: dt.date) -> list[dict]:
    require_relations(connection, "marts.rpt_case_flow")
    return fetch_dicts(
        connection, "select * from marts.rpt_case_flow where period_end = ? order by row_order", [period_end]
    )


def case_flow(connection: duckdb.DuckDBPyConnection, period: Period) -> Chart | None:
    rows = [row for row in case_flow_rows(connection, period.period_end) if row["usage_type"] != "_T"]
    if not rows:
        return None
    names = [row["usage_type_ja"] for row in rows]
    figure = Figure(figsize=(8, 4.4), layout="constrained")
    flows, transitions = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    xs = list(range(len(rows)))
    colours_in = ("#3c78d8", "#9fc5e8", "#b6d7a8")
    colours_out = ("#cc0000", "#f4cccc", "#d9d9d9")
    extent = [0, 0]
    for series, colours, sign in ((FLOW_IN, colours_in, 1), (FLOW_OUT, colours_out, -1)):
        bottom = [0] * len(rows)
        for (column, label), colour in zip(series, colours, strict=True):
            values = [sign * row[column] for row in rows]
            flows.bar(xs, values, 0.6, bottom=bottom, color=colour, label=("+ " if sign > 0 else "− ") + label)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        extent[sign < 0] = max(extent[sign < 0], *(abs(total) for total in bottom))
        for x, total in zip(xs, bottom, strict=True):
            if total:
                flows.annotate(
                    f"{total:+d}",
                    (x, total),
                    textcoords="offset points",
                    xytext=(0, 3 * sign),
                    ha="center",
                    va="bottom" if sign > 0 else "top",
                    fontsize=8,
                )
    flows.axhline(0, color="black", linewidth=0.8)
    flows.set_xticks(xs, names, fontsize=9)
    flows.yaxis.set_major_locator(MaxNLocator(integer=True))
    flows.set_ylim(-1.2 * max(extent[1], 1), 1.2 * max(extent[0], 1))
    flows.set_title("案件の出入り（前回報告から）", fontsize=10)
    flows.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3)
    flows.spines[["top", "right"]].set_visible(False)
    width = 0.38
    for index, ((column, label), colour) in enumerate(zip(TRANSITIONS, ("#6aa84f", "#e69138"), strict=True)):
        values = [row[column] for row in rows]
        bars = transitions.bar([x + (index - 0.5) * width for x in xs], values, width, color=colour, label=label)
        transitions.bar_label(bars, fontsize=8, padding=1)
    transitions.set_xticks(xs, names, fontsize=9)
    transitions.yaxis.set_major_locator(MaxNLocator(integer=True))
    transitions.margins(y=0.15)
    transitions.set_title("継続案件の段階の移行", fontsize=10)
    transitions.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=1)
    transitions.spines[["top", "right"]].set_visible(False)
    figure.suptitle(f"案件の増減と移行（{period.as_of_label_ja}、利用類型別）", fontsize=11)
    return Chart("case_flow", "案件の増減と段階の移行", _svg(figure), CASE_FLOW_CAPTION_JA)


def render_charts(connection: duckdb.DuckDBPyConnection, period: Period) -> list[Chart]:
    """Every chart of the report for `period` (the trends cover every loaded period up to it)."""
    font = _font_name(cjk_font_path())
    periods = [loaded for loaded in loaded_periods(connection) if loaded.period_end <= period.period_end]
    with matplotlib.rc_context(
        {"font.family": [font], "svg.fonttype": "path", "axes.unicode_minus": False, "svg.hashsalt": "genai_report"}
    ):
        charts = [
            usage_by_period(connection, periods),
            specific_share(connection, periods),
            confidentiality_mix(connection, periods),
        ]
        flow = case_flow(connection, period)
    return charts + ([flow] if flow else [])
