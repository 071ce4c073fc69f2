"""One document's review as an HTML page, laid out from the same plan as the terminal's.

The page reads like the article: kept text as paragraphs that reflow to the window, each
removed block beside its rule and evidence (a side note on a wide screen, under the text on
a phone), each folded run a `<details>` that opens on a click. On top: what the page is, how
its encoding was decided, its near-duplicate groups, a legend of rule families whose boxes
hide a family's blocks (CSS only), and a table of contents when the page holds several
articles. Every article and split point has an anchor (`#article-2`, `#split-2`), every fold
too (`#fold-3`), so a reviewer can link to what they mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cleaner.report.html_page import (
    family_class,
    family_css,
    known_family_colours,
    page,
    text,
)
from cleaner.report.review_facts import (
    RelatedArticles,
    article_facts,
    encoding_facts,
    near_duplicate_facts,
    plural,
    shape_line,
)
from cleaner.report.review_plan import (
    ArticleSection,
    DocumentPlan,
    FoldedRun,
    HiddenBlocks,
    KeptBlock,
    RemovedBlock,
    block_text,
    fold_sample,
    rule_reason,
)
from cleaner.report.rule_families import family_colour, family_of
from cleaner.report.safe_text import one_line
from cleaner.text import is_mostly_latin

# Characters of a folded run quoted in its summary line (the terminal's limit is width).
FOLD_SAMPLE_CHARS = 120
# Kinds of kept blocks set as headings.
_HEADING_KINDS = frozenset({"title", "heading"})


def document_page(plan: DocumentPlan, related: RelatedArticles, title: str) -> str:
    """The whole page for one planned document."""
    families = [family for family, _, _ in plan.family_totals()]
    colours = {family: family_colour(family) for family in families}
    colours.update({k: v for k, v in known_family_colours().items() if k in colours})
    body = "\n".join(
        [
            f"<header>\n<h1>{text(title)}</h1>",
            _facts(plan, related),
            _legend(plan),
            _table_of_contents(plan),
            "</header>",
            "<main>",
            *(_section(section, related) for section in plan.sections),
            "</main>",
        ]
    )
    return page(text(title), body, lang=_language(plan), extra_css=family_css(families, colours))


def _language(plan: DocumentPlan) -> str:
    """zh when the kept text is mostly Chinese: browsers pick CJK fonts and line breaking
    by the language. The run's own answer when documents.jsonl has one (since `lang` was
    added to it), else a guess from the kept text."""
    if plan.view.get("lang"):
        return str(plan.view["lang"])
    sample = "".join(block_text(block) for block in plan.blocks[:200] if block.get("rule") is None)
    return "en" if sample and is_mostly_latin(sample) else "zh"


def _facts(plan: DocumentPlan, related: RelatedArticles) -> str:
    view = plan.view
    encoding, how, alarming = encoding_facts(view)
    encoding_html = f"<b>{text(encoding)}</b> — {text(how)}" if encoding else text(how)
    rows = [
        ("source", f"<b>{text(view.get('source'))}</b>"),
        ("type", text(shape_line(plan))),
        ("encoding", f'<span class="alarm">{encoding_html}</span>' if alarming else encoding_html),
    ]
    rows.extend(_duplicate_rows(plan, related))
    metadata = view.get("metadata")
    if isinstance(metadata, Mapping):
        rows.extend((one_line(key), text(one_line(value, 300))) for key, value in metadata.items())
    items = "\n".join(f"<dt>{text(name)}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<dl class="facts">\n{items}\n</dl>'


def _duplicate_rows(plan: DocumentPlan, related: RelatedArticles) -> list[tuple[str, str]]:
    """Near-duplicates at the top: one row, or one per article of a multi-article page."""
    sections = [section for section in plan.sections if not section.continued]
    facts = [near_duplicate_facts(section.article, related) for section in sections]
    if len(sections) > 1 and not any(parts for _, parts in facts):
        # "none" five times over says less than once.
        return [("near-duplicates", _duplicates(sections[0].article, related))]
    rows = []
    for section in sections:
        label = "near-duplicates"
        if len(sections) > 1:
            label = f"article {section.index + 1}"
        rows.append((label, _duplicates(section.article, related)))
    return rows


def _duplicates(article: Mapping[str, Any], related: RelatedArticles) -> str:
    summary, parts = near_duplicate_facts(article, related)
    if not parts:
        return f'<span class="muted">{text(summary)}</span>'
    return " · ".join(f"<b>{text(part)}</b>" for part, _ in parts)


def _legend(plan: DocumentPlan) -> str:
    removed, total = plan.removed_chars, plan.total_chars
    share = f" ({removed / total:.1%})" if total else ""
    head = f"<h2>Removed: {removed:,} of {total:,} characters{share}</h2>"
    if not plan.removed_by_rule:
        return f'<section class="legend panel">{head}<p>Nothing was removed.</p></section>'
    entries = [
        '<li><label><input type="checkbox" id="show-removed" checked> '
        "show removed text</label></li>"
    ]
    for family, blocks, chars in plan.family_totals():
        rules = [t for t in plan.removed_by_rule if family_of(t.rule) == family]
        rule_list = ", ".join(
            f'<span title="{text(t.reason)}">{text(t.rule)} {t.chars:,}</span>' for t in rules
        )
        entries.append(
            f'<li class="{family_class(family)}"><label><input type="checkbox" '
            f'id="show-{family_class(family)[4:]}" checked> <span class="swatch"></span>'
            f"<b>{text(family)}</b> {plural(blocks, 'block')}, {chars:,} chars"
            f'<span class="rules">{rule_list}</span></label></li>'
        )
    hint = '<p class="note">Untick a family to hide its blocks; a folded run opens on a click.</p>'
    return (
        f'<section class="legend panel">{head}\n<ul>\n'
        + "\n".join(entries)
        + f"\n</ul>{hint}</section>"
    )


def _table_of_contents(plan: DocumentPlan) -> str:
    sections = [section for section in plan.sections if not section.continued]
    if len(sections) < 2:
        return ""
    titles = [one_line(section.article.get("title"), 120) or "(untitled)" for section in sections]
    items = "\n".join(
        f'<li><a href="#{section.anchor}">{text(title)}</a></li>'
        for section, title in zip(sections, titles, strict=True)
    )
    return f'<nav class="toc panel"><h2>Articles</h2>\n<ol>\n{items}\n</ol></nav>'


def _section(section: ArticleSection, related: RelatedArticles) -> str:
    title = one_line(section.article.get("title"), 200)
    label = f"article {section.index + 1}/{section.count}"
    if section.continued:
        label += " (continued)"
    heading = f'<a href="#{section.anchor}">{text(label)}</a>'
    if title:
        heading += f" · {text(title)}"
    parts = []
    if section.index > 0 and not section.continued:
        parts.append(f'<hr class="split" id="split-{section.index + 1}">')
    requested = " requested" if section.requested else ""
    parts.append(f'<article class="article{requested}" id="{section.anchor}">')
    parts.append(f"<header><h2>{heading}</h2>")
    if not section.continued:
        facts = article_facts(section.article)
        if facts:
            parts.append(f'<p class="facts">{text(" · ".join(facts))}</p>')
        parts.append(
            f'<p class="facts">near-duplicates: {_duplicates(section.article, related)}</p>'
        )
    parts.append("</header>")
    parts.extend(_items(section.items))
    parts.append("</article>")
    return "\n".join(parts)


def _items(items: Iterable[Any]) -> Iterable[str]:
    for item in items:
        if isinstance(item, KeptBlock):
            yield _kept(item.block)
        elif isinstance(item, RemovedBlock):
            yield _removed(item.block)
        elif isinstance(item, FoldedRun):
            yield _fold(item)
        elif isinstance(item, HiddenBlocks):
            yield f'<p class="note">… {plural(item.count, "block")} not shown</p>'


def _kept(block: Mapping[str, Any]) -> str:
    kind = one_line(block.get("kind") or "")
    paragraphs = text(block_text(block)).replace("\n", "<br>")
    label = f'<span class="kind">{text(kind)}</span>' if kind and kind != "paragraph" else ""
    if kind in _HEADING_KINDS:
        return f'<h3 class="kept">{paragraphs}{label}</h3>'
    return f'<p class="kept">{paragraphs}{label}</p>'


def _removed(block: Mapping[str, Any], *, with_reason: bool = True) -> str:
    """A removed block beside its rule and evidence; the rule's reason is its tooltip
    (left out inside a fold, whose summary says it once for hundreds of blocks)."""
    rule = one_line(block.get("rule"))
    stage = block.get("stage")
    by = f" (by {text(stage)})" if stage and stage != family_of(rule) else ""
    detail = f"<br>{text(block.get('detail'))}" if block.get("detail") else ""
    reason = rule_reason(rule) if with_reason else None
    tooltip = f' title="{text(reason)}"' if reason else ""
    return (
        f'<div class="block removed {family_class(rule)}"{tooltip}>'
        f'<p class="text">{text(block_text(block)).replace(chr(10), "<br>")}</p>'
        f'<p class="note"><span class="rule">{text(rule)}</span>{by}{detail}</p></div>'
    )


def _fold(run: FoldedRun) -> str:
    if len(run.rules) == 1:
        what = f'<span class="rule">{text(run.rule)}</span>'
        if run.reason:
            what += f": {text(run.reason)}"
    else:
        what = ", ".join(
            f'<span class="rule {family_class(t.rule)}">{text(t.rule)}</span> {t.blocks:,}'
            for t in run.rules
        )
    sample = text(fold_sample(run, FOLD_SAMPLE_CHARS))
    summary = (
        f"<summary><b>{plural(len(run.blocks), 'block')}, {run.chars:,} chars</b> — {what} "
        f'<span class="sample">⟨{sample}⟩</span></summary>'
    )
    blocks = "\n".join(_removed(block, with_reason=False) for block in run.blocks)
    return (
        f'<details class="fold removed {family_class(run.rule)}" id="{run.anchor}">'
        f"{summary}\n{blocks}\n</details>"
    )
