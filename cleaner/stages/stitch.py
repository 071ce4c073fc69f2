"""Stitching interleaved columns: lines of several articles in alternating runs -> each
article's lines together, in reading order (issue 14, layout 3).

A PDF text layer read across the columns of a newspaper page gives a few lines of one
article, then a few of the next, then the first again: every run stops in the middle of a
sentence and its sentence goes on in a later run. The reflow stage calls `reading_order`
on the physical lines of a column page before it joins them into paragraphs.

How: every article on a page starts with its head (kicker, headline, subtitle, byline:
short lines that end without a stop, or a headline wider than the column), and read
across, the columns come in one order over and over: the first band holds a run of every
article, opening with its head, and an article that ends drops out of the cycle
(`stitch_cycle`). Each head opens a *chain*; every run goes to the live chain after the
one before it. On a page whose runs are set apart by blank lines the runs are known and
the number of chains is chosen by fit; on one without, the runs' ends are decoded with
the chains, from how long the first band's runs are and how one line ends and the next
begins (`junction_odds`). A run scores under a chain by how much more often its lines'
topic terms (CJK characters and bigrams, longer words) occur in that chain's other lines
than the chain's share of the page predicts; the chains' term counts are re-estimated
from the decode until nothing moves (hard EM, started from the plain cycle). The page is
reordered only when it looks interleaved (most of the page after its last head; heads or
blank lines right under lines cut mid-sentence where the page prints blank lines) and
the cycle explains the page better than reading it straight through: a page that is not
interleaved keeps its order.

Nothing is removed; the lines are the same lines in another order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cleaner.rules import first_match
from cleaner.rules.layout import (
    BYLINE_RULES,
    CAPTION_CREDIT,
    COLUMN_OPENING_RULES,
    FURNITURE_RULES,
)
from cleaner.stages.stitch_cycle import (
    Emissions,
    LineEvidence,
    RunEdges,
    blank_runs,
    cycle_path,
    segment_path,
)
from cleaner.text import (
    CLOSERS,
    ENDS_ANY_STOP,
    ENDS_CLAUSE,
    IDEOGRAPH,
    SENTENCE_MARK,
    display_width,
    is_mostly_latin,
    topic_terms,
)

# Punctuation inside a line: a headline holds little of it, a line of prose some.
_PUNCTUATION = re.compile(r"[，。、；：！？,;:!?]|\.\s")


@dataclass(frozen=True)
class StitchConfig:
    # Fewest heads (articles) a page needs before it can be interleaved.
    min_chains: int = 2
    # Most chains decoded: a page with more head-shaped lines than this is a list or a
    # table of contents, not a few articles set in columns; the decoders keep the set of
    # ended chains, 2 ** (n - 1) states per chain.
    max_chains: int = 6
    # Longest page (lines) stitched.
    max_lines: int = 3000
    # Blank lines a page needs to be read as setting its runs apart by them.
    min_gaps: int = 3
    # Pseudo-count spread over the chains by their share of the page, added to a term's
    # counts per chain: a term seen once elsewhere is weak evidence, one seen often strong.
    smoothing: float = 1.0
    # Hard-EM rounds of decode and re-count; the assignment usually settles in 3 to 5.
    rounds: int = 8
    # Least share of heads right under a line cut mid-sentence (`cut_before_heads`) on a
    # page that prints blank lines but not between runs, and least share of a blank-line
    # page's first-band runs (after the first) that open with a head: half, so that one
    # of two suffices (a run ends at a paragraph's end now and then; a headline as wide
    # as the column is not seen as a head). Blank-line pages had to pass the first test
    # too, or have half their blank lines under cut lines; dropped with the cycle (tuning
    # 0.657 -> 0.675 recovered, no column or single page reordered).
    min_cut_share: float = 0.5
    # Least share of the page's lines after its last head: read across the columns, every
    # head is printed in the first band of runs and the bodies go on below them; set one
    # after another, the last article alone follows its head. Without it four tuning
    # column pages (wrapped headlines that looked cut) were reordered and lost 9
    # articles; at 0.5 none is, and 0.6 gains nothing more.
    min_tail_share: float = 0.5
    # The columns' cycle on a page whose runs are set apart by blank lines
    # (`stitch_cycle`): ending a chain (passing it over) costs `cycle_skip_cost`
    # (tuning: 1, 3, 6 give en 0.545, 0.568, 0.477 recovered), every chain read
    # `chain_cost` (5 lets two Chinese pages read 4 chains for 2; 10 and 20 tie), and
    # the cycle must fit the page better than its heads read straight through by
    # `min_cycle_gain`.
    cycle_skip_cost: float = 3.0
    chain_cost: float = 10.0
    min_cycle_gain: float = 2.0
    # On a page without blank lines (`stitch_cycle.decode_segments`): a run longer or
    # shorter than the page's run length costs this per line (tuning, no-blank pages:
    # 0.3, 0.7, 1.5, 3 give 0.21, 0.34, 0.47, 0.47 recovered), runs are at most this
    # many lines longer (2, 3, 5, 7: 0.29, 0.34, 0.47, 0.48), and a first-band run
    # opening on a head scores this (0, 3, 6: 0.30, 0.34, 0.35).
    run_length_cost: float = 1.5
    run_length_slack: int = 5
    cycle_head_bonus: float = 3.0
    # States the segment decoder carries on from each line: 8 gives the tuning figures
    # of all of them (4: recovered 0.524, titles 0.627 against 0.518, 0.639) in 60% of
    # the time (interleaved bench pages 91 -> 53 ms each; five chains 2.5 -> 0.4 s).
    segment_beam: int = 8
    # Weight of the odds that a run does not go on from its chain's last line.
    continuation_weight: float = 1.0
    # Lines above a page's first head found that may still be its headline's.
    opening_head_lines: int = 3
    # On a page without blank lines, a first-band run may open this many lines above a
    # head found: the head test sees a headline wrapped over full lines by its short
    # last line (or its byline) only. The run length is then tried from the distance
    # to the second head less `run_length_below` up to one more (a head found late sets
    # it long). Tuning, no-blank pages: 1 and -1..+1 (before) 200 of 345 articles
    # recovered, 3 and -3..+1 212, 3 and -5..+1 214, 3 and -3..+2 207.
    head_lines_above: int = 3
    run_length_below: int = 3
    # Most lines of a head (kicker, a headline over two lines, subtitle, byline).
    head_lines: int = 5
    # A CJK head line is at least `short_line_margin` units narrower than the column,
    # by width and by characters (a headline's short last line, a byline: every line
    # of CJK body text fills the column but a paragraph's last, which ends a
    # sentence), or wider than it by more than `wide_line_margin` (a headline set over
    # the column); a Latin line is one when it is more than `wide_line_chars`
    # characters longer than the page's long lines (the 90th percentile, counted with
    # spaces as the lines were wrapped). Tuning heads found on their first line (of
    # 661 true heads on 282 pages): 0.75 of the column and 1.2 times it (before) 454,
    # margins 2, 1 and 2 with the lower-case test and the blank-line cut in
    # `head_groups` 481, false heads 24 -> 13 (a short margin of 1 finds 10 more CJK
    # heads and 92 false ones, 1.5 about as many as 2; a wide margin of 2 units 475).
    short_line_margin: float = 2.0
    wide_line_margin: float = 1.0
    wide_line_chars: int = 2
    # A ragged-right line stopped early when the next word would have fitted in this share
    # of the page's long lines (the 90th percentile).
    latin_fit_share: float = 0.9


class PrintedLine(Protocol):
    """What the stitcher reads of a physical line (reflow's `Line`)."""

    @property
    def text(self) -> str: ...

    @property
    def after_blank(self) -> bool: ...


@dataclass(frozen=True)
class Order:
    """A new reading order: `lines` are indices into the page's lines in their new order;
    `new_blank[i]` says whether a blank line stands before line `lines[i]` now (a chain's
    first line: yes; a line stitched onto another run: no, the break was the column's)."""

    lines: list[int]
    new_blank: list[bool]
    # The chain (article) of every line of the page, in the printed order.
    chain_of: list[int]
    chains: int
    changes: int
    gain: float

    @property
    def article_starts(self) -> list[int]:
        """Positions in the new order where an article (chain) starts."""
        return [
            position
            for position, index in enumerate(self.lines)
            if position == 0 or self.chain_of[self.lines[position - 1]] != self.chain_of[index]
        ]

    @property
    def note(self) -> str:
        return (
            f"interleaved: {self.chains} articles from {self.changes + 1} runs"
            f" (gain {self.gain:.1f} over the printed order)"
        )


def column_width(widths: Sequence[float]) -> float:
    """The page's column: the median of the lines no wider than twice the median (a
    headline set across the page does not count)."""
    ordered = sorted(widths)
    median = ordered[len(ordered) // 2]
    narrow = [width for width in ordered if width <= 2 * median]
    return narrow[len(narrow) // 2] if narrow else median


def is_head_line(
    text: str,
    next_line: PrintedLine | None,
    width: float,
    column: float,
    settings: StitchConfig,
    long_line_chars: int = 0,
) -> bool:
    """A line of an article's head: it ends without a stop, a clause mark or a closing
    quote, and it is not a full column line (narrower, so the next line's first word
    would have fitted, or wider than the column), or it is a byline. A line holding a
    sentence's end is prose ("…发展。（记者 胡晓蓉）" closes an article). `column` is
    the page's column for a CJK line, its long lines' width for a Latin one, and
    `long_line_chars` their length in characters."""
    if first_match(text, (*FURNITURE_RULES, CAPTION_CREDIT)) is not None:
        return False  # a page number, a date line, a photo credit: about the page
    if SENTENCE_MARK.search(text) or _CLOSES.search(text):
        return False
    if first_match(text, BYLINE_RULES) is not None:
        return True
    if ENDS_CLAUSE.search(text):
        return False
    latin = is_mostly_latin(text)
    if latin and len(text) > long_line_chars + settings.wide_line_chars:
        return True  # longer than any wrapped line: set across the column
    if not latin and width > column + settings.wide_line_margin:
        return True
    if _opens_article(next_line) and not _PUNCTUATION.search(text):
        return True  # a headline as wide as the column, over a byline or a dateline
    if latin:
        # Ragged right: the line stopped early when the next word would have fitted on
        # it. A blank line after it ends a run, and the next line is another article's;
        # so does a next line opening in lower case, a sentence going on (a run's end:
        # tuning false heads on pages without blank lines 14 -> 3).
        if next_line is None or next_line.after_blank:
            return False
        words = next_line.text.split() or [""]
        if words[0][:1].islower():
            return False
        # Widths are noisy (quotes and dashes measure wide), hence a margin.
        return width + 0.5 * (1 + len(words[0])) <= settings.latin_fit_share * column
    # Counted both by width and by characters: a full line holding digits or Latin
    # letters measures narrower than its column when they were set half-width, not
    # when the column was filled by characters.
    visible = len(text) - sum(1 for char in text if char.isspace())
    return max(width, visible) <= column - settings.short_line_margin


def _opens_article(line: PrintedLine | None) -> bool:
    """A byline or a dateline printed in the same run (no blank line before it)."""
    if line is None or line.after_blank:
        return False
    return first_match(line.text, (*COLUMN_OPENING_RULES, *BYLINE_RULES)) is not None


# A closing quote or bracket ends the last line of a quoted sentence, not a headline.
_CLOSES = re.compile(f"[{CLOSERS}]$")


def head_groups(lines: Sequence[PrintedLine], settings: StitchConfig) -> list[range]:
    """Runs of consecutive head lines: one per article head."""
    widths = [display_width(line.text) for line in lines]
    column = column_width(widths)
    # Ragged-right lines: the longest ordinary lines show how much a line holds.
    ordered = sorted(width for width in widths if width <= 2 * column)
    full = ordered[int(0.9 * (len(ordered) - 1))] if ordered else column
    lengths = sorted(len(line.text) for line in lines if is_mostly_latin(line.text))
    long_line_chars = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    heads = [
        is_head_line(
            line.text,
            lines[index + 1] if index + 1 < len(lines) else None,
            widths[index],
            full if is_mostly_latin(line.text) else column,
            settings,
            long_line_chars,
        )
        for index, line in enumerate(lines)
    ]
    # Where blank lines set runs apart, a blank line between two head lines ends a run:
    # read across, the first band holds one short run of heads after another (tuning
    # blank-line pages 262 -> 266 of 316 articles recovered).
    runs_apart = _gapped(lines, settings)
    groups: list[range] = []
    start = None
    for index, head in enumerate([*heads, False]):
        if head and start is None:
            start = index
        elif start is not None and (not head or (runs_apart and lines[index].after_blank)):
            group = range(_wrapped_head_start(lines, start), index)
            if groups and _one_head(lines, groups[-1], group):
                group = range(groups.pop().start, index)
            groups.append(group)
            start = index if head else None
    return groups


def _one_head(lines: Sequence[PrintedLine], first: range, second: range) -> bool:
    """Two heads one line apart, that line without punctuation, are one head: a kicker
    over a headline wrapped into a full line and a short one."""
    between = range(first.stop, second.start)
    if len(between) > 1 or any(lines[i].after_blank for i in [*between, second.start]):
        return False  # a blank line ends a run: the second head is another article's
    return not any(_PUNCTUATION.search(lines[i].text) for i in between)


def _wrapped_head_start(lines: Sequence[PrintedLine], start: int) -> int:
    """A headline wrapped over two lines shows only its short last line as a head; its
    full first line, set after a blank line and holding no punctuation, is part of it."""
    if start == 0 or lines[start].after_blank or not lines[start - 1].after_blank:
        return start
    first = lines[start - 1].text
    return start if _PUNCTUATION.search(first) else start - 1


# ---------------------------------------------------------------- decoding


def line_terms(lines: Sequence[PrintedLine]) -> list[list[str]]:
    """Each line's topic terms and, in CJK text, its single ideographs too: a column line
    of 10 to 30 characters shares few bigrams with its article's other lines, but many
    characters (tuning interleaved recovered 0.355 -> 0.422 with them)."""
    return [sorted(topic_terms(line.text) | set(IDEOGRAPH.findall(line.text))) for line in lines]


@dataclass
class Chains:
    """Term counts per chain under one assignment of lines to chains."""

    counts: list[Counter[str]]
    totals: list[int]

    @classmethod
    def of(cls, terms: list[list[str]], assignment: list[int], chains: int) -> Chains:
        counts: list[Counter[str]] = [Counter() for _ in range(chains)]
        for line_terms_, chain in zip(terms, assignment, strict=True):
            if chain >= 0:
                counts[chain].update(line_terms_)
        return cls(counts, [sum(count.values()) for count in counts])


def emission_scores(
    terms: list[list[str]],
    assignment: list[int],
    chains: Chains,
    settings: StitchConfig,
) -> list[list[float]]:
    """Per line and chain: how much more often the line's terms occur in the chain's
    other lines than the chain's share of the page predicts (a naive Bayes posterior
    against the prior, each term's chain counts smoothed toward the chain's share, so a
    term seen only elsewhere costs the same in a small chain as in a large one). The
    line's own terms are left out of its own chain's counts."""
    beta = settings.smoothing
    overall: Counter[str] = Counter()
    for counts in chains.counts:
        overall.update(counts)
    total = sum(chains.totals) or 1
    shares = [max(chain_total, 1) / total for chain_total in chains.totals]
    scores = []
    for line, own_chain in zip(terms, assignment, strict=True):
        row = []
        for chain, counts in enumerate(chains.counts):
            own = 1 if chain == own_chain else 0
            share = shares[chain]
            score = 0.0
            for term in line:
                seen = overall[term] - (1 if own_chain >= 0 else 0)
                score += math.log((counts[term] - own + beta * share) / ((seen + beta) * share))
            row.append(score)
        scores.append(row)
    return scores


def cut_before_heads(lines: Sequence[PrintedLine], groups: list[range]) -> float:
    """The share of heads (after the page's first line) printed right under a line that
    stops mid-sentence. Set one after another, an article ends its last sentence before
    the next one's head; read across interleaved columns, the line before a head is
    where a run of another article was cut, mostly mid-sentence."""
    before = [lines[group.start - 1] for group in groups if group.start > 0]
    if not before:
        return 0.0
    # A line that stands first after a blank is the first line of a headline the head
    # test did not see (its short last line it did), not the end of a run.
    cut = [line for line in before if not line.after_blank and not ENDS_ANY_STOP.search(line.text)]
    return len(cut) / len(before)


def _gapped(lines: Sequence[PrintedLine], settings: StitchConfig) -> bool:
    """Some blank lines, but not one after every line (a double-spaced page)."""
    blanks = sum(1 for line in lines[1:] if line.after_blank)
    return settings.min_gaps <= blanks <= 0.5 * len(lines)


_LINE_STOP = re.compile(f"[.!?。！？…][{CLOSERS}]*$")
# A word broken across lines: a letter and a hyphen end the line.
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")


def junction_odds(before: str, after: str) -> float:
    """Log odds that a run ends between two printed lines rather than one article's
    line going on into the next, from how the first ends and the second begins.
    Measured on the tuning part's interleaved pages without blank lines (runs ends
    against lines inside a run): an English line after a full stop opens in lower case
    at 16% of run ends and 0.2% inside runs; a capital after a line cut mid-sentence,
    26% against 16%; a Chinese line after a sentence's end, 23% against 11%. After a
    word broken by a hyphen, the line opens in lower case at 22 run ends and 310 times
    inside runs, in upper case or otherwise at 18 run ends and never inside a run."""
    stops = bool(_LINE_STOP.search(before))
    opening = after[:1]
    if _BROKEN_WORD.search(before):
        return -1.0 if opening.islower() else 4.0
    if opening.islower():
        return 3.0 if stops else -0.5
    if opening.isupper():
        return 0.0 if stops else 0.5
    return 0.7 if stops else -0.15


@dataclass
class Decoded:
    """The chain of every line, and what the straight reading would give."""

    path: list[int]
    straight: list[int]
    chains: int
    gain: float  # fit of `path` less fit of `straight`, each under its own counts
    # The first line after each head: the head stands apart from the body under it.
    body_starts: frozenset[int] = frozenset()

    @property
    def changes(self) -> int:
        return sum(1 for a, b in zip(self.path, self.path[1:], strict=False) if a != b)


def decode_page(lines: Sequence[PrintedLine], settings: StitchConfig) -> Decoded | None:
    """Heads -> chains -> the chain of every line, read by the columns' cycle
    (`stitch_cycle`): over the runs a page sets apart by blank lines, else over the
    lines, the runs' ends found with them."""
    if len(lines) > settings.max_lines or len(lines) < 4:
        return None
    groups = head_groups(lines, settings)
    if (
        groups
        and 0 < groups[0].start < settings.opening_head_lines
        and not any(ENDS_ANY_STOP.search(line.text) for line in lines[: groups[0].start])
    ):
        # The page opens with its first article's head: a head found on its second or
        # third line is the end of a headline wrapped over the lines above.
        groups[0] = range(0, groups[0].stop)
    if not groups or groups[0].start != 0:
        groups = [range(0), *groups]
    if not settings.min_chains <= len(groups) <= settings.max_chains:
        return None
    if (len(lines) - groups[-1].start) / len(lines) < settings.min_tail_share:
        return None
    terms = line_terms(lines)

    def emissions_of(path: list[int], chains: int) -> list[list[float]]:
        return emission_scores(terms, path, Chains.of(terms, path, chains), settings)

    if not _gapped(lines, settings):
        # A page that prints blank lines, but not between runs (a few, or one after
        # every line), sets its articles one after another unless its heads stand
        # under lines cut mid-sentence; one that prints none shows only its heads.
        spaced = any(line.after_blank for line in lines[1:])
        if spaced and cut_before_heads(lines, groups) < settings.min_cut_share:
            return None
        return _decode_segments(lines, groups, emissions_of, settings)
    return _decode_cycle(lines, groups, emissions_of, settings)


def _decode_cycle(
    lines: Sequence[PrintedLine],
    groups: list[range],
    emissions_of: Emissions,
    settings: StitchConfig,
) -> Decoded | None:
    """A page whose runs are set apart by blank lines: the runs follow the columns'
    cycle; the number of chains is the one that fits best."""
    runs = blank_runs(lines)
    head_starts = {group.start for group in groups}

    def headed(chains: int) -> bool:
        """Read across, every run of the first band opens with its article's head."""
        opens = [
            any(index in head_starts for index in range(run.start, run.start + settings.head_lines))
            for run in runs[1:chains]
        ]
        return sum(opens) >= settings.min_cut_share * len(opens)

    reading = cycle_path(lines, emissions_of, settings, run_edges(lines), headed)
    if reading is None:
        return None
    return _cycle_decoded(lines, groups, reading.path, reading.chains, emissions_of, settings)


def _decode_segments(
    lines: Sequence[PrintedLine],
    groups: list[range],
    emissions_of: Emissions,
    settings: StitchConfig,
) -> Decoded | None:
    """A page without blank lines: one chain per head, the runs' ends decoded with the
    chains (`stitch_cycle.segment_path`), runs about as long as the first band's
    first (the distance to the second head)."""
    starts = [group.start for group in groups]
    evidence = LineEvidence(
        run_ends_before=[0.0]
        + [junction_odds(lines[i - 1].text, lines[i].text) for i in range(1, len(lines))],
        # A head may start a few lines above where it was found: the head test sees a
        # headline wrapped over full lines by its short last line only (one line above:
        # tuning 0.608 -> 0.645 recovered, test 0.540 -> 0.546; `head_lines_above`).
        head_starts=frozenset(
            start - above
            for start in starts
            for above in range(settings.head_lines_above + 1)
            if start >= above
        ),
        ends_sentence=[bool(_LINE_STOP.search(line.text)) for line in lines],
        edges=run_edges(lines),
    )
    reading = segment_path(
        emissions_of, len(lines), len(starts), starts[1] - starts[0], evidence, settings, starts
    )
    if reading is None:
        return None
    return _cycle_decoded(lines, groups, reading.path, reading.chains, emissions_of, settings)


def run_edges(lines: Sequence[PrintedLine]) -> RunEdges:
    """Per line: whether it ends a sentence, and the odds that the text breaks off before
    it after a line cut mid-sentence or after a sentence's end."""
    return RunEdges(
        [bool(_LINE_STOP.search(line.text)) for line in lines],
        [junction_odds("cut", line.text) for line in lines],
        [junction_odds("end.", line.text) for line in lines],
        [bool(_BROKEN_WORD.search(line.text)) for line in lines],
        [junction_odds("bro-", line.text) for line in lines],
    )


def _cycle_decoded(
    lines: Sequence[PrintedLine],
    groups: list[range],
    path: list[int],
    chains: int,
    emissions_of: Emissions,
    settings: StitchConfig,
) -> Decoded:
    """The cycle's reading against the page read straight through (an article from each
    head on), each scored under its own counts (a line's own terms left out of them),
    less `chain_cost` per chain; the head opening each run of the first band stands
    apart from the body under it."""
    starts = [group.start for group in groups]
    straight = [max(c for c in range(len(starts)) if starts[c] <= i) for i in range(len(lines))]
    fit = emissions_of(path, chains)
    straight_fit = emissions_of(straight, len(starts))
    gain = sum(fit[i][chain] for i, chain in enumerate(path)) - sum(
        straight_fit[i][chain] for i, chain in enumerate(straight)
    )
    gain -= settings.chain_cost * (chains - len(starts))
    run_starts = [
        i for i in range(len(lines)) if i == 0 or path[i] != path[i - 1] or lines[i].after_blank
    ]
    first_band = [
        range(start, end)
        for start, end in zip(run_starts, [*run_starts[1:], len(lines)], strict=True)
    ][:chains]
    body_starts = frozenset(
        _body_start(lines, run, groups, settings) for run in first_band if len(run) > 1
    )
    return Decoded(path, straight, chains, gain, body_starts)


def _body_start(
    lines: Sequence[PrintedLine],
    run: range,
    groups: list[range],
    settings: StitchConfig,
) -> int:
    """Where the body starts under the head that opens a first-band run: at a dateline
    or after the last head group found in the run's first lines, else after its first
    line (a headline no wider than the column, not seen as a head)."""
    opening = range(run.start, min(run.stop, run.start + settings.head_lines))
    for index in opening[1:]:
        if first_match(lines[index].text, COLUMN_OPENING_RULES) is not None:
            return index
    ends = [group.stop for group in groups if group and group.start in opening]
    return min(max(ends), run.stop - 1) if ends else run.start + 1


def reading_order(lines: Sequence[PrintedLine], settings: StitchConfig) -> Order | None:
    """The lines' order with each article's runs put together, or None when the page
    does not read as interleaved columns."""
    decoded = decode_page(lines, settings)
    if decoded is None:
        return None
    path = decoded.path
    returns = decoded.changes - (decoded.chains - 1)
    if returns <= 0 or decoded.gain < settings.min_cycle_gain:
        return None
    order = sorted(range(len(lines)), key=lambda index: (path[index], index))
    new_blank = []
    for position, index in enumerate(order):
        previous = order[position - 1] if position else None
        if previous is None or path[previous] != path[index]:
            new_blank.append(True)
        elif previous == index - 1:
            new_blank.append(lines[index].after_blank or index in decoded.body_starts)
        else:
            new_blank.append(False)
    return Order(order, new_blank, path, decoded.chains, decoded.changes, decoded.gain)
