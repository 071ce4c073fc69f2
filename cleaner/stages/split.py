"""Split stage: one document holding several articles -> one article number per block.

Two page layouts hold several articles:

- **Digests** (Markdown or HTML): each article under a heading of the top level, the
  articles' own subheadings one level down (seed 004: ``##`` articles, ``###`` sections).
- **Newspaper pages** from PDF/OCR (seed 003, after the reflow stage): headlines are short
  unpunctuated lines, often printed *after* the body, and an article opens with a byline or
  dateline ("科技日报讯 （记者…）", "5月12日，", "LONDON (Reuters) -").

A run of headline-shaped blocks ("a group") is an article boundary when the paragraph after
it opens an article or when the topic changes across it; otherwise it is a subheading. The
layout (headline before or after the body) is read from where the page's groups sit.

Nothing is deleted. Every block, removed ones too, gets the article it sits in by position.
Headlines become `ArticleInfo.title` and are marked ``meta.title``; bylines become
`ArticleInfo.author` and are marked ``meta.byline`` (a byline opening a paragraph is cut
off into its own block first); page furniture is marked ``split.furniture.*``; a block
repeating a passage printed elsewhere on the page is marked ``split.pull-quote``. Photo
captions ("… 周舟/摄") are kept and attached to the article they are printed in, with
kind ``caption``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from cleaner.dates import normalize_date
from cleaner.document import (
    CAPTION,
    HEADING,
    PARAGRAPH,
    ArticleInfo,
    Block,
    Document,
    Layout,
    Removal,
    Role,
)
from cleaner.rules import Rule, first_match
from cleaner.rules.layout import (
    BYLINE_PREFIX,
    BYLINE_RULES,
    CAPTION_CREDIT,
    FURNITURE_RULES,
    OPENER_RULES,
    TRAILING_SIGNATURE,
    ends_on_caption_credit,
)
from cleaner.stages.split_roles import (
    HEAD_ROLES,
    ROLES,
    Reading,
    read_page,
    sequence_indices,
)
from cleaner.text import (
    CJK_CHARACTER,
    ENDS_CLAUSE,
    ENDS_QUESTION,
    ENDS_SENTENCE,
    column_width,
    display_width,
    is_mostly_latin,
    salient_terms,
)

NAME = "split"


@dataclass(frozen=True)
class SplitConfig:
    enabled: bool = True
    # Longest headline, in display units (a CJK character 1, a Latin character 0.5). The
    # seed 003 headlines measure 6 to 16; 36 leaves room for long one-line titles while a
    # body paragraph after reflow is far longer.
    max_headline_width: float = 36.0
    # Longest headline in a Latin script, in characters: English headlines run to 90
    # characters ("World Community Lashes Out at US for No Longer Considering Israeli
    # Settlements Illegal") and past 110 ("Ascom and Dräger introduce integrated clinical
    # alarm management solution in North America to improve patient care", 116), and a
    # body paragraph that long still ends in a full stop. (At 110 such a headline
    # printed on a column page was read as body, and its article went untitled.)
    max_latin_headline_chars: int = 120
    # Topic similarity (share of salient bigrams or words in common, 0..1) under which the
    # text on the two sides of a two-line headline belongs to different articles (half of
    # it for any headline-shaped line). On the labelled pages of fixtures/split the
    # sides of an article boundary score at most 0.07 and the sections of one Chinese
    # article mostly 0.08 and above; English sections are less separable (0 to 0.13).
    topic_shift_below: float = 0.08
    # Similarity above which two Markdown sections under top-level headings are one
    # article's sections, not two digest entries.
    same_topic_above: float = 0.3
    # Fewest characters each side must have for the topic test to mean anything.
    topic_min_chars: int = 200
    # Characters of context compared on each side: about two column paragraphs, enough to
    # repeat the subject, short enough not to reach into a third article.
    topic_window: int = 800
    # A block whose character 8-grams are this much contained in the rest of the page is
    # a pull quote (seed 003's opening quote repeats the last article verbatim).
    pull_quote_containment: float = 0.8
    # Longest pull quote in characters: a longer repeat is a duplicated paragraph, which
    # is dedup's business, not a printed pull quote.
    pull_quote_max_chars: int = 300
    # ... and shortest: a shorter repeat is a phrase (a name, a slogan), not a quote.
    pull_quote_min_chars: int = 20
    # A photo caption with its credit is at most this long; a longer block ending in "…摄"
    # is a paragraph about photography.
    max_caption_chars: int = 300
    # An "article" with less kept body text than this joins its neighbour: it is a page
    # head or a teaser (seed 001's "由内容质量…" line before "原标题:" would otherwise be
    # one), not an article. The shortest briefs in seed 004 have over 400 characters.
    # Beside a full article, a brief's text is counted by the room it takes, a CJK
    # character as two (`_stands_alone`): Chinese digest briefs of 76 to 119 characters
    # had been joined to their neighbours.
    min_article_chars: int = 120
    # Plain text and column pages (no Markdown headings to go by) are read by the learned
    # line-role model and its sequence decoder (`split_roles`); off, by the older rules.
    role_model: bool = True
    # Least probability of "several articles" the page model must give a plain-text page
    # before it is cut at all. On the tuning pages the single articles the model reads
    # score at most 0.48 and the multi-article pages at least 0.63 (a wire page of five
    # articles apart by rule lines, where boilerplate takes the rules out); 0.6 sits
    # between, nearer the single pages' side only as far as their highest score allows:
    # a single article cut is the costlier mistake.
    min_several_probability: float = 0.6
    # Least probability the line-role model must give the first line of a column
    # headline group for it to be the kicker, not the headline's first line. Two short
    # phrases over each other are both ("居家养老有“医”靠" over "安宁疗护有温度" is one
    # headline in the labelled set, a kicker over a title on the bench's tuning pages):
    # the labelled set's first headline lines score at most 0.32, the tuning pages'
    # kickers 0.25 to 0.86, half of them 0.4 or more. A first line the model reads as a
    # kicker more than as a title is one too (the labelled set's read 0.55 to 0.71 as
    # titles).
    min_column_kicker_probability: float = 0.4
    # ... and the last line for it to be the subtitle: English subtitles without a dash
    # score 0.56 to 0.89 on the tuning pages, the second line of a headline printed over
    # two lines (the labelled set's "Reported", "Girl") at most 0.36.
    min_column_subtitle_probability: float = 0.5
    # Least probability the model must give a one-line column headline (title or kicker)
    # for a change of topic across it to end an article. The labelled set's
    # subheadings where the topic changes score at most 0.78 (a sure 0.96 one keeps its
    # topic); the tuning pages' headlines the rules missed score 0.86 to 0.98.
    min_column_headline_probability: float = 0.85


# ---------------------------------------------------------------- shapes of blocks


def is_headline_shaped(block: Block, settings: SplitConfig) -> bool:
    """Short, no sentence punctuation at the end, not an opening or a byline. Table
    cells, list items and captions are never headlines."""
    text = block.text
    if block.kind == HEADING:
        return True
    if block.kind != PARAGRAPH:
        return False
    # Longer than both limits is too long in any script, and its script need not be read
    # (a paragraph's whole text): a width is at least half the visible characters.
    if (
        len(text) > settings.max_latin_headline_chars
        and 0.5 * sum(map(len, text.split())) > settings.max_headline_width
    ):
        return False
    too_long = (
        len(text) > settings.max_latin_headline_chars
        if is_mostly_latin(text)
        else display_width(text) > settings.max_headline_width
    )
    if too_long or ENDS_CLAUSE.search(text):
        return False
    if ENDS_QUESTION.search(text) and re.search(r"。|[a-z]{2}\.(?:\s|$)", text):
        return False  # "…here. Why?" is a sentence; "John M. Ford's …?" a headline
    if "。" in text or re.search(r"[a-z]\. [A-Z]", _QUOTED.sub("", text)):
        return False  # a headline holds no full sentence but one it quotes
    if ends_on_caption_credit(text):
        return False  # "… Photo: Ruth Adams" over a headline is the picture's caption
    if _LIST_NUMBER.match(text):
        return False  # "3) Cofanetto Nolan: …": a numbered list's item
    return first_match(text, OPENER_RULES) is None


# A numbered list's item opens with its number and a closing bracket ("3) ", "（2）"); a
# headline numbering a series ("10.新生活与明白神的旨意") prints a stop.
_LIST_NUMBER = re.compile(r"^[(（]?\d{1,2}[)）]\s*\S")
# A quotation in a headline ("‘Meth. We’re on it.’: Spokane ad agencies divided …"):
# opened before a word and closed after one (the ’ of "We’re" closes nothing).
_QUOTED = re.compile(r"(?<!\w)[‘“'\"][^‘“”]{1,60}?[’”'\"](?!\w)")


# ---------------------------------------------------------------- the page's structure


@dataclass
class Group:
    """A run of kept headline-shaped blocks between body text."""

    blocks: list[int]
    # Index (into document.blocks) of the first kept body block after it, or None.
    next_body: int | None
    previous_body: int | None
    boundary: bool = False


@dataclass
class Plan:
    """Where each article starts and what its headline and byline blocks are."""

    starts: list[int] = field(default_factory=list)
    titles: list[list[int]] = field(default_factory=list)
    bylines: list[list[int]] = field(default_factory=list)
    # Headline-shaped blocks that stay in the text as subheadings.
    subheadings: list[int] = field(default_factory=list)
    # A digest's own title over its articles' headings ("# 高新区周刊").
    page_titles: list[int] = field(default_factory=list)
    # Kicker, subtitle and dateline blocks of the article starting at a block (the
    # line-role model's plan names them; the rules' plan does not).
    heads: dict[int, dict[Role, list[int]]] = field(default_factory=dict)
    # Blocks the line-role model reads as page furniture or as photo captions.
    furniture: list[int] = field(default_factory=list)
    captions: list[int] = field(default_factory=list)


def apply(document: Document, settings: SplitConfig) -> Document:
    if not settings.enabled or not document.blocks or _single_html_page(document):
        return document
    quotes = [] if document.media_type == "html" else mark_pull_quotes(document.blocks, settings)
    furniture = furniture_blocks(document.blocks)
    plan = plan_articles(document, settings, furniture)
    if len(plan.starts) < 2:
        for block in quotes:
            block.removal = None  # a repeated passage in one article is dedup's business
        return document
    for index, rule in furniture.items():
        _take(document.blocks[index], Role.FURNITURE, rule.id, rule.reason)
    for index in plan.page_titles:
        _take(
            document.blocks[index],
            Role.FURNITURE,
            "split.furniture.page-title",
            "the page's own title over its articles' headings",
        )
    for index in plan.furniture:
        _take(
            document.blocks[index],
            Role.FURNITURE,
            "split.furniture.layout",
            "read as page furniture by the line-role model (its shape and place on the page)",
        )
    apply_plan(document, plan, settings)
    name_quoted_articles(document, quotes)
    return document


def _single_html_page(document: Document) -> bool:
    """An HTML page is cut only under headings of its top level (a digest's articles):
    one without any heading is one article, and its headline groups need not be found
    (a quarter of the stage's time on the extraction sets' HTML pages)."""
    return document.media_type == "html" and not any(
        _is_heading(block) for block in document.blocks
    )


# Roles of blocks an earlier stage took out of the text as a headline or a byline.
_HEADLINE_ROLES = frozenset({Role.TITLE, Role.BYLINE})


def plan_articles(document: Document, settings: SplitConfig, furniture: dict[int, Rule]) -> Plan:
    """Find the headline groups, decide which start articles, and plan the articles."""
    model = settings.role_model and document.media_type != "html"
    if (
        model
        and document.layout is not Layout.COLUMNS
        and not any(_is_heading(block) for block in document.blocks)
    ):
        # Plain text without headings: the model reads it, and the headline groups (only
        # the rules and the digest heading level need them) are not worth finding.
        return _merged(
            document.blocks,
            plan_from_roles(document.blocks, settings, one_line_titles=True),
            settings,
        )
    groups = headline_groups(document.blocks, furniture, settings)
    top_level = _top_heading_level(document.blocks, groups) if groups else None
    model = model and top_level is None
    if model and document.layout is not Layout.COLUMNS:
        plan = plan_from_roles(document.blocks, settings, one_line_titles=True)
        return _merged(document.blocks, plan, settings)
    rules = Plan(starts=[0], titles=[[]], bylines=[[]])
    if groups:
        after = top_level is None and headlines_after_body(groups, document.blocks, furniture)
        decide_boundaries(document, groups, furniture, top_level, settings)
        rules = _merged(
            document.blocks, article_plan(document.blocks, groups, after, top_level), settings
        )
    if model:
        # Columns the rules (written for seed 003's layout: headlines under their bodies,
        # subheadings between articles) leave whole, or cut into fewer articles than the
        # line-role model finds (it reads subheadings as such), are read by the model.
        read = _merged(document.blocks, plan_from_roles(document.blocks, settings), settings)
        if (
            len(read.starts) > len(rules.starts)
            or len(rules.starts) < 2
            or _stitched_agreement(document.blocks, read)
            > _stitched_agreement(document.blocks, rules)
        ):
            return read
    if len(rules.starts) > 1 and top_level is None:
        peel_subtitles(document.blocks, rules)
        if model:
            settle_column_heads(document.blocks, rules, settings, document.text)
    if len(rules.starts) > 1 and top_level is not None:
        take_bold_subtitles(document.blocks, rules)
    return rules


def _stitched_agreement(blocks: list[Block], plan: Plan) -> int:
    """How well a plan agrees with the stitcher on interleaved columns: its articles that
    open where the stitcher started one, less those that open elsewhere. Of the rules'
    and the line-role model's readings of a stitched page, the one agreeing more wins."""
    if not any(block.stitched_start for block in blocks):
        return 0  # a page the stitcher did not touch: both readings agree equally
    met = sum(1 for start in plan.starts if blocks[start].stitched_start)
    return met - (len(plan.starts) - met)


# Longest bold line under a digest heading that is its subtitle, not a bold paragraph.
_MAX_SUBTITLE_CHARS = 120


def take_bold_subtitles(blocks: list[Block], plan: Plan) -> None:
    """In a Markdown digest, a short line set wholly in bold directly under an article's
    heading ("## Title" / "**subtitle**") is the article's subtitle."""
    ends = plan.starts[1:] + [len(blocks)]
    for article, (start, end) in enumerate(zip(plan.starts, ends, strict=True)):
        after = max(plan.titles[article], default=start - 1) + 1
        following = next((index for index in range(after, end) if blocks[index].kept), None)
        if following is None or not plan.titles[article]:
            continue
        block = blocks[following]
        if block.tag == "strong" and len(block.text) <= _MAX_SUBTITLE_CHARS:
            plan.heads.setdefault(start, {}).setdefault(Role.SUBTITLE, []).append(following)


def peel_subtitles(blocks: list[Block], plan: Plan) -> None:
    """The rules take every line of a column page's headline group as the title; a line
    under the first opening with a dash ("——…") is the subtitle. (The first line is left
    in the title: "太原中北高新区:" or "土豆不“土”" over a second line is one headline
    printed over two, which the line-role model cannot tell from a kicker over a title.)"""
    for article, heads in enumerate(plan.titles):
        subtitle = [index for index in heads[1:] if _DASH_OPENING.match(blocks[index].text)]
        if subtitle:
            plan.titles[article] = [index for index in heads if index not in subtitle]
            start = plan.heads.setdefault(plan.starts[article], {})
            start.setdefault(Role.SUBTITLE, []).extend(subtitle)


def settle_column_heads(
    blocks: list[Block], plan: Plan, settings: SplitConfig, page_text: str = ""
) -> None:
    """The rules take a column headline group's lines as one title; the line-role model
    reads each line's shape against the page, and a last line it takes for the subtitle
    under the headline ("comments Robin Biesbroek of the CDF") or a first line it takes
    for the kicker over it (sure of it, or surer than of a title) leaves the title for a
    field of its own. An English last line the line above had room for is no wrap of
    it: the subtitle too (`latin_lines_set_apart`). A first line ending
    in a colon ("太原中北高新区:") opens the headline, whatever its shape."""
    if all(len(heads) < 2 for heads in plan.titles):
        return
    last_lines = {blocks[heads[-1]].text.strip() for heads in plan.titles if len(heads) > 1}
    set_apart = latin_lines_set_apart(page_text, last_lines)
    indices = sequence_indices(blocks)
    reading = read_page([blocks[index] for index in indices])
    row_of = {index: row for row, index in enumerate(indices)}
    kicker_row, subtitle_row = ROLES.index(Role.KICKER), ROLES.index(Role.SUBTITLE)
    title_row = ROLES.index(Role.TITLE)

    def probability(index: int, role_row: int) -> float:
        row = row_of.get(index)
        return 0.0 if row is None else math.exp(reading.emissions[row][role_row])

    for article, heads in enumerate(plan.titles):
        if len(heads) < 2:
            continue
        first, last = heads[0], heads[-1]
        kicker_odds = probability(first, kicker_row)
        reads_as_kicker = (
            kicker_odds >= settings.min_column_kicker_probability
            or kicker_odds > probability(first, title_row)
        )
        opens_headline = blocks[first].text.rstrip().endswith((":", "："))
        kicker = [first] if reads_as_kicker and not opens_headline else []
        reads_as_subtitle = (
            probability(last, subtitle_row) >= settings.min_column_subtitle_probability
            or blocks[last].text.strip() in set_apart
        )
        subtitle = [last] if reads_as_subtitle and last not in kicker else []
        title = [index for index in heads if index not in kicker and index not in subtitle]
        if not title:
            continue
        plan.titles[article] = title
        for role, indices_of_role in ((Role.KICKER, kicker), (Role.SUBTITLE, subtitle)):
            if indices_of_role:
                heads_of = plan.heads.setdefault(plan.starts[article], {})
                heads_of.setdefault(role, []).extend(indices_of_role)


# Lines on each side of a printed line whose widths give the width of its column.
_COLUMN_LINES = 8


def latin_lines_set_apart(page_text: str, wanted: set[str]) -> set[str]:
    """Those of the `wanted` English lines of a column page that do not continue the
    line printed above them: that line had room for their first word (ragged right: the
    typesetter would have put it there) or is wider than its column (set across it,
    whole). The column is the upper quartile of the lines around: a page's articles may
    be set in columns of different widths."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    found = set()
    for index, line in enumerate(lines):
        if line not in wanted or index == 0 or not is_mostly_latin(line):
            continue
        above = lines[index - 1]
        if not is_mostly_latin(above) or above.endswith("-"):
            continue
        around = lines[max(0, index - 1 - _COLUMN_LINES) : index - 1]
        around += lines[index + 1 : index + 1 + _COLUMN_LINES]
        column = column_width([len(text) for text in around])
        if column is None:
            continue
        first_word = line.split(maxsplit=1)[0]
        if len(above) + 1 + len(first_word) <= column or len(above) > column + 2:
            found.add(line)
    return found


def _merged(blocks: list[Block], plan: Plan, settings: SplitConfig) -> Plan:
    merge_short_articles(blocks, plan, settings.min_article_chars)
    return plan


def furniture_blocks(blocks: list[Block]) -> dict[int, Rule]:
    """Page furniture among the kept blocks and those an earlier stage took as metadata
    (boilerplate reads "区域创新 3" above the issue date as a headline)."""
    found = {}
    for index, block in enumerate(blocks):
        candidate = block.kept or block.role in _HEADLINE_ROLES
        rule = first_match(block.text, FURNITURE_RULES) if candidate else None
        if rule:
            found[index] = rule
    return found


def headline_groups(
    blocks: list[Block], furniture: dict[int, Rule], settings: SplitConfig
) -> list[Group]:
    """Runs of headline-shaped blocks, with the kept body blocks on each side.

    A headline or byline an earlier stage already took out as metadata (boilerplate
    marks the headline above a "By …" line) still shows where an article starts."""
    groups: list[Group] = []
    current: list[int] = []
    previous_body: int | None = None
    for index, block in enumerate(blocks):
        taken_as_metadata = (
            block.removal is not None
            and block.role in _HEADLINE_ROLES
            and block.kind in (PARAGRAPH, HEADING)
        )
        if (not block.kept and not taken_as_metadata) or index in furniture:
            continue
        if taken_as_metadata or is_headline_shaped(block, settings):
            current.append(index)
            continue
        if current:
            groups.append(Group(current, index, previous_body))
            current = []
        previous_body = index
    if current:
        groups.append(Group(current, None, previous_body))
    return groups


def headlines_after_body(
    groups: list[Group], blocks: list[Block], furniture: dict[int, Rule]
) -> bool:
    """Seed 003 prints each headline under its article: the page then ends on a headline
    group and does not start with one. A page that both starts and ends on one (a
    section name over the first column, "社会", that no furniture rule knows) prints
    its headlines on the side of the text they name: a headline repeats its own
    article's words (`_heads_name_the_text_before`)."""
    if groups[-1].next_body is not None:
        return False
    return groups[0].previous_body is not None or _heads_name_the_text_before(
        groups, blocks, furniture
    )


# Characters of body text on each side of a headline group its terms are looked for in:
# an article's opening paragraphs or its last ones, not a whole page of thousands of lines.
_NAMED_TEXT_WINDOW = 1500


def _heads_name_the_text_before(
    groups: list[Group], blocks: list[Block], furniture: dict[int, Rule]
) -> bool:
    """Whether the headline groups between body text share more terms with the text
    before them (up to the group before) than with the text after (up to the next)."""
    before = after = 0.0
    window = _NAMED_TEXT_WINDOW
    for number, group in enumerate(groups):
        if group.previous_body is None or group.next_body is None:
            continue
        heads = salient_terms(" ".join(blocks[index].text for index in group.blocks))
        if not heads:
            continue
        start = groups[number - 1].blocks[-1] + 1 if number else 0
        end = groups[number + 1].blocks[0] if number + 1 < len(groups) else len(blocks)
        left = _body_text(blocks, range(group.blocks[0] - 1, start - 1, -1), furniture, window)
        right = _body_text(blocks, range(group.blocks[-1] + 1, end), furniture, window)
        before += len(heads & salient_terms(left[-window:])) / len(heads)
        after += len(heads & salient_terms(right[:window])) / len(heads)
    return before > after


def decide_boundaries(
    document: Document,
    groups: list[Group],
    furniture: dict[int, Rule],
    top_level: int | None,
    settings: SplitConfig,
) -> None:
    blocks = document.blocks
    # The topic alone may split only a printed page that shows it is one: reflowed
    # columns with page furniture, a headline printed after its body, or an article
    # opening somewhere. A long hard-wrapped essay with section titles shows none.
    columns = document.layout is Layout.COLUMNS and (
        bool(furniture)
        or headlines_after_body(groups, blocks, furniture)
        or _any_opening(blocks, groups)
    )
    headline = HeadlineOdds(blocks, settings.role_model)
    article_start = 0
    for group in groups:
        if group.next_body is None or group.previous_body is None:
            continue
        if top_level is not None:
            group.boundary = _has_top_heading(blocks, group, top_level) and (
                _opens_article(blocks[group.next_body])
                if document.media_type == "html"
                else not _same_topic(blocks, article_start, group, furniture, settings)
            )
        elif document.media_type != "html":
            group.boundary = _opens_article(blocks[group.next_body]) or (
                columns
                and _column_boundary(blocks, article_start, group, furniture, settings, headline)
            )
        if group.boundary:
            article_start = group.blocks[-1] + 1


def _any_opening(blocks: list[Block], groups: list[Group]) -> bool:
    return any(
        _opens_article(blocks[group.next_body])
        or any(_is_byline(blocks[index]) for index in group.blocks)
        for group in groups
        if group.next_body is not None and group.previous_body is not None
    )


class HeadlineOdds:
    """How sure the line-role model is that a group of a column page holds an article's
    headline (title or kicker). The page is read once, and only when a group needs it."""

    def __init__(self, blocks: list[Block], enabled: bool) -> None:
        self.blocks = blocks
        self.enabled = enabled
        self.reading: Reading | None = None
        self.rows: dict[int, int] = {}

    def of(self, group: Group) -> float:
        if not self.enabled:
            return 0.0
        if self.reading is None:
            indices = sequence_indices(self.blocks)
            self.reading = read_page([self.blocks[index] for index in indices])
            self.rows = {index: row for row, index in enumerate(indices)}
        heads = [ROLES.index(Role.TITLE), ROLES.index(Role.KICKER)]
        return max(
            (
                sum(math.exp(self.reading.emissions[self.rows[index]][head]) for head in heads)
                for index in group.blocks
                if index in self.rows
            ),
            default=0.0,
        )


def _column_boundary(
    blocks: list[Block],
    article_start: int,
    group: Group,
    furniture: dict[int, Rule],
    settings: SplitConfig,
    headline: HeadlineOdds,
) -> bool:
    """On a printed page without an opening line: a headline with a byline under it
    ("◎陈 科"); a headline printed the way seed 003 prints them (over two lines, as
    "地名：" + subtitle, as two phrases), or one the line-role model is sure of, where
    the topic changes; any headline-shaped line where the topic changes completely."""
    if any(_is_byline(blocks[index]) for index in group.blocks):
        return True
    similarity = topic_similarity_at(blocks, article_start, group, furniture, settings)
    if similarity is None:
        return False
    if similarity < settings.topic_shift_below / 2:
        return True
    return similarity < settings.topic_shift_below and (
        _headline_printed(blocks, group)
        or headline.of(group) >= settings.min_column_headline_probability
    )


def _same_topic(
    blocks: list[Block],
    article_start: int,
    group: Group,
    furniture: dict[int, Rule],
    settings: SplitConfig,
) -> bool:
    """Sections of one Markdown article under "##" headings keep their subject. A byline
    under the heading or an opening paragraph says it is another article all the same
    (two digest entries on one story)."""
    if group.next_body is not None and _opens_article(blocks[group.next_body]):
        return False
    if any(_is_byline(blocks[index]) for index in group.blocks):
        return False
    similarity = topic_similarity_at(blocks, article_start, group, furniture, settings)
    return similarity is not None and similarity >= settings.same_topic_above


def _headline_printed(blocks: list[Block], group: Group) -> bool:
    """Over two lines, as "地名：" + subtitle, or as two phrases set apart by a space
    ("四年前中500万现穷困潦倒 一夜暴富后如何经营")."""
    first = blocks[group.blocks[0]].text
    two_phrases = re.search(r"[\u4e00-\u9fff”] +[\u4e00-\u9fff“]", first) is not None
    return len(group.blocks) >= 2 or first.endswith(("：", ":")) or two_phrases


def _top_heading_level(blocks: list[Block], groups: list[Group]) -> int | None:
    """The level of the headings that head articles in a digest, or None.

    The top level among headings with body text on both sides, unless the page opens on
    a bigger heading that stands alone over them: that is an article's title over its
    sections ("# Title … ## Section"), while "# Page title" directly over "## Article"
    is a digest's name."""
    inside: list[int] = []
    leading: list[int] = []
    for group in groups:
        levels = [
            _heading_level(blocks[index]) for index in group.blocks if _is_heading(blocks[index])
        ]
        if group.previous_body is None:
            leading += levels
        elif group.next_body is not None:
            inside += levels
    if not inside:
        return None
    top = min(inside)
    if any(level < top for level in leading) and top not in leading:
        return None
    return top


def _is_heading(block: Block) -> bool:
    return block.kind == HEADING and block.tag[:1] == "h"


def _heading_level(block: Block) -> int:
    tag = block.tag
    return int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit() else 2


def _has_top_heading(blocks: list[Block], group: Group, level: int) -> bool:
    return any(
        blocks[index].kind == HEADING and _heading_level(blocks[index]) == level
        for index in group.blocks
    )


def _opens_article(block: Block) -> bool:
    return block.kind == PARAGRAPH and first_match(block.text, OPENER_RULES) is not None


# ---------------------------------------------------------------- topic shift


def topic_similarity(left: str, right: str) -> float:
    """Share of the terms of the smaller side that the other side uses too (0..1).

    Sections of one article repeat their subject's names and words; two articles on a
    page share little beyond what every text says."""
    left_terms, right_terms = salient_terms(left), salient_terms(right)
    smaller = min(len(left_terms), len(right_terms))
    if smaller == 0:
        return 0.0
    return len(left_terms & right_terms) / smaller


def topic_similarity_at(
    blocks: list[Block],
    article_start: int,
    group: Group,
    furniture: dict[int, Rule],
    settings: SplitConfig,
) -> float | None:
    """How alike the text on both sides of `group` is: the article so far (its last
    `topic_window` characters) against as much of the body text that follows (across any
    further subheadings). None when either side is too short to tell."""
    window = settings.topic_window
    before = range(group.blocks[0] - 1, article_start - 1, -1)
    left = _body_text(blocks, before, furniture, window)[-window:]
    right = _body_text(blocks, range(group.blocks[-1] + 1, len(blocks)), furniture, window)
    right = right[:window]
    if min(len(left), len(right)) < settings.topic_min_chars:
        return None
    return topic_similarity(left, right)


def _body_text(blocks: list[Block], indices: range, furniture: dict[int, Rule], enough: int) -> str:
    """The kept body text of the blocks at `indices` (in reading order whichever way the
    range runs), stopping once `enough` characters are collected: a page of thousands of
    lines must not be read again for every headline."""
    texts: list[str] = []
    collected = 0
    for index in indices:
        block = blocks[index]
        if block.kept and index not in furniture and block.kind != HEADING:
            texts.append(block.text)
            collected += len(block.text)
            if collected >= enough:
                break
    if indices.step < 0:
        texts.reverse()
    return "\n".join(texts)


# ---------------------------------------------------------------- the line-role plan


@dataclass
class HeadRun:
    """A run of blocks the decoder read as an article's head (kicker, title, subtitle,
    byline, dateline), furniture and captions between them passed over."""

    blocks: list[tuple[int, Role]]
    body_before: bool
    body_after: bool = False

    @property
    def titled(self) -> bool:
        return any(role in (Role.TITLE, Role.KICKER) for _, role in self.blocks)

    def of(self, *roles: Role) -> list[int]:
        return [index for index, role in self.blocks if role in roles]


def head_runs(indices: list[int], roles: list[Role]) -> list[HeadRun]:
    runs: list[HeadRun] = []
    current: list[tuple[int, Role]] = []
    seen_body = False
    for index, role in zip(indices, roles, strict=True):
        if role in HEAD_ROLES:
            current.append((index, role))
        elif role not in (Role.FURNITURE, Role.CAPTION):
            if current:
                runs.append(HeadRun(current, seen_body, True))
                current = []
            seen_body = True
    if current:
        runs.append(HeadRun(current, seen_body, False))
    return runs


def plan_from_roles(
    blocks: list[Block], settings: SplitConfig, one_line_titles: bool = False
) -> Plan:
    """Articles from the decoded line roles: each titled head run opens an article, or,
    on a page that prints headlines under their articles (the last run closes the page,
    the first follows body text), closes one. A page the model does not read as holding
    several articles stays one: a single article is never cut on a doubt."""
    indices = sequence_indices(blocks)
    plan = Plan(starts=[0], titles=[[]], bylines=[[]])
    if not _short_line_after_body(blocks, indices):
        return plan
    reading = read_page([blocks[index] for index in indices], subheadings=not one_line_titles)
    if reading.several < settings.min_several_probability:
        return plan
    roles = reading.roles
    if one_line_titles:
        roles = chunk_tails(blocks, indices, opening_headline(blocks, indices, roles))
        roles = chunk_heads(blocks, indices, roles, settings)
    runs = head_runs(indices, roles)
    if one_line_titles:
        for run in runs:
            settle_head_lines(run, blocks)
    titled = [run for run in runs if run.titled]
    after = bool(titled) and not titled[-1].body_after and titled[0].body_before
    for run in runs:
        if not run.titled:
            plan.bylines[-1] += run.of(Role.BYLINE)
            _add_heads(plan, plan.starts[-1], run, Role.DATELINE)
            continue
        if run.body_before and not after:
            plan.starts.append(run.blocks[0][0])
            plan.titles.append([])
            plan.bylines.append([])
        plan.titles[-1] = run.of(Role.TITLE) or run.of(Role.KICKER)
        plan.bylines[-1] += run.of(Role.BYLINE)
        if run.of(Role.TITLE):
            _add_heads(plan, plan.starts[-1], run, Role.KICKER)
        _add_heads(plan, plan.starts[-1], run, Role.SUBTITLE, Role.DATELINE)
        if after and run.body_after:
            plan.starts.append(run.blocks[-1][0] + 1)
            plan.titles.append([])
            plan.bylines.append([])
    for index, role in zip(indices, roles, strict=True):
        if role is Role.FURNITURE:
            plan.furniture.append(index)
        elif role is Role.CAPTION:
            plan.captions.append(index)
        elif role is Role.SUBHEADING and blocks[index].kept:
            plan.subheadings.append(index)
    return plan


def opening_headline(blocks: list[Block], indices: list[int], roles: list[Role]) -> list[Role]:
    """The roles with the page's first line read as its first article's headline when
    the model took it for page furniture but the line reads as none (no masthead, date
    or page number of `FURNITURE_RULES`), ends no sentence and stands over the article's
    own text (its body, subtitle, byline or dateline, not another headline). The model
    learnt furniture over the first headline from column pages; a digest of articles
    with a headline each prints its first article's headline first."""
    if len(roles) < 2 or roles[0] is not Role.FURNITURE or roles[1] not in _UNDER_HEADLINE:
        return roles
    text = blocks[indices[0]].text.strip()
    if (
        ENDS_SENTENCE.search(text)
        or display_width(text) > _MAX_HEAD_WIDTH
        or first_match(text, FURNITURE_RULES) is not None
    ):
        return roles
    return [Role.TITLE, *roles[1:]]


def _blank_lines_part_articles(after_blank: list[bool]) -> bool:
    """Whether a page's blank lines set articles apart: fewer than half its lines follow
    one (a page with a blank after every paragraph spaces its paragraphs instead)."""
    return sum(after_blank) * 2 < len(after_blank)


def chunk_tails(blocks: list[Block], indices: list[int], roles: list[Role]) -> list[Role]:
    """The roles with a headline line that ends a blank-line chunk after body text read
    as body, when a head opens the next chunk: on a page whose blank lines set articles
    apart (fewer than half its lines follow one), a chunk is one article, and its last
    line (a list item, an address, a line stopping without a full stop) is that
    article's text, not a headline over the next one; the next chunk's first line, read
    as its subtitle, is then its headline."""
    after_blank = [blocks[index].after_blank for index in indices]
    if not _blank_lines_part_articles(after_blank):
        return roles
    settled = list(roles)
    for row in range(1, len(roles) - 1):
        if (
            roles[row] in _HEADLINE_LINES
            and roles[row - 1] is Role.BODY
            and not after_blank[row]
            and after_blank[row + 1]
            and roles[row + 1] in _HEADLINE_LINES
        ):
            settled[row] = Role.BODY
            if roles[row + 1] is Role.SUBTITLE:
                settled[row + 1] = Role.TITLE  # read as the subtitle under the tail
    return settled


def chunk_heads(
    blocks: list[Block], indices: list[int], roles: list[Role], settings: SplitConfig
) -> list[Role]:
    """The roles with the first line of a blank-line chunk read as its headline when the
    model took it for body but it is headline-shaped (a question with no sentence before
    it is: "What do you buy for the person who has everything?") and the chunk goes on
    after it: on a page whose blank lines set articles apart, a chunk is one article."""
    after_blank = [blocks[index].after_blank for index in indices]
    if not _blank_lines_part_articles(after_blank):
        return roles
    settled = list(roles)
    for row in range(1, len(roles) - 1):
        if (
            roles[row] is Role.BODY
            and after_blank[row]
            and not after_blank[row + 1]
            and roles[row - 1] not in HEAD_ROLES
            and is_headline_shaped(blocks[indices[row]], settings)
        ):
            settled[row] = Role.TITLE
    return settled


# What a page's first line stands over when it is the first article's headline.
_UNDER_HEADLINE = frozenset({Role.BODY, Role.SUBTITLE, Role.BYLINE, Role.DATELINE})


# Widest line that may be a headline when the model is asked at all: the model reads
# lines up to 45 units wide as heads; an English headline of 110 characters is 55.
_MAX_HEAD_WIDTH = 60.0


def _short_line_after_body(blocks: list[Block], indices: list[int]) -> bool:
    """A second article needs a headline after body text: a short line that ends no
    sentence. A page without one is one article, and reading it with the model (a third
    of the stage's time on the extraction pages) would change nothing."""
    seen_body = False
    for index in indices:
        text = blocks[index].text.strip()
        short = display_width(text) <= _MAX_HEAD_WIDTH and not ENDS_SENTENCE.search(text)
        if short and seen_body:
            return True
        seen_body = seen_body or not short
    return False


_HEADLINE_LINES = (Role.KICKER, Role.TITLE, Role.SUBTITLE)
_DASH_OPENING = re.compile(r"^\s*(?:——|—|--)")


def settle_head_lines(run: HeadRun, blocks: list[Block]) -> None:
    """The headline lines of one run on a page whose titles take one line each (plain
    text, not wrapped columns): a line opening with a dash is the subtitle; of the
    others, in a Chinese head the first over the second is the kicker (引题) over the
    title, in a Latin one the first is the title and the rest its subtitle. The model's
    own reading of kicker against title is unsure: both are short phrases; their order
    is what the layout fixes."""
    lines = [index for index, role in run.blocks if role in _HEADLINE_LINES]
    if len(lines) < 2:
        return
    plain = [index for index in lines if not _DASH_OPENING.match(blocks[index].text)]
    settled = {index: Role.SUBTITLE for index in lines}
    if plain:
        latin = is_mostly_latin(" ".join(blocks[index].text for index in plain))
        first = 0 if latin or len(plain) < 2 else 1
        settled[plain[first]] = Role.TITLE
        if first:
            settled[plain[0]] = Role.KICKER
    run.blocks = [(index, settled.get(index, role)) for index, role in run.blocks]


def _add_heads(plan: Plan, start: int, run: HeadRun, *roles: Role) -> None:
    for role in roles:
        if run.of(role):
            plan.heads.setdefault(start, {}).setdefault(role, []).extend(run.of(role))


# ---------------------------------------------------------------- the plan


def article_plan(
    blocks: list[Block], groups: list[Group], after: bool, top_level: int | None
) -> Plan:
    """Article starts (block indices) and the headline/byline blocks of each article."""
    plan = Plan(starts=[0], titles=[[]], bylines=[[]])
    for group in groups:
        heads, names, subheadings, page_titles = group_roles(blocks, group, top_level)
        plan.page_titles += page_titles
        if group.boundary and not after:
            plan.starts.append(group.blocks[0])
            plan.titles.append(heads)
            plan.bylines.append(names)
            plan.subheadings += subheadings
        elif group.boundary or (after and group.next_body is None):
            plan.titles[-1] = heads
            plan.bylines[-1] += names
            plan.subheadings += subheadings
            if group.next_body is not None:
                plan.starts.append(group.blocks[-1] + 1)
                plan.titles.append([])
                plan.bylines.append([])
        elif group.previous_body is None and not after:
            plan.titles[-1] = heads
            plan.bylines[-1] += names
            plan.subheadings += subheadings
        else:
            plan.subheadings += heads
    return plan


def group_roles(
    blocks: list[Block], group: Group, top_level: int | None
) -> tuple[list[int], list[int], list[int], list[int]]:
    """The group's headline, byline, subheading and page-title blocks.

    On a printed page every line of the group that is not a byline is the headline. In
    a digest the headline is the top-level heading; a bigger heading above it is the
    page's title, anything else stays in the text."""
    names = [index for index in group.blocks if _is_byline(blocks[index])]
    named = set(names)  # sets: a group can hold thousands of blocks
    heads = [index for index in group.blocks if index not in named]
    if top_level is None:
        return heads, names, [], []
    levels = {index: _heading_level(blocks[index]) for index in heads if _is_heading(blocks[index])}
    title = [index for index in heads if levels.get(index) == top_level]
    page_titles = [index for index in heads if levels.get(index, top_level) < top_level]
    placed = set(title) | set(page_titles)
    rest = [index for index in heads if index not in placed]
    return title, names, rest, page_titles


def _is_byline(block: Block) -> bool:
    if block.removal is not None and block.role is Role.BYLINE:
        return True
    return block.kind == PARAGRAPH and first_match(block.text, BYLINE_RULES) is not None


def merge_short_articles(blocks: list[Block], plan: Plan, min_chars: int) -> None:
    """Join each article with too little body text to its neighbour (the next one for
    the first, the previous one otherwise): a page head or a teaser is not an article."""
    article = 0
    while len(plan.starts) > 1 and article < len(plan.starts):
        into = article + 1 if article == 0 else article - 1
        if _stands_alone(blocks, plan, article, into, min_chars):
            article += 1
            continue
        first, second = sorted((article, into))
        plan.titles[first] = plan.titles[first] or plan.titles[second]
        if plan.titles[first] is not plan.titles[second]:
            plan.subheadings += plan.titles[second]
        plan.bylines[first] += plan.bylines[second]
        moved = plan.heads.pop(plan.starts[second], {})
        for role, indices in moved.items():
            plan.heads.setdefault(plan.starts[first], {}).setdefault(role, []).extend(indices)
        del plan.starts[second], plan.titles[second], plan.bylines[second]
        article = first


def _stands_alone(blocks: list[Block], plan: Plan, article: int, into: int, min_chars: int) -> bool:
    """Whether an article is one however little text it holds: it has enough, or the
    stitcher began it, or it is a brief printing a report's head, or a brief whose text,
    counted by the room it takes (a CJK character as two), is enough and which stands
    beside a full article. A page whose every part is that short is one text set in
    short sections under subheadings."""
    chars = sum(map(len, _body_texts(blocks, plan, article)))
    if chars >= min_chars or _opens_stitched(blocks, plan, article):
        return True
    if chars >= _MIN_BRIEF_CHARS and _printed_as_article(blocks, plan, article):
        return True
    printed = sum(map(_printed_chars, _body_texts(blocks, plan, article)))
    beside = sum(map(len, _body_texts(blocks, plan, into)))
    return printed >= min_chars and beside >= min_chars


def _opens_stitched(blocks: list[Block], plan: Plan, article: int) -> bool:
    """Whether the article opens where the stitcher began one of its chains: the
    stitcher followed that article through the columns, so however short it is, it
    is not a page head or a teaser."""
    start = plan.starts[article]
    return any(blocks[index].stitched_start for index in [start, *plan.titles[article]])


# Least body text of a brief: a sentence. A head with none under it is a headline the
# plan put on the wrong side of its text (a page that prints headlines under their
# articles read as printing them over), not an article.
_MIN_BRIEF_CHARS = 40


def _printed_as_article(blocks: list[Block], plan: Plan, article: int) -> bool:
    """Whether a short article prints a report's head: a headline with a byline or a
    subtitle ("——…") under it, or a text opening on a dateline ("本报北京1月2日电"). A
    brief is that short and still an article; a page head or a teaser prints none."""
    titles = plan.titles[article]
    if not titles:
        return False
    start = plan.starts[article]
    heads = plan.heads.get(start, {})
    if plan.bylines[article] or heads.get(Role.SUBTITLE) or heads.get(Role.DATELINE):
        return True
    if any(_DASH_OPENING.match(blocks[index].text) for index in titles[1:]):
        return True
    end = plan.starts[article + 1] if article + 1 < len(plan.starts) else len(blocks)
    skip = set(titles) | {index for indices in heads.values() for index in indices}
    first_body = next(
        (blocks[index] for index in range(start, end) if blocks[index].kept and index not in skip),
        None,
    )
    return first_body is not None and _opens_article(first_body)


def _printed_chars(text: str) -> int:
    """Characters counted by the room they take: a CJK character prints as wide as two
    Latin ones and says about as much (a Chinese brief of 80 characters is a report, an
    English one a sentence)."""
    return len(text) + (0 if text.isascii() else len(CJK_CHARACTER.findall(text)))


def _body_texts(blocks: list[Block], plan: Plan, article: int) -> list[str]:
    """The kept text of the article's body: its blocks but its head and furniture."""
    start = plan.starts[article]
    end = plan.starts[article + 1] if article + 1 < len(plan.starts) else len(blocks)
    skip = set(plan.titles[article]) | set(plan.bylines[article]) | set(plan.furniture)
    for indices in plan.heads.get(start, {}).values():
        skip.update(indices)
    return [
        block.text
        for index, block in enumerate(blocks[start:end], start)
        if block.kept and index not in skip
    ]


def apply_plan(document: Document, plan: Plan, settings: SplitConfig) -> None:
    """Number the blocks, fill `document.articles`, mark headlines and bylines."""
    blocks = document.blocks
    ends = plan.starts[1:] + [len(blocks)]
    infos: list[ArticleInfo] = []
    for article, (start, end) in enumerate(zip(plan.starts, ends, strict=True)):
        for block in blocks[start:end]:
            block.article = article
        title = _title_from(blocks, plan.titles[article])
        author = _author_from(blocks, plan.bylines[article])
        title = title or _marked_earlier(blocks[start:end], Role.TITLE)
        author = author or _marked_earlier(blocks[start:end], Role.BYLINE)
        info = ArticleInfo(title=title, author=author and clean_byline(author))
        _heads_into(info, blocks, plan.heads.get(start, {}))
        info.published = printed_date(blocks[start:end])
        infos.append(info)
    page_date = printed_date(blocks[: plan.starts[1]]) if len(plan.starts) > 1 else None
    issue_date = page_date or printed_date(blocks)
    for info, start, end in zip(infos, plan.starts, ends, strict=True):
        filed = dateline_date(blocks[start:end], issue_date)
        info.published = info.published or filed or page_date
    document.articles = infos
    for index in plan.captions:
        if blocks[index].kept:
            blocks[index].kind = CAPTION
            blocks[index].role = Role.CAPTION
    for index in plan.subheadings:
        blocks[index].kind = HEADING
        blocks[index].role = Role.SUBHEADING
    _take_bylines_from_text(document)
    _mark_captions(document, settings)


# Longest line that is a printed date and nothing else ("2023年4月28日 星期五",
# "November 21, 2024"); a longer one holding a date is a sentence about it.
_MAX_DATE_LINE = 30


def printed_date(blocks: list[Block]) -> str | None:
    """The date an article (or the page above its first article) prints on a line of its
    own: its dateline or the page's issue date, read even where an earlier stage removed
    the line (boilerplate removes a date line each article repeats)."""
    for block in blocks:
        text = block.text.strip()
        if len(text) <= _MAX_DATE_LINE and not ENDS_CLAUSE.search(text):
            date = normalize_date(text)
            if date:
                return date
    return None


# A dateline gives the month and day a report was filed: "本报北京1月2日电".
_DATELINE_DAY = re.compile(
    r"^\s*(?:本[报報]|新华社|中新社)[\u4e00-\u9fff]{0,8}?(\d{1,2})\s*月\s*(\d{1,2})\s*日[电電]"
)


def dateline_date(blocks: list[Block], issue_date: str | None) -> str | None:
    """The day an article's dateline names, in the year of the date the page prints
    (its issue date, wherever on the page it stands). A report filed in December and
    printed in January was filed the year before.

    >>> dateline_date([Block("本报北京1月2日电　记者从…")], "2020-01-03")
    '2020-01-02'
    >>> dateline_date([Block("新华社上海12月30日电　…")], "2021-01-02")
    '2020-12-30'
    >>> dateline_date([Block("本报北京1月2日电")], None) is None  # no year anywhere
    True
    """
    if not issue_date:
        return None
    year, month = int(issue_date[:4]), int(issue_date[5:7])
    for block in blocks:
        found = _DATELINE_DAY.match(block.text)
        if found:
            filed_month, day = int(found.group(1)), int(found.group(2))
            if not (1 <= filed_month <= 12 and 1 <= day <= 31):
                return None
            filed_year = year - 1 if filed_month - month > 6 else year
            return f"{filed_year:04d}-{filed_month:02d}-{day:02d}"
    return None


_HEAD_RULES = {
    Role.KICKER: ("meta.kicker", "the line over the article's headline, kept as its kicker"),
    Role.SUBTITLE: ("meta.subtitle", "the line under the article's headline, kept as its subtitle"),
    Role.DATELINE: ("meta.dateline", "the article's dateline on a line of its own"),
}


def _heads_into(info: ArticleInfo, blocks: list[Block], heads: dict[Role, list[int]]) -> None:
    """Kicker and subtitle text into the article's record; their blocks (and a dateline
    printed on its own line) taken out of the body."""
    for role, indices in heads.items():
        rule, detail = _HEAD_RULES[role]
        text = " ".join(blocks[index].text.strip() for index in indices) or None
        for index in indices:
            _take(blocks[index], role, rule, detail)
        if role is Role.KICKER:
            info.kicker = text
        elif role is Role.SUBTITLE:
            info.subtitle = text


def _marked_earlier(blocks: list[Block], role: Role) -> str | None:
    """The text of a headline or byline an earlier stage already took out of the body
    (boilerplate marks the page's first title and every "By …" line)."""
    found = next(
        (
            block
            for block in blocks
            if block.removal and block.role is role and not first_match(block.text, FURNITURE_RULES)
        ),
        None,
    )
    return found.text.strip() if found else None


def _title_from(blocks: list[Block], indices: list[int]) -> str | None:
    parts = [blocks[index].text.strip() for index in indices]
    for index in indices:
        _take(blocks[index], Role.TITLE, "meta.title", "the article's headline, kept as its title")
    return join_title(parts) if parts else None


def join_title(parts: list[str]) -> str:
    """Join the lines of a headline printed over several lines.

    >>> join_title(["太原中北高新区:", "硬举措提升营商环境“软实力”"])
    '太原中北高新区:硬举措提升营商环境“软实力”'
    >>> join_title(["Storm hits", "the coast"])
    'Storm hits the coast'
    """
    title = parts[0]
    for part in parts[1:]:
        latin = ord(title[-1]) < 0x2000 and ord(part[0]) < 0x2000 and title[-1] != ":"
        title = f"{title} {part}" if latin else title + part
    return title


def _author_from(blocks: list[Block], indices: list[int]) -> str | None:
    names = []
    for index in indices:
        names.append(clean_byline(blocks[index].text))
        _take(blocks[index], Role.BYLINE, "meta.byline", "the article's byline, kept as its author")
    return "; ".join(name for name in names if name) or None


def clean_byline(text: str) -> str:
    """The name(s) in a byline line.

    >>> clean_byline("◎陈 科")
    '陈科'
    >>> clean_byline("By Jane Smith")
    'Jane Smith'
    """
    text = re.sub(r"^[◎■●▲★]\s*|^(?:By|BY)\s+|^[（(]|[）)]$", "", text.strip()).strip()
    single = re.fullmatch(
        r"(?:本[报報]|实习|實習)?(?:[记記]者|通[讯訊][员員]|文|[图圖]|撰稿)\s*[/:：|｜]?\s*"
        r"(\S+(?:\s\S)?)",
        text,
    )
    if single:
        text = single.group(1)
    if len(text) <= 5:
        # "陈 科": a two-character name spread to the width of three.
        text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)
    return text


