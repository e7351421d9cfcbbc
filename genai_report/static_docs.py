"""Make `dbt docs generate --static` output readable from disk with no network.

`dbt docs generate --static` writes ``target/static_index.html``: one file with the docs app, the
manifest and the catalog inlined. The app still carries a few things a browser would try to load
from elsewhere, and this module removes them:

* the usage-tracking loader (snowplow, ``//d1fc8wv8zag5ca.cloudfront.net/.../sp.js``), injected
  when the manifest says ``send_anonymous_usage_stats`` — switched off here whatever the manifest
  says, and its script address blanked;
* any ``<script src>``, ``<link href>``, ``<img src>``, CSS ``url()`` or ``@import`` that points to
  ``http(s)://`` or a protocol-relative ``//host`` address (web fonts, CDNs) — dbt 1.11's page has
  none, but a future one would be caught: :func:`network_references` lists them and
  :func:`make_offline` refuses to write a page that still has one;
* the favicon link, which dbt ships as an unrendered ``${require(...)}`` template (a broken request).

It also marks the page as Japanese (``lang="ja"``) so that CJK text is drawn with Japanese glyphs,
and gives it a title. Nothing else of the page changes; the docs app works from ``file://``.

Command line (used by ``make build`` after ``dbt docs generate --static``)::

    python -m genai_report.static_docs target/static_index.html build/docs/index.html
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TITLE = "生成AIシステム定期報告 ウェアハウス — dbt Docs"

# A URL that leaves the machine: http(s):// or protocol-relative //host.
_REMOTE = r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s\"'<>)]*"

# Where a browser fetches a URL by itself, as opposed to a link a reader may click.
_FETCHING_PATTERNS = (
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(" + _REMOTE + ")", re.IGNORECASE),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(" + _REMOTE + ")", re.IGNORECASE),
    re.compile(r"<(?:img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*[\"']?(" + _REMOTE + ")", re.I),
    re.compile(r"url\(\s*[\"']?(" + _REMOTE + ")", re.IGNORECASE),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?(" + _REMOTE + ")", re.IGNORECASE),
    # script-created elements, e.g. the tracker loader: i.src="//host/sp.js"
    re.compile(r"\.(?:src|href)\s*=\s*[\"'](" + _REMOTE + ")[\"']"),
)

_TRACKER_LOADER = re.compile(r"(\.src\s*=\s*)([\"'])" + _REMOTE + r"\2")
_TRACKING_SWITCH = re.compile(r"!0\s*===\s*(\w+)\.track\s*&&")
_FAVICON = re.compile(r"<link\b[^>]*\brel=[\"'](?:shortcut )?icon[\"'][^>]*>", re.IGNORECASE)
_HTML_LANG = re.compile(r"(<html\b[^>]*\blang=)[\"'][^\"']*[\"']", re.IGNORECASE)
_TITLE = re.compile(r"<title>[^<]*</title>", re.IGNORECASE)


class NetworkReferenceError(RuntimeError):
    """The page still makes the browser fetch something from the network."""


def network_references(html: str) -> list[str]:
    """Every URL the page would make a browser fetch from the network, in order of appearance."""
    found: list[tuple[int, str]] = []
    for pattern in _FETCHING_PATTERNS:
        found.extend((match.start(1), match.group(1)) for match in pattern.finditer(html))
    return [url for _, url in sorted(set(found))]


def make_offline(html: str) -> str:
    """Return the static docs page with tracking, remote resources and the broken favicon removed."""
    # Tracking off whatever the embedded manifest says, and nothing for it to load if it ran.
    html = _TRACKING_SWITCH.sub(r"!1&&", html)
    html = _TRACKER_LOADER.sub(r"\1\2\2", html)
    html = _FAVICON.sub("", html)
    html = _HTML_LANG.sub(r'\1"ja"', html, count=1)
    html = _TITLE.sub(f"<title>{TITLE}</title>", html, count=1)
    remaining = network_references(html)
    if remaining:
        raise NetworkReferenceError(
            "the static docs still load from the network (inline or strip these): " + ", ".join(remaining)
        )
    return html


def write_offline(source: Path, destination: Path) -> Path:
    """Read dbt's static_index.html, make it offline, and write it to `destination`."""
    html = Path(source).read_text(encoding="utf-8")
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(make_offline(html), encoding="utf-8")
    return destination


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        print("usage: python -m genai_report.static_docs STATIC_INDEX_HTML [OUTPUT_HTML]", file=sys.stderr)
        return 2
    source = Path(args[0])
    if source.is_dir():
        source = source / "static_index.html"
    destination = Path(args[1]) if len(args) == 2 else source
    try:
        written = write_offline(source, destination)
    except NetworkReferenceError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"offline docs written to {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
