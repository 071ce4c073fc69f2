"""What a document review shows, decided once for the terminal and for the HTML page.

A real page is mostly chrome: a 163.com article keeps 31 of 820 blocks, and the other 789
sit in three runs removed by one rule each. Listing them one by one buries the article, so
the plan cuts the document into articles and, inside each, into items: kept blocks (always
shown whole), removed blocks shown singly, and *folds* — a run of consecutive blocks removed
by the same rule, shown as one line with its count, characters, rule and reason until the
reviewer expands that rule. The renderers (`render_document` for the terminal,
`html_review` for the page) only lay these items out.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from typing import Any

from cleaner.report.rule_families import family_of, rule_matches
from cleaner.report.safe_text import one_line


@dataclass(frozen=True)
class ReviewSettings:
    """How much of a page's removed text a review shows before the reviewer asks for more."""

    # Consecutive blocks removed by one rule that fold into one line. Two: a single
    # removed block is shown with its evidence (on the seeds these are the interesting
    # removals: a byline, a spam paragraph), while repeated navigation comes in runs.
    fold_min_blocks: int = 2
    # Lines of one removed block shown while its rule is folded; the rest is counted. Three
    # lines show what a block was (a keyword-stuffed paragraph is obvious by its second
    # line) without letting one 600-character spam block fill the screen.
    removed_lines_shown: int = 3
    # Characters of a folded run's text quoted on its line, so a reviewer can tell
    # navigation from a lost paragraph without expanding it.
    fold_sample_chars: int = 200
    # A stretch of removed blocks (no kept text between) folds as a whole once folding it
    # rule by rule would still leave this many lines: related-article lists alternate a
    # link-dense title and a dated entry line, 60 lines of two rules on a guancha page.
    # Six keeps a 163.com page's four-item stretch (navigation, the page title kept as
    # metadata, more navigation, the original title) readable item by item.
    mixed_fold_min_runs: int = 6


DEFAULT_SETTINGS = ReviewSettings()


@dataclass(frozen=True)
class Folding:
    """Which removed runs stay folded: `--expand RULE` (id or family) and `--all`."""

    expand: tuple[str, ...] = ()
    expand_all: bool = False

    def expands(self, rule: str) -> bool:
        return self.expand_all or any(rule_matches(rule, wanted) for wanted in self.expand)


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
class KeptBlock:
    block: Mapping[str, Any]


@dataclass(frozen=True)
class RemovedBlock:
    block: Mapping[str, Any]
    # True while the block's rule is folded: the renderer may shorten its text.
    shortened: bool


@dataclass(frozen=True)
class RuleTotal:
    rule: str
    blocks: int
    chars: int
    reason: str


@dataclass(frozen=True)
class FoldedRun:
    """Consecutive blocks removed by one rule, shown as one line."""

    rule: str
    blocks: tuple[Mapping[str, Any], ...]
    chars: int
    # The blocks' evidence when they share it ("outside the best-scoring content region"),
    # else the rule's reason from its table: what a reviewer reads on the folded line.
    reason: str
    anchor: str
    # Blocks and characters per rule, most blocks first: one entry, or several when the
    # fold is a stretch in which rules alternate (a related-links list: title, date, ...).
    rules: tuple[RuleTotal, ...] = ()


@dataclass(frozen=True)
class HiddenBlocks:
    """Blocks a filter (`--removed-only`, `--rule`) leaves out, counted where they were."""

    count: int


Item = KeptBlock | RemovedBlock | FoldedRun | HiddenBlocks


@dataclass(frozen=True)
class ArticleSection:
    """One stretch of blocks belonging to one article (an article may resume later)."""

    index: int
    count: int
    article: Mapping[str, Any]
    continued: bool
    requested: bool
    items: tuple[Item, ...]

    @property
    def anchor(self) -> str:
        suffix = "-continued" if self.continued else ""
        return f"article-{self.index + 1}{suffix}"


