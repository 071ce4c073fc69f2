"""A finished run as HTML: a summary page linking one review page per document.

`cleaner report OUT --html run.html` writes `run.html` and, beside it, `run-documents/`
with one review per document (the first `HtmlRunSettings.documents_linked` of them). The
summary page has the counts, the removals by rule as an inline SVG bar chart, encodings,
near-duplicate groups with their members side by side (each linking to its review), the
documents with what each kept and lost, the slowest files and errors by type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.report.html_page import (
    CSS_COLOURS,
    family_class,
    family_css,
    known_family_colours,
    page,
    text,
)
from cleaner.report.html_review import document_page
from cleaner.report.review_facts import RelatedArticles, plural
from cleaner.report.review_plan import Folding, plan_document
from cleaner.report.rule_families import family_colour, family_of
from cleaner.report.run_files import DuplicateGroup, RunData, RunLinks
from cleaner.report.safe_text import one_line


@dataclass(frozen=True)
class HtmlRunSettings:
    # Documents that get their own review page. A review of a mostly-chrome page is about
    # 150 KB (163.com: 819 blocks), so 500 pages stay under ~75 MB; the rest are listed,
    # and `cleaner report OUT --source PATH --html page.html` reviews any one of them.
    documents_linked: int = 500
    # Rules drawn in the removal chart; the table under it lists every rule.
    chart_rules: int = 20
    # Width of the chart's bar area and the room for its labels, in SVG user units (px).
    chart_bar_width: int = 420
    chart_label_width: int = 250
    chart_row_height: int = 22


DEFAULT_HTML_RUN = HtmlRunSettings()


@dataclass(frozen=True)
class DocumentRow:
    source: str
    articles: int
    kept_chars: int
    removed_chars: int
    top_rule: str
    link: str | None


def document_pages(
    views: Iterator[Mapping[str, Any]],
    links: RunLinks,
    folder: str,
    settings: HtmlRunSettings = DEFAULT_HTML_RUN,
) -> Iterator[tuple[str, str] | DocumentRow]:
    """For each document view: its review page (relative path, HTML), then its row."""
    related = RelatedArticles(links.cluster_sources, links.source_of)
    for number, view in enumerate(views):
        link = f"{folder}/{number + 1:05d}.html" if number < settings.documents_linked else None
        articles = [
            {**a, **links.containment.get(str(a.get("id")), {})}
            for a in view.get("articles") or []
            if isinstance(a, Mapping)
        ]
        plan = plan_document({**view, "articles": articles}, folding=Folding())
        if link is not None:
            title = f"cleaner review · {one_line(view.get('source'))}"
            yield link, document_page(plan, related, title)
        top = plan.removed_by_rule[0].rule if plan.removed_by_rule else ""
        yield DocumentRow(
            source=one_line(view.get("source")),
            articles=max(len(articles), 1),
            kept_chars=plan.total_chars - plan.removed_chars,
            removed_chars=plan.removed_chars,
            top_rule=top,
            link=link,
        )


def summary_page(
    run: RunData,
    out_dir: Path,
    rows: Sequence[DocumentRow],
    unlinked: int = 0,
    settings: HtmlRunSettings = DEFAULT_HTML_RUN,
) -> str:
    """The summary page; `rows` are the documents with a review page, `unlinked` the rest."""
    summary = run.summary
    by_rule = _number_map(summary.get("removed_by_rule"))
    families = sorted({family_of(rule) for rule in by_rule})
    colours = {family: family_colour(family) for family in families}
    colours.update({k: v for k, v in known_family_colours().items() if k in colours})
    link_of = {row.source: row.link for row in rows if row.link}
    title = f"cleaner run · {one_line(out_dir)}"
    body = "\n".join(
        part
        for part in (
            f"<header><h1>{text(title)}</h1>{_run_facts(summary)}</header>",
            "<main>",
            _counts(_number_map(summary.get("counts"))),
            _removals(by_rule, settings),
            _encodings(_number_map(summary.get("encodings"))),
            _groups(run.groups, link_of),
            _documents(rows, unlinked, settings),
            _slowest(summary.get("slowest"), link_of),
            _errors(_number_map(summary.get("errors_by_type")), run.error_examples),
            "</main>",
        )
        if part
    )
    return page(text(title), body, extra_css=family_css(families, colours))


def _number_map(value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        return {}
    return {
        one_line(key): number
        for key, number in value.items()
        if isinstance(number, int | float) and not isinstance(number, bool)
    }


def _run_facts(summary: Mapping[str, Any]) -> str:
    inputs = summary.get("inputs") if isinstance(summary.get("inputs"), list) else []
    versions = summary.get("versions") if isinstance(summary.get("versions"), Mapping) else {}
    version_text = ", ".join(f"{one_line(k)} {one_line(v)}" for k, v in versions.items())
    return (
        '<dl class="facts">'
        f"<dt>inputs</dt><dd>{text(', '.join(one_line(i, 200) for i in inputs) or '—')}</dd>"
        f"<dt>versions</dt><dd>{text(version_text or '—')}</dd></dl>"
    )


def _table(
    caption: str, headings: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]
) -> str:
    def cell(tag: str, index: int, value: str) -> str:
        kind = ' class="number"' if index in numeric else ""
        return f"<{tag}{kind}>{value}</{tag}>"

    head = "".join(cell("th", i, text(h)) for i, h in enumerate(headings))
    body = "\n".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"
    return f"<section><h2>{text(caption)}</h2>{table}</section>"


def _counts(counts: Mapping[str, float]) -> str:
    chars_in, chars_out = counts.get("chars_in", 0), counts.get("chars_out", 0)
    rows = [
        (text(key.replace("_", " ")), f"{value:,.0f}", "")
        for key, value in counts.items()
        if not key.startswith("chars_")
    ]
    share = (lambda part: f"{part / chars_in:.1%}") if chars_in else (lambda part: "")
    rows += [
        ("chars in", f"{chars_in:,.0f}", ""),
        ("chars kept", f"{chars_out:,.0f}", share(chars_out)),
        (
            "chars removed",
            f"{max(chars_in - chars_out, 0):,.0f}",
            share(max(chars_in - chars_out, 0)),
        ),
    ]
    return _table("Counts", ("", "count", "share"), rows, {1, 2})


def _removals(by_rule: Mapping[str, float], settings: HtmlRunSettings) -> str:
    if not by_rule:
        return "<section><h2>Removed by rule</h2><p>Nothing was removed.</p></section>"
    ordered = sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
    total = sum(by_rule.values())
    chart = removal_chart(ordered[: settings.chart_rules], settings)
    rows = [
        (f'<span class="{family_class(rule)}"><span class="swatch"></span>{text(rule)}</span>',
         f"{chars:,.0f}", f"{chars / total:.1%}")
        for rule, chars in ordered
    ]  # fmt: skip
    table = _table("Every rule", ("rule", "chars", "share"), rows, {1, 2})
    return f"<section><h2>Removed by rule</h2>\n{chart}\n{table}</section>"


def removal_chart(rows: Sequence[tuple[str, float]], settings: HtmlRunSettings) -> str:
    """Horizontal bars, one per rule, in its family's colour: an inline SVG, no script."""
    largest = max((chars for _, chars in rows), default=0) or 1
    height = settings.chart_row_height
    label, bar = settings.chart_label_width, settings.chart_bar_width
    width = label + bar + 90
    parts = [
        f'<svg class="chart" role="img" '
        f'viewBox="0 0 {width} {height * len(rows) + 4}" width="{width}" '
        f'style="max-width: 100%; height: auto" aria-label="characters removed by rule">'
    ]
    for index, (rule, chars) in enumerate(rows):
        y = index * height + 2
        length = max(chars / largest * bar, 1)
        colour = CSS_COLOURS.get(family_colour(rule), "#6b6b6b")
        baseline = f"{y + height * 0.68:.1f}"
        parts.append(
            f"<g><title>{text(rule)}: {chars:,.0f} characters</title>"
            f'<text x="{label - 8}" y="{baseline}" text-anchor="end">{text(rule)}</text>'
            f'<rect x="{label}" y="{y + 3}" width="{length:.1f}" height="{height - 6}" '
            f'rx="2" fill="{colour}"></rect>'
            f'<text x="{label + length + 6:.1f}" y="{baseline}">{chars:,.0f}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _encodings(encodings: Mapping[str, float]) -> str:
    if not encodings:
        return ""
    rows = [
        (text(name), f"{files:,.0f}")
        for name, files in sorted(encodings.items(), key=lambda i: -i[1])
    ]
    return _table("Encodings", ("encoding", "files"), rows, {1})


def _groups(groups: Sequence[DuplicateGroup], link_of: Mapping[str, str]) -> str:
    if not groups:
        return (
            "<section><h2>Near-duplicate groups</h2><p>None: no story appeared twice.</p></section>"
        )
    sections = []
    for group in groups:
        members = []
        for member in group.members:
            source = text(member.source)
            link = link_of.get(member.source)
            if link:
                source = f'<a href="{text(link)}">{source}</a>'
            similarity = (
                f"<br>similarity {member.similarity:.2f} to {text(member.duplicate_of)}"
                if member.duplicate_of is not None and member.similarity is not None
                else "<br>first seen"
                if member.duplicate_of is None
                else ""
            )
            members.append(
                f'<div class="member"><div class="source">{source}</div>'
                f"<b>{text(member.title or '(untitled)')}</b>"
                f'<p class="note">id {text(member.id)}{similarity}</p></div>'
            )
        sections.append(
            f'<section class="group panel" id="group-{text(group.cluster)}"><h3>group '
            f"{text(group.cluster)} · {plural(len(group.members), 'article')}</h3>"
            f'<div class="members">{"".join(members)}</div></section>'
        )
    return (
        f"<section><h2>Near-duplicate groups ({len(groups):,}), largest first</h2>"
        f'<div class="groups">{"".join(sections)}</div></section>'
    )


def _documents(rows: Sequence[DocumentRow], unlinked: int, settings: HtmlRunSettings) -> str:
    if not rows:
        return ""
    table_rows = []
    for row in rows:
        source = text(row.source)
        if row.link:
            source = f'<a href="{text(row.link)}">{source}</a>'
        top = ""
        if row.top_rule:
            swatch = '<span class="swatch"></span>'
            top = f'<span class="{family_class(row.top_rule)}">{swatch}{text(row.top_rule)}</span>'
        numbers = (f"{row.articles:,}", f"{row.kept_chars:,}", f"{row.removed_chars:,}")
        table_rows.append((source, *numbers, top))
    note = ""
    if unlinked:
        note = (
            f'<p class="note">{plural(unlinked, "more document")} past the first '
            f"{settings.documents_linked:,}: <code>cleaner report OUT --source PATH --html "
            "page.html</code> reviews any one of them.</p>"
        )
    table = _table(
        f"Documents ({len(rows) + unlinked:,})",
        ("source", "articles", "kept chars", "removed chars", "removed most by"),
        table_rows,
        {1, 2, 3},
    )
    return table + note


def _slowest(slowest: Any, link_of: Mapping[str, str]) -> str:
    rows = []
    for row in slowest or []:
        if not isinstance(row, Mapping):
            continue
        source = one_line(row.get("source"))
        shown = text(source)
        if source in link_of:
            shown = f'<a href="{text(link_of[source])}">{shown}</a>'
        seconds = row.get("seconds")
        rows.append((shown, f"{seconds:.3f}" if isinstance(seconds, int | float) else ""))
    return _table("Slowest files", ("source", "CPU seconds"), rows, {1}) if rows else ""


def _errors(by_type: Mapping[str, float], examples: Mapping[str, tuple[str, str]]) -> str:
    if not by_type:
        return ""
    rows = []
    for kind, count in sorted(by_type.items(), key=lambda item: (-item[1], item[0])):
        source, message = examples.get(kind, ("", ""))
        example = text(source) + (
            f'<br><span class="note">{text(message)}</span>' if message else ""
        )
        rows.append((f'<span class="alarm">{text(kind)}</span>', f"{count:,.0f}", example))
    return _table("Errors by type (errors.jsonl)", ("error", "count", "example"), rows, {1})