def _take_bylines_from_text(document: Document) -> None:
    """Cut "科技日报讯 （记者…）" off each article's first paragraph and "… 席静" off its
    last, into blocks marked `meta.byline`, and record the names as the author."""
    for article, info in enumerate(document.articles):
        kept = document.kept_blocks(article)
        if not kept:
            continue
        names = [info.author] if info.author else []
        prefix = BYLINE_PREFIX.match(kept[0].text)
        if prefix and len(prefix.group("prefix")) < len(kept[0].text):
            _cut(document, kept[0], len(prefix.group("prefix")), byline_first=True)
            names.append(prefix.group("author") or "")
        signature = TRAILING_SIGNATURE.search(kept[-1].text)
        if signature and signature.start() > 0:
            _cut(document, kept[-1], signature.start(), byline_first=False)
            names.append(signature.group("name1") or signature.group("name2") or "")
        info.author = "; ".join(clean_byline(name) for name in names if name) or None


def _cut(document: Document, block: Block, at: int, byline_first: bool) -> None:
    """Split `block` at `at`; the byline side becomes a removed block of its own."""
    head, tail = block.text[:at].strip(), block.text[at:].strip()
    byline_text, body_text = (head, tail) if byline_first else (tail, head)
    byline = Block(byline_text, kind=block.kind, article=block.article, tag=block.tag)
    byline.take_as(
        Role.BYLINE, "meta.byline", NAME, "byline printed in the text, kept as the author"
    )
    block.text = body_text
    position = _position_of(document.blocks, block)
    document.blocks.insert(position if byline_first else position + 1, byline)


