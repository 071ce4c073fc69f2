"""Render one marked document (the `documents.jsonl` view dict) for a reviewer's terminal.

The review answers "what was kept, what was removed from this page and why": the header
says what the page is, how its encoding was decided and what each rule family removed;
then each article in reading order, its kept text whole, each removed block marked ``-`` in
the gutter in its rule family's colour with the rule id and evidence in the margin, and each
run of blocks removed by one rule folded into one line (see `review_plan`). The gutter says
the same as the colours, so the plain rendering (NO_COLOR, a pipe, a golden file) is
complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import zip_longest
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from cleaner.report.line_breaking import wrap_text
from cleaner.report.review_facts import (
    RelatedArticles,
    article_facts,
    encoding_facts,
    near_duplicate_facts,
    plural,
    shape_line,
)
from cleaner.report.review_plan import (
    DEFAULT_SETTINGS,
    ArticleSection,
    DocumentPlan,
    FoldedRun,
    HiddenBlocks,
    KeptBlock,
    RemovedBlock,
    ReviewSettings,
    block_text,
    fold_sample,
)
from cleaner.report.rule_families import family_colour, family_of
from cleaner.report.safe_text import display_text, one_line

# Block kinds shown in bold: they structure the text a reviewer scans.
_HEADING_KINDS = frozenset({"title", "heading"})
# The margin beside the text holds the rule id and its evidence: a third of the width,
# within bounds that keep a rule id on one line and leave the text most of a wide screen.
MARGIN_SHARE = 3
MARGIN_MIN, MARGIN_MAX = 24, 44


def render_document(
    plan: DocumentPlan,
    related: RelatedArticles | None = None,
    settings: ReviewSettings = DEFAULT_SETTINGS,
) -> RenderableType:
    """The whole review of one planned document, as one renderable."""
    related = related or RelatedArticles()
    parts: list[RenderableType] = [_document_header(plan)]
    # Said up front, so a reviewer does not scroll through hidden blocks to learn it.
    if not plan.blocks:
        parts.append(Text("No blocks: nothing was extracted from this document.", style="dim"))
    elif plan.nothing_shown:
        parts.append(Text(_nothing_shown_message(plan), style="dim"))
    for section in plan.sections:
        parts.append(Text(""))
        parts.append(_split_rule(section))
        if not section.continued:
            parts.append(_article_details(section.article, related))
        parts.append(SectionRows(section, settings))
    return Group(*parts)


def _nothing_shown_message(plan: DocumentPlan) -> str:
    if plan.block_filter.rule is not None:
        return f"No block was removed by a rule matching {one_line(plan.block_filter.rule)!r}."
    return "Nothing was removed from this document."


def _document_header(plan: DocumentPlan) -> Table:
    view = plan.view
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column()
    header.add_row(Text("source"), display_text(view.get("source"), "bold"))
    header.add_row(Text("type"), Text(shape_line(plan)))
    encoding, how, alarming = encoding_facts(view)
    line = Text.assemble(display_text(encoding, "bold"), f" — {how}") if encoding else Text(how)
    if alarming:
        line.stylize("red")
    if not encoding:
        line.stylize("dim")
    header.add_row(Text("encoding"), line)
    metadata = view.get("metadata")
    if isinstance(metadata, Mapping):
        for key, value in metadata.items():
            header.add_row(display_text(key), display_text(one_line(value, 200)))
    header.add_row(Text("removed"), _removed_line(plan))
    folds = plan.folds()
    if folds:
        header.add_row(Text("folded"), _folded_line(folds))
    return header


def _removed_line(plan: DocumentPlan) -> Text:
    """Characters removed in total, per family (the colour legend) and per rule."""
    removed, total = plan.removed_chars, plan.total_chars
    share = f" ({removed / total:.1%})" if total else ""
    line = Text(f"{removed:,} of {total:,} chars{share}")
    for position, (family, _, chars) in enumerate(plan.family_totals()):
        line.append(": " if position == 0 else " · ")
        line.append(family, style=f"bold {family_colour(family)}")
        line.append(f" {chars:,}")
    if plan.removed_by_rule:
        line.append("\nby rule: ", style="dim")
        for position, total_by_rule in enumerate(plan.removed_by_rule):
            if position:
                line.append(", ")
            line.append(total_by_rule.rule, style=family_colour(total_by_rule.rule))
            line.append(f" {total_by_rule.chars:,}")
    return line


def _folded_line(folds: Sequence[FoldedRun]) -> Text:
    blocks = sum(len(fold.blocks) for fold in folds)
    chars = sum(fold.chars for fold in folds)
    first_rule = sorted(fold.rule for fold in folds)[0]
    return Text.assemble(
        f"{plural(len(folds), 'run')} ({blocks:,} blocks, {chars:,} chars) · ",
        (f"--expand {first_rule}", "bold"),
        " or ",
        ("--all", "bold"),
        " shows them",
    )


def _split_rule(section: ArticleSection) -> Rule:
    title = Text(f"article {section.index + 1}/{section.count}", style="bold")
    if section.continued:
        title.append(" (continued)", style="dim")
    if section.article.get("title"):
        title.append(" · ")
        title.append(one_line(section.article["title"], 120), style="bold")
    if section.requested:
        title.append(" ◀ requested", style="reverse")
    return Rule(title, characters="═", align="left", style="dim")


def _article_details(article: Mapping[str, Any], related: RelatedArticles) -> Text:
    line = Text()
    facts = article_facts(article)
    if facts:
        line.append(" · ".join(facts) + "\n", style="dim")
    summary, parts = near_duplicate_facts(article, related)
    line.append("near-duplicates: ", style="bold")
    if not parts:
        line.append(summary, style="dim" if summary == "not checked" else "green")
    for position, (text, style) in enumerate(parts):
        line.append(" · " if position else "")
        line.append(text, style=style)
    return line


def column_widths(width: int) -> tuple[int, int]:
    """(text, margin) widths of a review `width` cells wide: gutter 2, text, 1, margin."""
    margin = min(max(width // MARGIN_SHARE, MARGIN_MIN), MARGIN_MAX)
    return max(width - 2 - 1 - margin, 8), margin


class SectionRows:
    """The items of one article section: text with a gutter mark and a margin beside it."""

    def __init__(self, section: ArticleSection, settings: ReviewSettings) -> None:
        self.section = section
        self.settings = settings

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        text_width, margin = column_widths(width)
        previous_kept = False
        for item in self.section.items:
            kept = isinstance(item, KeptBlock)
            # Paragraphs are separated by a blank line, as in the article's text.
            if kept and previous_kept:
                yield Segment.line()
            previous_kept = kept
            if isinstance(item, FoldedRun):
                yield from _line(console, "-", family_colour(item.rule), self._fold(item, width))
            elif isinstance(item, HiddenBlocks):
                note = Text(f"… {plural(item.count, 'block')} not shown", style="dim italic")
                yield from _line(console, " ", "", note)
            else:
                mark, colour, text, side = self._block(item, text_width)
                yield from _rows(console, mark, colour, text, side, text_width, margin)

    def _fold(self, run: FoldedRun, width: int) -> Text:
        colour = family_colour(run.rule)
        line = Text.assemble(
            (f"{plural(len(run.blocks), 'block')}, {run.chars:,} chars", "bold"), " — "
        )
        if len(run.rules) == 1:
            line.append(run.rule, style=f"bold {colour}")
            if run.reason:
                line.append(f": {one_line(run.reason)}")
        for position, total in enumerate(run.rules if len(run.rules) > 1 else ()):
            line.append(", " if position else "")
            line.append(total.rule, style=f"bold {family_colour(total.rule)}")
            line.append(f" {total.blocks:,}")
        line.append(" ⟨", style="dim")
        line.append(fold_sample(run, self.settings.fold_sample_chars), style=colour)
        line.append("⟩", style="dim")
        line.truncate(max(width - 2, 1), overflow="ellipsis")
        return line

    def _block(
        self, item: KeptBlock | RemovedBlock, text_width: int
    ) -> tuple[str, str, list[Text], Text]:
        block = item.block
        kind = one_line(block.get("kind") or "")
        if isinstance(item, KeptBlock):
            style = "bold" if kind in _HEADING_KINDS else ""
            lines = wrap_text(display_text(block_text(block), style), text_width)
            side = display_text(_placed(block) or (kind if kind != "paragraph" else ""), "dim")
            return " ", "", lines, side
        rule = one_line(block.get("rule"))
        colour = family_colour(rule)
        lines = wrap_text(display_text(block_text(block), colour), text_width)
        if item.shortened:
            lines = _shortened(lines, self.settings.removed_lines_shown)
        return "-", colour, lines, _margin(block, rule, colour)


def _shortened(lines: list[Text], limit: int) -> list[Text]:
    if len(lines) <= limit:
        return lines
    shown = lines[: max(limit - 1, 1)]
    more = len(lines) - len(shown)
    return [*shown, Text(f"… {plural(more, 'more line')}", style="dim italic")]


def _margin(block: Mapping[str, Any], rule: str, colour: str) -> Text:
    margin = display_text(rule, f"bold {colour}")
    stage = block.get("stage")
    if stage and stage != family_of(rule):
        margin.append(f" (by {one_line(stage)})", style="dim")
    if block.get("detail"):
        margin.append("\n")
        margin.append_text(display_text(block["detail"], "dim"))
    if _placed(block):
        margin.append("\n")
        margin.append_text(display_text(_placed(block), "dim"))
    return margin


def _placed(block: Mapping[str, Any]) -> str:
    """What a PDF page's block is and where it sat ("title · column 2"); empty otherwise."""
    return " · ".join(one_line(str(block[key])) for key in ("role", "where") if block.get(key))


def _line(console: Console, mark: str, colour: str, text: Text) -> Iterable[Segment]:
    yield Segment(mark, console.get_style(f"bold {colour}" if colour else ""))
    yield Segment(" ")
    yield from text.render(console, end="")
    yield Segment.line()


def _rows(
    console: Console,
    mark: str,
    colour: str,
    lines: list[Text],
    side: Text,
    text_width: int,
    margin: int,
) -> Iterable[Segment]:
    """Text lines with the mark before each (a wrapped removed line is still marked) and
    the margin beside them; lines are padded only where a margin line follows."""
    side_lines = wrap_text(side, margin) if side.plain else []
    mark_style = console.get_style(f"bold {colour}" if colour else "")
    for text, note in zip_longest(lines or [Text("")], side_lines):
        # Only lines holding the block's text are marked: the margin may run longer.
        yield Segment(mark if text is not None else " ", mark_style)
        yield Segment(" ")
        if text is not None:
            yield from text.render(console, end="")
        if note is not None:
            used = cell_len(text.plain) if text is not None else 0
            yield Segment(" " * (text_width - used + 1), Style())
            yield from note.render(console, end="")
        yield Segment.line()
