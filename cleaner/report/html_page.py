"""The frame every HTML report shares: escaping, the page shell, its style sheet.

Pages are written as semantic HTML (headings, lists, tables, `<details>`), styled by one
embedded style sheet and never scripted: the Content-Security-Policy allows inline styles and
nothing else, so even a bug in escaping could not run a scraped `<script>`, fetch a
resource or load a frame. Every value from a page or a run's files goes through `text()`:
control characters stripped (as in the terminal), then HTML-escaped, quotes included.
"""

from __future__ import annotations

import html

from cleaner.report.rule_families import RULE_FAMILIES, family_of
from cleaner.report.safe_text import strip_control

CSP = "default-src 'none'; style-src 'unsafe-inline'"

# The terminal colour of each family, as a CSS colour readable on white and on the dark
# background: the same family is the same hue in both reports.
CSS_COLOURS = {
    "blue": "#2f6fc6",
    "yellow": "#a86b00",
    "cyan": "#0f8a95",
    "red": "#c62828",
    "magenta": "#a3369c",
    "bright_cyan": "#2a9d8f",
    "green": "#2e7d32",
    "bright_blue": "#5468d4",
    "bright_red": "#d84315",
    "bright_magenta": "#b5489d",
    "bright_yellow": "#8d7b00",
    "bright_green": "#558b2f",
    "purple": "#6a3fb5",
}
_FALLBACK_CSS_COLOUR = "#6b6b6b"


def text(value: object) -> str:
    """A scraped or recorded value as HTML text: controls stripped, markup escaped."""
    return html.escape(strip_control("" if value is None else str(value)), quote=True)


def css_class(name: object) -> str:
    """A value made safe as one class token or id part: letters, digits, '-' and '_' only."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in str(name))
    return cleaned.strip("-") or "x"


def family_class(rule: str) -> str:
    return f"fam-{css_class(family_of(rule))}"


def family_css(families: list[str], colour_of: dict[str, str]) -> str:
    """Colour variables per family, and the CSS-only filters: unticking a family's box in the
    legend hides its blocks and folds (`:has()`, no script)."""
    rules = []
    for family in families:
        name = css_class(family)
        colour = CSS_COLOURS.get(colour_of.get(family, ""), _FALLBACK_CSS_COLOUR)
        rules.append(f".fam-{name} {{ --fam: {colour}; }}")
        rules.append(f"body:has(#show-{name}:not(:checked)) main .fam-{name} {{ display: none; }}")
    return "\n".join(rules)


def known_family_colours() -> dict[str, str]:
    return {family.name: family.colour for family in RULE_FAMILIES}


def page(title: str, body: str, *, lang: str = "und", extra_css: str = "") -> str:
    """A whole page: `title` and `body` must already be escaped HTML."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{css_class(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{STYLE}\n{extra_css}\n</style>\n</head>\n"
        f'<body>\n<div class="page">\n{body}\n</div>\n</body>\n</html>\n'
    )


STYLE = """\
:root {
  color-scheme: light dark;
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
  --kept: #1f2328;
}
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
          --kept: #e6edf3; }
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 16px/1.75 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC",
        "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
.page { max-width: 75rem; margin: 0 auto; padding: 1.25rem 1.5rem 4rem; }
h1 { font-size: 1.35rem; margin: 0 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0; }
h3 { font-size: 1.05rem; margin: .9rem 0 .3rem; }
a { color: inherit; }
/* Chinese and Japanese rules for line breaks: never a closing mark at the start of a line,
   never an opening one at its end; a long URL may still break anywhere. */
p, li, td, dd, summary, .text { line-break: strict; word-break: normal;
  overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .1rem 1rem;
  margin: 0 0 1rem; font-size: .9rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.alarm { color: #c62828; font-weight: 600; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: .75rem 1rem; margin: 0 0 1rem; }
.legend ul { list-style: none; margin: .25rem 0 0; padding: 0; display: flex;
  flex-wrap: wrap; gap: .35rem 1.25rem; }
.legend label { cursor: pointer; white-space: nowrap; }
.legend .rules { font-size: .85rem; color: var(--muted); display: block; white-space: normal; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  background: var(--fam); vertical-align: -.05em; margin-right: .3em; }
nav.toc ol { margin: .25rem 0 0; padding-left: 1.5rem; }
article.article { border-top: 3px double var(--line); padding-top: .75rem; margin-top: 1.5rem; }
article.article > header .facts { color: var(--muted); font-size: .9rem; margin: .1rem 0; }
hr.split { border: 0; border-top: 2px dashed var(--line); margin: 2rem 0 0; }
.requested { outline: 3px solid #d29922; outline-offset: 4px; }
.kept { color: var(--kept); margin: .55rem 0; }
.kind { font-size: .75rem; color: var(--muted); margin-left: .5rem; }
.block.removed { display: grid; grid-template-columns: minmax(0, 1fr) minmax(10rem, 18rem);
  gap: 0 1.25rem; margin: .3rem 0; padding: .1rem 0 .1rem .6rem;
  border-left: 4px solid var(--fam); }
.block.removed .text { color: var(--fam); margin: 0; }
.block.removed .text::before { content: "− "; font-weight: 700; }
.note { font-size: .8rem; color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.note .rule { color: var(--fam); font-weight: 600; }
details.fold { margin: .3rem 0; border-left: 4px solid var(--fam); padding-left: .6rem; }
details.fold > summary { cursor: pointer; color: var(--muted); }
details.fold > summary .rule { color: var(--fam); font-weight: 600; }
details.fold > summary .sample { color: var(--fam); opacity: .85; }
details.fold[open] > summary { margin-bottom: .3rem; }
details.fold .block.removed { border-left-width: 2px; }
body:has(#show-removed:not(:checked)) main .removed,
body:has(#show-removed:not(:checked)) main details.fold { display: none; }
table { border-collapse: collapse; margin: .25rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; padding: .2rem .75rem .2rem 0; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--fg); }
.groups { display: grid; gap: 1rem; }
.group .members { display: grid; gap: .75rem;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.member { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.member .source { font-family: ui-monospace, monospace; font-size: .8rem; color: var(--muted);
  overflow-wrap: anywhere; }
@media (max-width: 720px) {
  .page { padding: .75rem .9rem 3rem; }
  .block.removed { grid-template-columns: minmax(0, 1fr); }
  dl.facts { grid-template-columns: minmax(0, 1fr); }
  dl.facts dd { margin-bottom: .3rem; }
}
"""