def _position_of(blocks: list[Block], block: Block) -> int:
    """Where `block` itself sits (by identity: two blocks may hold the same text)."""
    return next(index for index, candidate in enumerate(blocks) if candidate is block)


def _take(block: Block, role: Role, rule: str, detail: str) -> None:
    """Take a block out of the body in its role, unless an earlier rule removed it."""
    if block.removal is None:
        block.take_as(role, rule, NAME, detail)


def _mark_captions(document: Document, settings: SplitConfig) -> None:
    for block in document.blocks:
        if (
            block.kept
            and CAPTION_CREDIT.search(block.text)
            and len(block.text) < settings.max_caption_chars
        ):
            block.kind = CAPTION
            block.role = Role.CAPTION


# ---------------------------------------------------------------- pull quotes


def _shingles(text: str, size: int = 8) -> set[str]:
    compact = _compact(text)
    return {compact[i : i + size] for i in range(max(1, len(compact) - size + 1))}


def name_quoted_articles(document: Document, quotes: list[Block]) -> None:
    """Say in each pull quote's evidence which article it repeats."""
    for quote in quotes:
        own = _shingles(quote.text)
        source = max(
            document.kept_blocks(), key=lambda block: len(own & _shingles(block.text)), default=None
        )
        if source is None or quote.removal is None:
            continue
        title = document.articles[source.article].title or "untitled"
        detail = f"{quote.removal.detail}: article {source.article} ({title})"
        quote.removal = Removal(quote.removal.rule, quote.removal.stage, detail)


