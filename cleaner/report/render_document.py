"""Render one marked document (the `documents.jsonl` view dict) for a reviewer.

The view answers "what was removed from this page and why" and "which articles came out of
it": kept text plain, removed text struck through in its rule family's colour with the rule
id and evidence in a margin, a ruled header at each split point with the article's title and
near-duplicate group, and the encoding with how it was decided. A gutter marks removed blocks
with ``-`` so the plain-text rendering (no colours) says the same thing as the coloured one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from cleaner.report.rule_families import family_colour, family_of, rule_matches
from cleaner.report.safe_text import display_text, one_line

# How each `encoding_source` value (see `cleaner.document.EncodingGuess`) reads in a report.
ENCODING_SOURCES: Mapping[str, str] = {
    "bom": "byte-order mark",
    "declared": "charset declared by the page or HTTP header",
    "utf8": "bytes are valid UTF-8",
    "detector": "guessed by the encoding detector",
    "fallback": "nothing fit: decoded with replacement characters",
}

# Sources of a near-duplicate group listed under an article before "+N more": enough to
# answer "which sources carried this story" without burying the article text.
GROUP_SOURCES_SHOWN = 5

# Block kinds shown in bold: they structure the text a reviewer scans.
_HEADING_KINDS = frozenset({"title", "heading"})


@dataclass(frozen=True)
class BlockFilter:
    """Which blocks a review shows: all, removed only, or those removed by a rule/family."""

    removed_only: bool = False
    rule: str | None = None

    def shows(self, block: Mapping[str, Any]) -> bool:
        removed_by = block.get("rule")
        if self.rule is not None:
            return rule_matches(removed_by, self.rule)
        return removed_by is not None or not self.removed_only


@dataclass(frozen=True)
class RelatedArticles:
    """Other articles of the run, for the near-duplicate line under each article header."""

    # Near-duplicate group -> the sources of its articles.
    cluster_sources: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # Article id -> source, for the ids that duplicate and containment links point at.
    article_sources: Mapping[str, str] = field(default_factory=dict)
    # False for `cleaner diff`: one file cleaned alone was never compared with other
    # articles, and "none" would claim it had been.
    checked: bool = True


def render_document(
    view: Mapping[str, Any],
    block_filter: BlockFilter = BlockFilter(),
    related: RelatedArticles | None = None,
    article_id: str | None = None,
) -> RenderableType:
    """The whole review of one document view, as one renderable."""
    blocks = [block for block in view.get("blocks") or [] if isinstance(block, Mapping)]
    parts: list[RenderableType] = [_document_header(view, blocks)]
    # Said up front, so a reviewer does not scroll through hidden blocks to learn it.
    if not blocks:
        parts.append(Text("No blocks: nothing was extracted from this document.", style="dim"))
    elif not any(block_filter.shows(block) for block in blocks):
        parts.append(Text(_nothing_shown_message(block_filter), style="dim"))
    related = related or RelatedArticles()
    parts.extend(_article_sections(view, blocks, block_filter, related, article_id))
    return Group(*parts)


def _nothing_shown_message(block_filter: BlockFilter) -> str:
    if block_filter.rule is not None:
        return f"No block was removed by a rule matching {one_line(block_filter.rule)!r}."
    return "Nothing was removed from this document."


def _document_header(view: Mapping[str, Any], blocks: list[Mapping[str, Any]]) -> Table:
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column()
    header.add_row(Text("source"), display_text(view.get("source"), "bold"))
    header.add_row(Text("type"), Text(_shape_line(view, blocks)))
    header.add_row(Text("encoding"), _encoding_line(view))
    metadata = view.get("metadata")
    if isinstance(metadata, Mapping):
        for key, value in metadata.items():
            header.add_row(display_text(key), display_text(one_line(value, 200)))
    header.add_row(Text("removed"), _removed_line(blocks))
    return header


def _article_count(view: Mapping[str, Any], blocks: list[Mapping[str, Any]]) -> int:
    """Articles listed, or as many as the blocks point at if the list is short."""
    highest = max((_article_index(block) for block in blocks), default=0)
    return max(len(view.get("articles") or []), highest + 1, 1)


def _article_index(block: Mapping[str, Any]) -> int:
    index = block.get("article")
    return index if isinstance(index, int) and index >= 0 else 0


def _shape_line(view: Mapping[str, Any], blocks: list[Mapping[str, Any]]) -> str:
    articles = _article_count(view, blocks)
    removed = sum(1 for block in blocks if block.get("rule") is not None)
    return (
        f"{one_line(view.get('media_type') or 'unknown')} · "
        f"{_plural(articles, 'article')} · {_plural(len(blocks), 'block')}: "
        f"{len(blocks) - removed:,} kept, {removed:,} removed"
    )


def _encoding_line(view: Mapping[str, Any]) -> Text:
    encoding = view.get("encoding")
    if not encoding:
        return Text("not recorded (input was already text)", style="dim")
    source = view.get("encoding_source")
    how = ENCODING_SOURCES.get(str(source), f"decided by {one_line(source)!r}")
    line = Text.assemble(display_text(encoding, "bold"), f" — {how}")
    confidence = view.get("encoding_confidence")
    if isinstance(confidence, int | float):
        line.append(f" (confidence {confidence:.2f})")
    if source == "fallback":
        line.stylize("red")
    return line


def _removed_line(blocks: list[Mapping[str, Any]]) -> Text:
    """Characters removed in total and per rule, largest first; doubles as a colour legend."""
    total = sum(len(_block_text(block)) for block in blocks)
    by_rule: Counter[str] = Counter()
    for block in blocks:
        if block.get("rule") is not None:
            by_rule[one_line(block["rule"])] += len(_block_text(block))
    removed = sum(by_rule.values())
    share = f" ({removed / total:.1%})" if total else ""
    line = Text(f"{removed:,} of {total:,} chars{share}")
    for position, (rule, chars) in enumerate(_largest_first(by_rule)):
        line.append(": " if position == 0 else ", ")
        line.append(rule, style=f"bold {family_colour(rule)}")
        line.append(f" {chars:,}")
    return line


def _largest_first(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _article_sections(
    view: Mapping[str, Any],
    blocks: list[Mapping[str, Any]],
    block_filter: BlockFilter,
    related: RelatedArticles,
    article_id: str | None,
) -> Iterable[RenderableType]:
    """Blocks in reading order, cut into runs of one article; a header before each run."""
    articles = [a if isinstance(a, Mapping) else {} for a in view.get("articles") or []]
    seen: set[int] = set()
    count = _article_count(view, blocks)
    for index, run in _runs_by_article(blocks):
        article = articles[index] if 0 <= index < len(articles) else {}
        if not articles and count == 1:
            article = {"title": (view.get("metadata") or {}).get("title")}
        yield Text("")
        yield _split_rule(index, count, article, continued=index in seen, wanted=article_id)
        if index not in seen:
            yield _article_details(article, related)
        seen.add(index)
        yield _block_table(run, block_filter)


def _runs_by_article(blocks: list[Mapping[str, Any]]) -> Iterable[tuple[int, list]]:
    run: list[Mapping[str, Any]] = []
    current: int | None = None
    for block in blocks:
        index = _article_index(block)
        if run and index != current:
            yield current, run
            run = []
        current = index
        run.append(block)
    if run:
        yield current, run


def _split_rule(
    index: int, count: int, article: Mapping[str, Any], *, continued: bool, wanted: str | None
) -> Rule:
    title = Text(f"article {index + 1}/{count}", style="bold")
    if continued:
        title.append(" (continued)", style="dim")
    if article.get("title"):
        title.append(" · ")
        title.append(one_line(article["title"], 120), style="bold")
    if wanted is not None and article.get("id") == wanted:
        title.append(" ◀ requested", style="reverse")
    return Rule(title, characters="═", align="left", style="dim")


def _article_details(article: Mapping[str, Any], related: RelatedArticles) -> Text:
    facts = [
        f"{label} {one_line(article[key], 80)}"
        for key, label in (("id", "id"), ("published", "published"), ("author", "by"))
        if article.get(key)
    ]
    line = Text()
    if facts:
        line.append(" · ".join(facts) + "\n", style="dim")
    line.append_text(_near_duplicates(article, related))
    return line


# Links from an article to an earlier one, as articles.jsonl names them, and how they read.
# The record's one `similarity` belongs to whichever link it has: Jaccard for a duplicate,
# the share of the shorter text found in the longer one for containment.
_LINKS = (
    ("duplicate_of", "duplicate of", "similarity"),
    ("contained_in", "contained in", "containment"),
    ("contains", "contains", "containment"),
)


def _near_duplicates(article: Mapping[str, Any], related: RelatedArticles) -> Text:
    cluster = article.get("cluster")
    links = [(key, label, measure) for key, label, measure in _LINKS if article.get(key)]
    if cluster is None and not links:
        if not related.checked:
            return Text.assemble(("near-duplicates: ", "bold"), ("not checked", "dim"))
        return Text.assemble(("near-duplicates: ", "bold"), ("none", "green"))
    parts: list[Text] = []
    if cluster is not None:
        group = Text(f"group {one_line(cluster)}", style="bold yellow")
        sources = related.cluster_sources.get(str(cluster), ())
        if sources:
            group.append(f" ({_plural(len(sources), 'article')}: {_list_sources(sources)})")
        parts.append(group)
    similarity = article.get("similarity")
    for key, label, measure in links:
        other = str(article[key])
        link = Text(f"{label} {one_line(other)}", style="bold")
        if other in related.article_sources:
            link.append(f" [{one_line(related.article_sources[other], 80)}]")
        if isinstance(similarity, int | float):
            link.append(f" ({measure} {similarity:.2f})")
        parts.append(link)
    return Text.assemble(("near-duplicates: ", "bold"), Text(" · ").join(parts))


def _list_sources(sources: Sequence[str]) -> str:
    shown = ", ".join(one_line(source, 80) for source in sources[:GROUP_SOURCES_SHOWN])
    hidden = len(sources) - GROUP_SOURCES_SHOWN
    return shown + (f", +{hidden} more" if hidden > 0 else "")


class MarkedText:
    """Text with a one-cell mark before every line it wraps into, like a diff's ``-``.

    A mark on the first line only would leave the wrapped lines of a removed paragraph
    looking kept whenever colours are off (NO_COLOR, a pipe, a golden file).
    """

    def __init__(self, text: Text, mark: str = " ", mark_style: str = "") -> None:
        self.text = text
        self.mark = mark
        self.mark_style = mark_style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - 2, 1)
        lines = console.render_lines(self.text, options.update(width=width), pad=False)
        gutter = [Segment(self.mark, console.get_style(self.mark_style)), Segment(" ")]
        for line in lines:
            yield from gutter
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        text_width = Measurement.get(console, options, self.text)
        return Measurement(text_width.minimum + 2, text_width.maximum + 2).with_maximum(
            options.max_width
        )


def _block_table(run: list[Mapping[str, Any]], block_filter: BlockFilter) -> Table:
    # A blank line after each block: consecutive paragraphs of wrapped Chinese text would
    # otherwise run together, and a reviewer must see where one block (and its rule) ends.
    table = Table.grid(expand=True, padding=(0, 1, 1, 0), collapse_padding=False)
    table.add_column(ratio=2)  # the text, marked "-" when removed
    table.add_column(ratio=1, overflow="fold")  # margin: rule id and evidence
    hidden = 0
    for block in run:
        if not block_filter.shows(block):
            hidden += 1
            continue
        if hidden:
            table.add_row(_hidden_note(hidden), Text(""))
            hidden = 0
        table.add_row(*_block_row(block))
    if hidden:
        table.add_row(_hidden_note(hidden), Text(""))
    return table


def _hidden_note(count: int) -> Text:
    return Text(f"  … {_plural(count, 'block')} not shown", style="dim italic")


def _block_row(block: Mapping[str, Any]) -> tuple[MarkedText, Text]:
    rule = block.get("rule")
    text = _block_text(block)
    kind = one_line(block.get("kind") or "")
    if rule is None:
        style = "bold" if kind in _HEADING_KINDS else ""
        margin = display_text(kind if kind and kind != "paragraph" else "", "dim")
        return MarkedText(_folding(display_text(text, style))), margin
    colour = family_colour(str(rule))
    margin = display_text(rule, f"bold {colour}")
    stage = block.get("stage")
    if stage and stage != family_of(str(rule)):
        margin.append(f" (by {one_line(stage)})", style="dim")
    if block.get("detail"):
        margin.append("\n")
        margin.append_text(display_text(block["detail"], "dim"))
    shown = _folding(display_text(text, f"strike dim {colour}"))
    return MarkedText(shown, "-", f"bold {colour}"), margin


def _folding(text: Text) -> Text:
    """Chinese text has no spaces to wrap at: fold it at the edge rather than cut it."""
    text.overflow = "fold"
    return text


def _block_text(block: Mapping[str, Any]) -> str:
    text = block.get("text")
    return text if isinstance(text, str) else ""


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
