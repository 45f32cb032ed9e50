"""The page around a picture: one HTML document with its CSS and a few lines of script inline, the
role palette (`queries.roles`) as CSS classes, and the escaping every text goes through."""

from __future__ import annotations

import html

from queries.answers import Ref, SourceRef
from queries.roles import BY_KEY, OTHER, ROLES

# Hop lines by confidence: the weaker the evidence, the fainter and more broken the line.
CONFIDENCE_DASH = {"confirmed": "", "reported": "", "alleged": "8 4", "estimated": "3 4", "illustrative": "2 6"}
CONFIDENCE_WIDTH = {"confirmed": 4, "reported": 3, "alleged": 2, "estimated": 2, "illustrative": 2}

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1d2430; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 6px; }
.verdict { padding: 8px 12px; border-left: 4px solid #CC3C6C; background: #fbf0f4; margin: 8px 0; }
.verdict.clear { border-color: #5DB665; background: #f0f8f1; }
.fiction { padding: 6px 12px; border: 1px dashed #666; background: #f6f6f6; margin: 8px 0; }
.legend span { display: inline-block; margin: 0 12px 4px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px;
  margin-right: 4px; }
svg text { font-family: inherit; }
.hop { cursor: pointer; } .hop:hover line, .hop:focus line { stroke: #1d2430; }
details { margin: 2px 0 2px 12px; } details[open] { background: #f7f8fa; }
table { border-collapse: collapse; margin: 6px 0; } td, th { padding: 3px 8px; border-bottom: 1px solid #e3e6ea;
  text-align: left; vertical-align: top; } th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #66707d; }
"""

SCRIPT = """
document.querySelectorAll('.hop').forEach(function (hop) {
  hop.addEventListener('click', function () {
    var box = document.getElementById(hop.getAttribute('data-details'));
    if (box) { box.open = true; box.scrollIntoView({block: 'nearest'}); }
  });
});
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def role_css() -> str:
    rules = [f".role-{r.key} {{ fill: {r.color}; stroke: {r.border}; }}" for r in (*ROLES, OTHER)]
    rules += [f".swatch.role-{r.key} {{ background: {r.color}; }}" for r in (*ROLES, OTHER)]
    return "\n".join(rules)


def role_key(ref: Ref) -> str:
    return ref.role if ref.role in BY_KEY else OTHER.key


def legend(keys: list[str]) -> str:
    items = [f'<span><i class="swatch role-{k}"></i>{esc(BY_KEY[k].label)}</span>' for k in dict.fromkeys(keys)]
    return f'<p class="legend">{"".join(items)}</p>'


def source_items(sources: list[SourceRef]) -> str:
    """Each source as a list item: its title linked to its URL, publisher and date."""
    if not sources:
        return "<li class='muted'>no source given</li>"
    items = []
    for s in sources:
        title = esc(s.title or s.name or s.id)
        link = f'<a href="{esc(s.url)}" rel="noreferrer">{title}</a>' if s.url else title
        extra = ", ".join(esc(x) for x in (s.publisher, s.published) if x)
        items.append(f"<li>{link}{' — ' + extra if extra else ''} <span class='muted'>({esc(s.id)})</span></li>")
    return "".join(items)


def document(title: str, body: str) -> str:
    """A complete page: nothing in it is fetched from anywhere when it is opened."""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{esc(title)}</title><style>{CSS}\n{role_css()}</style></head>\n"
        f"<body>\n{body}\n<script>{SCRIPT}</script>\n</body></html>\n"
    )
