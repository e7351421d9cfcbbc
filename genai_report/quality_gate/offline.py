"""Data Docs without a network.

GX's pages load Bootstrap, jQuery and bootstrap-table from CDNs; :func:`make_offline` removes those
references, inlines a small stylesheet and script instead (``static/offline.css``,
``static/offline.js``, package data of genai_report) and turns the index page's
JavaScript-rendered tables into plain HTML. What that leaves out: GX's Font Awesome icons (replaced
by ✔/✖ glyphs), bootstrap-table's sorting, search and filter controls on the index page, and the
vega charts of profiling pages (the gate makes none).
"""

from __future__ import annotations

import ast
import html
import re
import shutil
from functools import cache
from importlib import resources
from pathlib import Path


@cache
def _static(name: str) -> str:
    return resources.files("genai_report.quality_gate").joinpath("static", name).read_text(encoding="utf-8")


_EXTERNAL_TAG = re.compile(
    r"<link\b[^>]*\bhref=[\"']https?://[^>]*>\s*|<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>\s*",
    re.IGNORECASE,
)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_BOOTSTRAP_TABLE = re.compile(
    r"<table\s+id=\"(?P<id>[^\"]+)\"[^>]*data-toggle=\"table\"\s*>\s*</table>", re.IGNORECASE | re.DOTALL
)
_TABLE_CALL = re.compile(
    r"\$\('#(?P<id>[^']+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{\s*columns:\s*(?P<columns>\[.*?\]),\s*"
    r"data:\s*(?P<data>\[.*?\]),\s*toolbar:",
    re.DOTALL,
)
_REMOTE_IMAGE = re.compile(r"<img\b[^>]*\bsrc=[\"']https?://[^\"']*/([\w.-]+?)(?:\?[^\"']*)?[\"'][^>]*>", re.IGNORECASE)
_REMOTE_URL = re.compile(r"url\(\s*[\"']?https?://[^)]*\)", re.IGNORECASE)
_CLOUD_FOOTER = re.compile(r"<footer>\s*<p>Stay current on everything GX.*?</footer>", re.DOTALL)


def _static_table(columns: list[dict], rows: list[dict]) -> str:
    """A bootstrap-table (columns + data) as plain HTML; rows link to their page."""
    head = "".join(f"<th>{html.escape(str(c.get('title', c['field'])))}</th>" for c in columns)
    body = []
    for row in rows:
        link = row.get("_table_row_link_path")
        cells = []
        for c in columns:
            value = str(row.get(c["field"], ""))
            # The values are HTML GX rendered (icons, links); the link column becomes a link.
            if link and "<a " not in value and c is columns[-1 if len(columns) == 1 else 0]:
                value = f'<a href="{html.escape(link)}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="gate-static-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _offline_page(text: str, depth: int) -> str:
    static = "../" * depth + "static/images/"
    text = _EXTERNAL_TAG.sub("", text)
    text = _CLOUD_FOOTER.sub("", text)
    text = _REMOTE_URL.sub("none", text)
    text = _REMOTE_IMAGE.sub(
        lambda m: f'<img src="{static}{m.group(1)}" alt="Great Expectations" style="height:40px">', text
    )
    tables = {}
    for match in _TABLE_CALL.finditer(text):
        try:
            tables[match["id"]] = _static_table(ast.literal_eval(match["columns"]), ast.literal_eval(match["data"]))
        except (ValueError, SyntaxError, KeyError):  # leave the page as GX wrote it
            continue
    text = _BOOTSTRAP_TABLE.sub(lambda m: tables.get(m["id"], m.group(0)), text)
    # Every inline script GX wrote needs jQuery, which is gone; the injected script replaces them.
    text = _SCRIPT.sub(lambda m: "" if "$(" in m.group(1) or "$`" in m.group(1) else m.group(0), text)
    text = re.sub(r"<button[^>]*clearTableFilters[^>]*>.*?</button>", "", text, flags=re.DOTALL)
    inject = f"<style>{_static('offline.css')}</style>\n<script>{_static('offline.js')}</script>\n"
    return text.replace("</head>", inject + "</head>", 1)


def make_offline(data_docs_dir: Path) -> list[Path]:
    """Rewrite every Data Docs page (and GX's stylesheet) so it needs no network; returns the pages."""
    pages = sorted(data_docs_dir.rglob("*.html"))
    for page in pages:
        depth = len(page.relative_to(data_docs_dir).parts) - 1
        page.write_text(_offline_page(page.read_text(encoding="utf-8"), depth), encoding="utf-8")
    for sheet in data_docs_dir.rglob("*.css"):
        sheet.write_text(_REMOTE_URL.sub("none", sheet.read_text(encoding="utf-8")), encoding="utf-8")
    return pages


def clear_data_docs(data_docs_dir: Path) -> None:
    """Remove the previous run's site (only what GX writes there)."""
    for name in ("validations", "expectations", "static"):
        shutil.rmtree(data_docs_dir / name, ignore_errors=True)
    (data_docs_dir / "index.html").unlink(missing_ok=True)
