"""The report as one static HTML file that opens from disk with no network.

Inline CSS, charts as inline SVG data URIs (text as outlines, see charts.py), no script and no
external reference. Content: the headline sentences, the charts, every table T01 … T09 in the same
layout as the workbook (the grids of layout.py) with its ○ bullets, editorial examples and ※
footnotes, the case flow, the errata, the revisions of earlier publications and the build's
provenance.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

import duckdb

from genai_report.exports.charts import FLOW_LABELS, Chart, case_flow_rows, render_charts
from genai_report.exports.common import Erratum, Period, Provenance, load_errata, write_period_report
from genai_report.exports.layout import Grid, GridCell, TableContent, headline, table_contents
from genai_report.exports.revisions import HEADERS as REVISION_HEADERS
from genai_report.exports.revisions import INTRODUCTION as REVISIONS_INTRODUCTION
from genai_report.exports.revisions import NO_REVISIONS, Revision, load_revisions

CSS = """
:root { --line: #8a8a8a; --head: #dce6f1; --total: #f2f2f2; --prior: #fff8e1; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
       margin: 0; color: #1a1a1a; background: #fafafa; line-height: 1.6; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
header.report { border-bottom: 3px solid #1f3f6b; margin-bottom: 16px; }
h1 { font-size: 1.55rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; border-left: 6px solid #1f3f6b; padding-left: 8px; margin: 36px 0 10px; }
h3 { font-size: 1rem; margin: 18px 0 6px; }
.as-of { font-size: 1.05rem; color: #333; margin: 0 0 10px; }
ul.headline { background: #eef3f9; padding: 12px 16px 12px 34px; border-radius: 4px; font-size: 1.02rem; }
ul.bullets { list-style: none; padding-left: 0; }
ul.bullets li::before { content: "○"; }
.table-wrap { overflow-x: auto; }
table.report { border-collapse: collapse; font-size: 0.8rem; margin: 6px 0; }
table.report th, table.report td { border: 1px solid var(--line); padding: 2px 6px; }
table.report th { background: var(--head); font-weight: 600; text-align: center; }
table.report th.row-label { background: #fff; font-weight: normal; text-align: left; }
table.report th.row-group { writing-mode: vertical-rl; letter-spacing: 0.1em; }
table.report th.total-label { background: var(--total); }
table.report td { text-align: right; font-variant-numeric: tabular-nums; min-width: 3.2em; }
table.report td.total { background: var(--total); font-weight: 600; }
table.report td.prior { background: var(--prior); }
.footnotes { font-size: 0.82rem; color: #444; margin: 4px 0; }
.footnotes p { margin: 2px 0; }
.editorial { border: 1px solid #c9d6e8; padding: 8px 14px; margin: 10px 0; font-size: 0.9rem; }
.variance { border-left: 4px solid #c0504d; background: #fdf2f2; padding: 6px 12px; font-size: 0.85rem; }
figure.chart { margin: 14px 0 22px; }
figure.chart img { max-width: 100%; height: auto; display: block; }
figure.chart figcaption { font-size: 0.82rem; color: #555; }
.charts { max-width: 880px; }
table.plain { border-collapse: collapse; font-size: 0.8rem; }
table.plain th, table.plain td { border: 1px solid #bbb; padding: 2px 6px; vertical-align: top; }
table.plain th, table.plain td.num { white-space: nowrap; }
#errata-table td:nth-child(3) { min-width: 16em; }
#revisions-table td:nth-child(2), #revisions-table td:nth-child(9) { white-space: nowrap; }
#revisions-table td:nth-child(10) { font-family: "DejaVu Sans Mono", monospace; font-size: 0.72rem; }
table.plain th { background: var(--head); }
table.plain td.num { text-align: right; }
code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 0.78rem; word-break: break-all; }
nav.toc { font-size: 0.9rem; columns: 2; }
"""


def _cell_html(cell: GridCell) -> str:
    spans = ""
    if cell.row_span > 1:
        spans += f' rowspan="{cell.row_span}"'
    if cell.col_span > 1:
        spans += f' colspan="{cell.col_span}"'
    if cell.is_figure:
        value = cell.value
        if cell.is_share and isinstance(value, float):
            text = f"{value:.1%}"
        elif cell.role == "body" and value == 0:
            text = ""  # the publication leaves a zero body cell blank
        elif isinstance(value, int):
            text = f"{value:,}"
        else:
            text = str(value)
        css = f' class="{cell.role}"' if cell.role != "body" else ""
        return f"<td{css}{spans}>{escape(text)}</td>"
    css = {
        "row_group": "row-group",
        "row_label": "row-label",
        "total_label": "total-label",
    }.get(cell.role, "")
    scope = ' scope="col"' if cell.role in ("column_header", "group_header") else ""
    scope = ' scope="row"' if cell.role in ("row_label", "total_label") else scope
    text = "" if cell.value is None else str(cell.value)
    attributes = (f' class="{css}"' if css else "") + scope + spans
    return f"<th{attributes}>{escape(text)}</th>"


def grid_html(grid: Grid, caption: str) -> str:
    rows = grid.rows()
    head = "".join(f"<tr>{''.join(_cell_html(cell) for cell in row)}</tr>" for row in rows[: grid.header_rows])
    body = "".join(f"<tr>{''.join(_cell_html(cell) for cell in row)}</tr>" for row in rows[grid.header_rows :])
    return (
        f'<div class="table-wrap"><table class="report" id="table-{grid.table_id}">'
        f"<caption hidden>{escape(caption)}</caption><thead>{head}</thead><tbody>{body}</tbody></table></div>"
    )


def _table_section(content: TableContent, errata: list[Erratum]) -> str:
    parts = [
        f'<section id="{content.spec.table_id}"><h2>{escape(content.spec.table_id)}　{escape(content.title_ja)}</h2>'
    ]
    if content.bullets:
        parts.append('<ul class="bullets">' + "".join(f"<li>{escape(b)}</li>" for b in content.bullets) + "</ul>")
    parts.append(grid_html(content.grid, content.title_ja))
    for heading, items in content.editorial:
        block = [f'<div class="editorial"><h3>{escape(heading)}</h3>']
        listed = [text for kind, text in items if kind == "item"]
        for kind, text in items:
            if kind == "title":
                block.append(f"<p><strong>{escape(text)}</strong></p>")
            elif kind != "item":
                block.append(f"<p>○{escape(text)}</p>")
        if listed:
            block.append("<ul>" + "".join(f"<li>{escape(text)}</li>" for text in listed) + "</ul>")
        parts.append("".join(block) + "</div>")
    if content.footnotes:
        parts.append('<div class="footnotes">' + "".join(f"<p>{escape(n)}</p>" for n in content.footnotes) + "</div>")
    known = [erratum for erratum in errata if erratum.table_id == content.spec.table_id]
    if known:
        items = "".join(
            f"<li>{escape(e.cell_ja)}：公表値 {e.published_value}、記録上 {e.records_value}</li>" for e in known
        )
        parts.append(
            '<div class="variance"><strong>公表資料との差異</strong>（既知。理由は<a href="#errata">差異一覧</a>）'
            f"<ul>{items}</ul></div>"
        )
    parts.append("</section>")
    return "".join(parts)


def _chart_html(chart: Chart) -> str:
    data = base64.b64encode(chart.svg).decode("ascii")
    return (
        f'<figure class="chart" id="chart-{chart.key}"><img alt="{escape(chart.title_ja)}" '
        f'src="data:image/svg+xml;base64,{data}"><figcaption>{escape(chart.caption_ja)}</figcaption></figure>'
    )


def _case_flow_table(connection: duckdb.DuckDBPyConnection, period: Period) -> str:
    rows = case_flow_rows(connection, period.period_end)
    if not rows:
        return "<p>前回報告の時点がウェアハウスにないため、案件の増減は示せない。</p>"
    columns = [column for column in FLOW_LABELS if column in rows[0]]
    head = "<tr><th>利用類型</th>" + "".join(f"<th>{escape(FLOW_LABELS[c])}</th>" for c in columns) + "</tr>"
    body = "".join(
        f"<tr><th>{escape(row['usage_type_ja'])}</th>"
        + "".join(f'<td class="num">{row[c]:,}</td>' for c in columns)
        + "</tr>"
        for row in rows
    )
    return f'<table class="plain" id="case-flow"><thead>{head}</thead><tbody>{body}</tbody></table>'


def _errata_html(errata: list[Erratum]) -> str:
    if not errata:
        return "<p>差異なし（公表資料の全セルを記録から再現できる）。</p>"
    head = "<tr><th>表</th><th>期末日</th><th>セル</th><th>公表値</th><th>記録上の値</th><th>理由</th></tr>"
    body = "".join(
        f"<tr><td>{escape(e.table_id)}</td><td>{e.period_end.isoformat()}</td><td>{escape(e.cell_ja)}</td>"
        f'<td class="num">{e.published_value}</td><td class="num">{e.records_value}</td>'
        f"<td>{escape(e.reason)}</td></tr>"
        for e in errata
    )
    return f'<table class="plain" id="errata-table"><thead>{head}</thead><tbody>{body}</tbody></table>'


def _revision_cell(header: str, value: object) -> str:
    if isinstance(value, int):
        text = f"{value:+,}" if header == "差" else f"{value:,}"
        return f'<td class="num">{text}</td>'
    return f"<td>{escape('' if value is None else str(value))}</td>"


def _revisions_html(revisions: list[Revision]) -> str:
    if not revisions:
        return f'<p id="no-revisions">{escape(NO_REVISIONS)}</p>'
    head = "<tr>" + "".join(f"<th>{escape(header)}</th>" for header in REVISION_HEADERS) + "</tr>"
    body = "".join(
        "<tr>" + "".join(_revision_cell(*pair) for pair in zip(REVISION_HEADERS, r.row(), strict=True)) + "</tr>"
        for r in revisions
    )
    return f'<table class="plain" id="revisions-table"><thead>{head}</thead><tbody>{body}</tbody></table>'


def _provenance_html(provenance: Provenance) -> str:
    facts = [
        ("作成日時 (UTC)", provenance.generated_at),
        ("コード (git commit)", provenance.git_label),
        ("ウェアハウス", provenance.warehouse),
        ("提出ファイルの場所", provenance.landing_dir),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in facts)
    files = "".join(
        f"<tr><td>{escape(f.path)}</td><td class='num'>{f.size:,}</td><td class='hash'>{f.sha256}</td>"
        f"<td>{'○' if f.loaded else '×'}</td></tr>"
        for f in provenance.landing_files
    )
    missing = ""
    if provenance.missing_files:
        missing = (
            '<p class="variance">ウェアハウスが取り込んだが現在の提出フォルダにないファイル: '
            + escape(", ".join(provenance.missing_files))
            + "</p>"
        )
    return (
        f'<table class="plain">{rows}</table>{missing}'
        f"<details><summary>提出ファイル {len(provenance.landing_files)} 件の SHA-256</summary>"
        '<table class="plain"><thead><tr><th>ファイル</th><th>バイト数</th><th>SHA-256</th><th>取込</th></tr></thead>'
        f"<tbody>{files}</tbody></table></details>"
    )


def build_html(connection: duckdb.DuckDBPyConnection, period: Period, provenance: Provenance) -> str:
    contents = table_contents(connection, period)
    sentences = headline(connection, period.period_end)
    errata = load_errata(connection)
    period_errata = [erratum for erratum in errata if erratum.period_end == period.period_end]
    charts = render_charts(connection, period)
    toc = "".join(
        f'<li><a href="#{c.spec.table_id}">{escape(c.spec.table_id)} {escape(c.title_ja)}</a></li>' for c in contents
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="genai_report {escape(provenance.git_commit or "")}">',
        f"<title>{escape(period.title_ja)}（{escape(period.as_of_label_ja)}）</title>",
        f"<style>{CSS}</style></head><body><main>",
        f'<header class="report"><h1>{escape(period.title_ja)}</h1>',
        f'<p class="as-of">{escape(period.as_of_label_ja)}（期末日 {period.period_end.isoformat()}）</p></header>',
        '<ul class="headline" id="headline">' + "".join(f"<li>{escape(s)}</li>" for s in sentences) + "</ul>",
        f'<nav class="toc"><ul>{toc}<li><a href="#charts">グラフ</a></li>'
        '<li><a href="#case-flow-section">案件の増減</a></li><li><a href="#errata">差異一覧</a></li>'
        '<li><a href="#revisions">改定</a></li><li><a href="#provenance">作成情報</a></li></ul></nav>',
        '<section id="charts"><h2>グラフ</h2><div class="charts">',
        *(_chart_html(chart) for chart in charts),
        "</div></section>",
        *(_table_section(content, period_errata) for content in contents),
        '<section id="case-flow-section"><h2>前回報告からの案件の増減（利用類型別）</h2>',
        _case_flow_table(connection, period),
        '<p class="footnotes">出典：rpt_case_flow。類型変更は前回と今回で利用類型が異なる継続案件。</p></section>',
        '<section id="errata"><h2>公表資料との差異（差異一覧）</h2>',
        "<p>公表資料の表どうしが矛盾するため、どの記録の組でも全セルを同時には再現できない。"
        "ここに挙げたセル以外はすべて公表値と一致する。既知の差異であり、集計の誤りではない。</p>",
        _errata_html(errata),
        "</section>",
        '<section id="revisions"><h2>公表値の改定（revisions）</h2>',
        f'<p class="footnotes">{escape(REVISIONS_INTRODUCTION)}</p>',
        _revisions_html(load_revisions(connection)),
        "</section>",
        '<section id="provenance"><h2>作成情報</h2>',
        _provenance_html(provenance),
        "</section></main></body></html>",
    ]
    return "\n".join(parts)


def write_html_report(database: Path, out_path: Path, **options: object) -> Path:
    """The HTML report of one period; `options`: period_end, landing_dir, provenance (write_period_report)."""

    def save(html: str, path: Path) -> None:
        path.write_text(html, encoding="utf-8")

    return write_period_report(database, out_path, build_html, save, **options)