def mark_pull_quotes(blocks: list[Block], settings: SplitConfig) -> list[Block]:
    """Mark short blocks whose text is printed again elsewhere on the page; return them.

    Of two identical blocks only the first is marked: its twin then holds the text."""
    marked: list[Block] = []
    kept = [block for block in blocks if block.kept]
    candidates = [block for block in kept if _may_be_pull_quote(block, settings)]
    page = "\x00".join(_compact(block.text) for block in kept)
    candidates = [block for block in candidates if _sampled_elsewhere(block.text, page)]
    if not candidates:
        return marked
    blocks_holding: Counter[str] = Counter()
    for block in kept:
        blocks_holding.update(_shingles(block.text))
    for block in candidates:
        own = _shingles(block.text)
        contained = sum(1 for shingle in own if blocks_holding[shingle] > 1) / len(own)
        if contained >= settings.pull_quote_containment:
            block.remove(
                "split.pull-quote",
                NAME,
                f"{contained:.0%} of its text is printed elsewhere on the page",
            )
            marked.append(block)
            blocks_holding.subtract(own)
    return marked


def _may_be_pull_quote(block: Block, settings: SplitConfig) -> bool:
    if (
        block.kind != PARAGRAPH
        or not settings.pull_quote_min_chars <= len(block.text) <= settings.pull_quote_max_chars
    ):
        return False
    # A subheading repeating its paragraph's first words is no quote.
    return bool(ENDS_CLAUSE.search(block.text) or ENDS_QUESTION.search(block.text))


def _compact(text: str) -> str:
    return "".join(text.split())


# Shingles of a block looked up elsewhere on the page before all its shingles are: a
# passage printed twice repeats every part of it, and four evenly spaced samples fall a
# quarter of the block apart, so a block 80% contained (one stretch of a fifth not
# repeated) misses at most one. Looking up every shingle of every short paragraph made
# pull quotes a third of the split stage's time on plain-text pages.
_SAMPLES = 4
_SAMPLES_FOUND = 3


def _sampled_elsewhere(text: str, page: str, size: int = 8) -> bool:
    own = _compact(text)
    if len(own) <= size:
        return page.count(own) > 1
    step = (len(own) - size) / _SAMPLES
    found = 0
    for sample in range(_SAMPLES):
        start = int(step * (sample + 0.5))
        shingle = own[start : start + size]
        found += page.count(shingle) > own.count(shingle)
    return found >= _SAMPLES_FOUND