@dataclass(frozen=True)
class DocumentPlan:
    view: Mapping[str, Any]
    blocks: tuple[Mapping[str, Any], ...]
    sections: tuple[ArticleSection, ...]
    removed_by_rule: tuple[RuleTotal, ...]  # largest first
    total_chars: int
    nothing_shown: bool
    block_filter: BlockFilter = field(default_factory=BlockFilter)

    @property
    def removed_chars(self) -> int:
        return sum(total.chars for total in self.removed_by_rule)

    def family_totals(self) -> list[tuple[str, int, int]]:
        """(family, blocks, chars) largest first: the legend of the review's colours."""
        blocks: Counter[str] = Counter()
        chars: Counter[str] = Counter()
        for total in self.removed_by_rule:
            blocks[family_of(total.rule)] += total.blocks
            chars[family_of(total.rule)] += total.chars
        return sorted(((f, blocks[f], chars[f]) for f in chars), key=lambda r: (-r[2], r[0]))

    def folds(self) -> list[FoldedRun]:
        return [item for s in self.sections for item in s.items if isinstance(item, FoldedRun)]


def plan_document(
    view: Mapping[str, Any],
    block_filter: BlockFilter = BlockFilter(),
    folding: Folding = Folding(),
    article_id: str | None = None,
    settings: ReviewSettings = DEFAULT_SETTINGS,
) -> DocumentPlan:
    """Cut one document view into article sections of kept, removed and folded items."""
    blocks = tuple(block for block in view.get("blocks") or [] if isinstance(block, Mapping))
    # Rules the filter selects were asked for by name: they are shown, not folded.
    if block_filter.rule is not None:
        folding = Folding((*folding.expand, block_filter.rule), folding.expand_all)
    sections = tuple(_sections(view, blocks, block_filter, folding, article_id, settings))
    return DocumentPlan(
        view=view,
        blocks=blocks,
        sections=sections,
        removed_by_rule=_rule_totals(blocks),
        total_chars=sum(len(block_text(block)) for block in blocks),
        nothing_shown=bool(blocks) and not any(block_filter.shows(b) for b in blocks),
        block_filter=block_filter,
    )


def article_count(view: Mapping[str, Any], blocks: Sequence[Mapping[str, Any]]) -> int:
    """Articles listed, or as many as the blocks point at if the list is short."""
    highest = max((article_index(block) for block in blocks), default=0)
    return max(len(view.get("articles") or []), highest + 1, 1)


def article_index(block: Mapping[str, Any]) -> int:
    index = block.get("article")
    return index if isinstance(index, int) and index >= 0 else 0


def block_text(block: Mapping[str, Any]) -> str:
    text = block.get("text")
    return text if isinstance(text, str) else ""


def removed_rule(block: Mapping[str, Any]) -> str | None:
    rule = block.get("rule")
    return None if rule is None else one_line(rule)


def _sections(
    view: Mapping[str, Any],
    blocks: Sequence[Mapping[str, Any]],
    block_filter: BlockFilter,
    folding: Folding,
    article_id: str | None,
    settings: ReviewSettings,
) -> Iterable[ArticleSection]:
    articles = [a if isinstance(a, Mapping) else {} for a in view.get("articles") or []]
    count = article_count(view, blocks)
    seen: set[int] = set()
    fold_numbers = itertools.count(1)
    for index, run in groupby(blocks, key=article_index):
        article = articles[index] if index < len(articles) else {}
        if not articles and count == 1:
            article = {"title": (view.get("metadata") or {}).get("title")}
        planner = _SectionPlanner(block_filter, folding, settings, fold_numbers)
        items = tuple(planner.items(run))
        requested = article_id is not None and article.get("id") == article_id
        yield ArticleSection(index, count, article, index in seen, requested, items)
        seen.add(index)


class _SectionPlanner:
    """Turns the blocks of one section into items, holding back removed blocks in a
    *stretch* (consecutive removed blocks whose rules are folded) until something else
    comes, so the whole stretch can be folded at once."""

    def __init__(
        self,
        block_filter: BlockFilter,
        folding: Folding,
        settings: ReviewSettings,
        fold_numbers: Iterator[int],
    ) -> None:
        self.block_filter = block_filter
        self.folding = folding
        self.settings = settings
        self.fold_numbers = fold_numbers
        self.stretch: list[Mapping[str, Any]] = []
        self.hidden = 0

    def items(self, blocks: Iterable[Mapping[str, Any]]) -> Iterator[Item]:
        for block in blocks:
            rule = removed_rule(block)
            if not self.block_filter.shows(block):
                # A hidden block ends the stretch: the note says where blocks were left out.
                yield from self._flush_stretch()
                self.hidden += 1
                continue
            yield from self._flush_hidden()
            if rule is None or self.folding.expands(rule):
                yield from self._flush_stretch()
                yield KeptBlock(block) if rule is None else RemovedBlock(block, shortened=False)
            else:
                self.stretch.append(block)
        yield from self._flush_stretch()
        yield from self._flush_hidden()

    def _flush_hidden(self) -> Iterator[Item]:
        if self.hidden:
            yield HiddenBlocks(self.hidden)
            self.hidden = 0

    def _flush_stretch(self) -> Iterator[Item]:
        stretch, self.stretch = self.stretch, []
        if not stretch:
            return
        runs = [(rule, list(run)) for rule, run in groupby(stretch, key=removed_rule)]
        if len(runs) >= self.settings.mixed_fold_min_runs:
            yield self._fold(stretch)
            return
        for _, run in runs:
            if len(run) >= self.settings.fold_min_blocks:
                yield self._fold(run)
            else:
                yield from (RemovedBlock(block, shortened=True) for block in run)

    def _fold(self, blocks: list[Mapping[str, Any]]) -> FoldedRun:
        return make_fold(blocks, f"fold-{next(self.fold_numbers)}")


def make_fold(blocks: Sequence[Mapping[str, Any]], anchor: str) -> FoldedRun:
    """One fold of removed blocks: by one rule, or a stretch alternating between rules."""
    chars: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for block in blocks:
        rule = removed_rule(block) or ""
        counts[rule] += 1
        chars[rule] += len(block_text(block))
    rules = tuple(
        RuleTotal(rule, counts[rule], chars[rule], rule_reason(rule) or "")
        for rule in sorted(chars, key=lambda rule: (-counts[rule], -chars[rule], rule))
    )
    details = {one_line(block.get("detail")) for block in blocks}
    common = details.pop() if len(details) == 1 else ""
    reason = (common or rules[0].reason) if len(rules) == 1 else ""
    return FoldedRun(rules[0].rule, tuple(blocks), sum(chars.values()), reason, anchor, rules)


def fold_sample(run: FoldedRun, limit: int) -> str:
    """The start of a folded run's text, its blocks joined by " · "."""
    pieces: list[str] = []
    length = 0
    for block in run.blocks:
        piece = one_line(block_text(block), limit)
        if not piece:
            continue
        pieces.append(piece)
        length += len(piece) + 3
        if length >= limit:
            break
    return one_line(" · ".join(pieces), limit)


def _rule_totals(blocks: Sequence[Mapping[str, Any]]) -> tuple[RuleTotal, ...]:
    counts: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for block in blocks:
        rule = removed_rule(block)
        if rule is not None:
            counts[rule] += 1
            chars[rule] += len(block_text(block))
    ordered = sorted(chars, key=lambda rule: (-chars[rule], rule))
    return tuple(RuleTotal(r, counts[r], chars[r], rule_reason(r) or "") for r in ordered)


@cache
def _reasons() -> dict[str, str]:
    # Imported on first use: a review of a run written by another version may name rules
    # this version does not have, and the terminal review of one page needs only the few
    # reasons it shows.
    from cleaner.rules import all_rules

    return {rule.id: rule.reason for rule in all_rules()}


def rule_reason(rule: str) -> str | None:
    """Why the rule exists, from its table; None for a rule this version does not know."""
    return _reasons().get(rule)
