"""A page's regions become blocks with roles, grouped into articles.

A newspaper says what a line is by its size and place: running heads and folios sit in
the top and bottom bands, headlines are set larger than the body (the largest line of a
headline group is the title, a smaller one above it the kicker, one below it the
subtitle), captions smaller. Each headline group opens an article; the body regions that
follow it in reading order are that article's text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cleaner.dates import normalize_date
from cleaner.document import CAPTION, HEADING, METADATA, ArticleInfo, Block, Role
from cleaner.rules import first_match
from cleaner.rules.boilerplate import BYLINE
from cleaner.rules.layout import BYLINE_RULES
from cleaner.rules.pdf import CAPTION as CAPTION_RULE
from cleaner.rules.pdf import DECK, FURNITURE, HEADLINE, KICKER, SUBTITLE
from cleaner.stages.pdf.config import PdfConfig
from cleaner.stages.pdf.geometry import Line, body_size, lines_of, paragraphs, regions
from cleaner.stages.pdf.reader import PageText
from cleaner.text import ends_sentence, join_wrapped_lines

NAME = "pdf"

_SUBTITLE_DASH = re.compile(r"^\s*(?:——|--|—)")
_NAME_MARKS = "◎■●▲★"
_BYLINE_MARKS = re.compile(r"^[◎■●▲★]\s*|^(?:By|BY)\s+|^[（(]|[）)]$")


@dataclass
class PageLayout:
    blocks: list[Block] = field(default_factory=list)
    articles: list[ArticleInfo] = field(default_factory=list)
    published: str | None = None


@dataclass(frozen=True)
class _Region:
    lines: list[Line]
    size: float
    column: int

    @property
    def top(self) -> float:
        return min(line.top for line in self.lines)

    @property
    def bottom(self) -> float:
        return max(line.bottom for line in self.lines)

    @property
    def left(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def right(self) -> float:
        return max(line.x1 for line in self.lines)

    @property
    def bold(self) -> bool:
        """Most of its characters are set bold."""
        weights = [line.bold for line in self.lines for _ in line.text]
        return 2 * sum(weights) > len(weights)

    def is_heading(self, body: float, settings: PdfConfig) -> bool:
        return HEADLINE.predicate(self.size / body, settings.headline_ratio)

    @property
    def text(self) -> str:
        return join_wrapped_lines(line.text for line in self.lines)


def _detached(in_band: list[Line], lines: list[Line], settings: PdfConfig) -> list[Line]:
    """The lines of the margin bands that stand apart from the page's text.

    A story may start or end inside the band: a headline's first line set high, the last
    lines of a long column. Such a line sits at line spacing from text outside the band,
    while a running head or folio is set off by white space (and often a rule), so a band
    line joined to the text by a chain of close lines is text."""
    candidates = set(in_band)
    joined = [line for line in lines if line not in candidates]
    attached: set[Line] = set()
    while True:
        found = [
            line
            for line in candidates - attached
            if any(_close(line, other, settings) for other in joined)
        ]
        if not found:
            break
        attached.update(found)
        joined = found
    return [line for line in in_band if line not in attached]


def _close(line: Line, other: Line, settings: PdfConfig) -> bool:
    """Are the two lines neighbours in one column, at line spacing, or a paragraph apart
    in the column's own size and left edge (a paragraph opening at the column's foot)?"""
    overlap = min(line.x1, other.x1) - max(line.x0, other.x0)
    if overlap <= 0:
        return False
    gap = max(other.top - line.bottom, line.top - other.bottom)
    size = max(line.size, other.size)
    if gap <= settings.attached_gap * size:
        return True
    # Lines of one column share its left edge, give or take a first-line indent.
    aligned = abs(line.x0 - other.x0) <= settings.paragraph_indent * size
    return aligned and line.size == other.size and gap <= settings.paragraph_gap * size


def layout_page(page: PageText, settings: PdfConfig) -> PageLayout:
    body = body_size(page.glyphs)
    lines = lines_of(page.glyphs, body, settings)
    band = settings.furniture_band
    # Running heads and folios are set about the body's size; a line in the band set at a
    # headline's size is a headline set high, even with a picture under it.
    in_band = [
        line
        for line in lines
        if FURNITURE.predicate(line.top, line.bottom, page.height, band)
        and not HEADLINE.predicate(line.size / body, settings.headline_ratio)
    ]
    furniture = _detached(in_band, lines, settings)
    margins = set(furniture)
    content = [line for line in lines if line not in margins]
    result = PageLayout()
    for line in furniture:
        result.blocks.append(
            Block(line.text, kind=METADATA, role=Role.FURNITURE, container="page margin")
        )
        result.blocks[-1].remove(FURNITURE.id, NAME, "running head or folio in the margin")
        result.published = result.published or normalize_date(line.text)
    _assign(_regions(content, body, settings), body, settings, result)
    return result


def _regions(lines: list[Line], body: float, settings: PdfConfig) -> list[_Region]:
    found = [
        piece
        for part in regions(lines, body, settings)
        for run in _size_runs(part, body, settings)
        for piece in _byline_apart(run, body, settings)
    ]
    lefts = _column_lefts([part for part in found if part], body)
    out = []
    for part in found:
        size = Counter(line.size for line in part for _ in line.text).most_common(1)[0][0]
        left = min(line.x0 for line in part)
        column = 1 + max((i for i, x in enumerate(lefts) if x <= left + 0.5 * body), default=0)
        out.append(_Region(part, size, column))
    return out


def _size_runs(part: list[Line], body: float, settings: PdfConfig) -> list[list[Line]]:
    """A region cut where the size of its headline lines changes: a kicker set close to
    its title's size (nine tenths of it) is not cut off by white, only by its size."""
    runs = [[part[0]]] if part else []
    for line in part[1:]:
        previous = runs[-1][-1]
        headline = max(line.size, previous.size) >= settings.headline_ratio * body
        if headline and max(line.size, previous.size) > settings.kicker_step * min(
            line.size, previous.size
        ):
            runs.append([line])
        else:
            runs[-1].append(line)
    return runs


def _byline_apart(part: list[Line], body: float, settings: PdfConfig) -> list[list[Line]]:
    """A short run of text-sized lines that ends in a byline is a deck over its byline
    (both set bold in the body's size, nothing parts them but the byline's words): the
    byline goes apart."""
    short = 1 < len(part) <= settings.deck_lines + 1
    if not short or any(line.size >= settings.headline_ratio * body for line in part):
        return [part]
    # Only a byline with its marks ("By", "本报记者", "◎"): a deck's last line of two or
    # three ideographs has a bare name's shape.
    last = part[-1].text.strip()
    marked = BYLINE.match(last) or (last[:1] in _NAME_MARKS and _author_of(last) is not None)
    return [part[:-1], part[-1:]] if marked else [part]


def _column_lefts(parts: list[list[Line]], body: float) -> list[float]:
    """Left edges of the page's columns: where body regions start."""
    lefts: list[float] = []
    for left in sorted(min(line.x0 for line in part) for part in parts):
        if not lefts or left - lefts[-1] > 2 * body:
            lefts.append(left)
    return lefts


def _assign(found: list[_Region], body: float, settings: PdfConfig, result: PageLayout) -> None:
    """Headline groups open the articles; then every region, in reading order, becomes
    blocks of the article whose story holds it (see `_Story`)."""
    heading = [region.is_heading(body, settings) for region in found]
    body_bold = _body_is_bold(found, body)
    for position in range(len(found)):
        heading[position] = heading[position] or _is_deck(
            position, found, heading, body, body_bold, settings
        )
    headline_blocks: dict[int, Block] = {}
    stories: list[_Story] = []
    for group in _headline_groups(found, heading, body):
        result.articles.append(ArticleInfo(published=result.published))
        article = len(result.articles) - 1
        blocks = _headline_group([found[number] for number in group], article, result)
        headline_blocks.update(zip(group, blocks, strict=True))
        stories.append(_story_of(group, found, heading, article, body))
    placed = _story_order(found, heading, stories, body, result)
    for position in range(len(found)):
        if heading[position]:
            result.blocks.append(headline_blocks[position])
            continue
        region, article = placed[position]
        if CAPTION_RULE.predicate(region.size / body, settings.caption_ratio):
            block = Block(region.text, kind=CAPTION, role=Role.CAPTION, article=article)
            block.remove(CAPTION_RULE.id, NAME, f"set at {region.size:g} pt under body {body:g} pt")
            result.blocks.append(_placed(block, region))
            continue
        texts = paragraphs(region.lines, settings)
        earlier = _last_body(result.blocks, article)
        if earlier is not None and _continues(earlier, region, texts[0], settings):
            earlier.text = join_wrapped_lines([earlier.text, texts.pop(0)])
        for text in texts:
            result.blocks.append(_placed(_body_block(text, article, result), region))


def _story_order(
    found: list[_Region],
    heading: list[bool],
    stories: list[_Story],
    body: float,
    result: PageLayout,
) -> dict[int, tuple[_Region, int]]:
    """The region read at each text position, and its article. An article's regions keep
    the places the XY-cut gives that article on the page, but are read column by column,
    each top to bottom: a band of white across the page (under a story's short last column,
    over its first column's text below a picture) can put its later column first."""
    articles: dict[int, int] = {}
    continued: int | None = None
    for position, region in enumerate(found):
        if heading[position]:
            continue
        article = _article_of(region, stories, body)
        if article is None:
            # Text above every headline of its column continues an article from another page.
            if continued is None:
                result.articles.append(ArticleInfo(published=result.published))
                continued = len(result.articles) - 1
            article = continued
        articles[position] = article
    placed: dict[int, tuple[_Region, int]] = {}
    for article in set(articles.values()):
        slots = [position for position, owner in articles.items() if owner == article]
        ordered = sorted(slots, key=lambda position: (found[position].column, found[position].top))
        for slot, position in zip(slots, ordered, strict=True):
            placed[slot] = (found[position], article)
    return placed


def _body_is_bold(found: list[_Region], body: float) -> bool:
    """Is most of the text set in the body's size bold (a page set all in a bold face)?"""
    weights = [
        line.bold
        for region in found
        for line in region.lines
        if line.size == body
        for _ in line.text
    ]
    return 2 * sum(weights) > len(weights)


def _last_body(blocks: list[Block], article: int) -> Block | None:
    return next(
        (
            block
            for block in reversed(blocks)
            if block.article == article and block.role is Role.BODY and block.kept
        ),
        None,
    )


def _continues(earlier: Block, region: _Region, text: str, settings: PdfConfig) -> bool:
    """Does the region's first paragraph `text` go on with the paragraph that ends the
    article's text so far? It does when that paragraph stops mid-sentence (at the foot of
    a column, or over a picture) and the region's first line is not indented, unless it
    is a byline: a word broken there is mended and the paragraph stays one."""
    first = region.lines[0]
    indented = first.x0 - region.left > settings.indent * first.size
    return not indented and not ends_sentence(earlier.text) and _author_of(text) is None


def _is_deck(
    position: int,
    found: list[_Region],
    heading: list[bool],
    body: float,
    body_bold: bool,
    settings: PdfConfig,
) -> bool:
    """A short run of lines that stands out from the body, stacked on a headline and read
    right before or after it, is that headline's kicker or subtitle, even when set below the
    headline size (a small headline's deck) or in the body's own size in bold."""
    region = found[position]
    if len(region.lines) > settings.deck_lines or _author_of(region.text) is not None:
        return False
    # Weight speaks only on a page whose body is set regular.
    bold = region.bold and not body_bold
    if not DECK.predicate(
        region.size / body,
        bold,
        ends_sentence(region.text),
        settings.size_step,
        settings.deck_bold,
        settings.deck_sentence,
    ):
        return False
    return any(
        0 <= number < len(found) and heading[number] and _stacked([found[number]], region)
        for number in (position - 1, position + 1)
    )


def _headline_groups(found: list[_Region], heading: list[bool], body: float) -> list[list[int]]:
    """Headline regions stacked one on another (kicker, title, subtitle) form one group.
    Two headlines side by side, read one after the other when a band of white runs under
    both, stay two groups."""
    groups: list[list[int]] = []
    run_starts_at = 0
    for position, region in enumerate(found):
        if not heading[position]:
            run_starts_at = len(groups)
            continue
        joined = next(
            (
                group
                for group in groups[run_starts_at:]
                if _stacked([found[number] for number in group], region)
            ),
            None,
        )
        if joined is None:
            groups.append([position])
        else:
            joined.append(position)
    return groups


def _stacked(group: list[_Region], region: _Region) -> bool:
    """Does the region sit right above or below the group, in its width?"""
    top, bottom = min(r.top for r in group), max(r.bottom for r in group)
    left, right = min(r.left for r in group), max(r.right for r in group)
    if not (left < region.right and region.left < right):
        return False
    gap = max(region.top - bottom, top - region.bottom)
    # Lines of a headline group sit a fraction of their size apart; up to one line's
    # height more is allowed, for a line the reader could not read (see `reader`).
    return gap <= 1.6 * max(region.size, max(r.size for r in group))


@dataclass(frozen=True)
class _Story:
    """Where an article's text sits: under its headline group, from the group's top down,
    from the group's left edge to `reach`. A headline set shorter than its story's columns
    leaves those columns uncovered, so the story reaches rightwards until a headline beside
    it or text that runs down past its top (another story holding that column)."""

    article: int
    top: float
    left: float
    reach: float


def _story_of(
    group: list[int], found: list[_Region], heading: list[bool], article: int, body: float
) -> _Story:
    regions = [found[number] for number in group]
    top, bottom = min(r.top for r in regions), max(r.bottom for r in regions)
    left, right = min(r.left for r in regions), max(r.right for r in regions)
    reach = float("inf")
    for number, other in enumerate(found):
        if number in group or other.left <= left + body:
            continue
        if heading[number]:
            beside = other.top <= bottom + body and other.bottom >= top
        else:
            beside = other.top < top - 0.5 * body and other.bottom > top + body
        if beside:
            reach = min(reach, other.left)
    return _Story(article, top, left, max(reach, right))


def _article_of(region: _Region, stories: list[_Story], body: float) -> int | None:
    """The article of the lowest story that starts above the region and holds its column
    (a point one body size inside the region's left edge); None above every story."""
    point = region.left + body
    holding = [
        story
        for story in stories
        if story.left - body <= point <= story.reach and story.top <= region.top + 0.5 * body
    ]
    if not holding:
        return None
    return max(holding, key=lambda story: (story.top, story.left)).article


def _headline_group(group: list[_Region], article: int, result: PageLayout) -> list[Block]:
    largest = max(group, key=lambda region: region.size)
    title_at = group.index(largest)
    info = result.articles[article]
    blocks = []
    for position, region in enumerate(group):
        if KICKER.predicate(position, title_at):
            role, rule, what = Role.KICKER, KICKER.id, "a smaller line over the headline"
            info.kicker = region.text
        elif SUBTITLE.predicate(position, title_at):
            role, rule, what = Role.SUBTITLE, SUBTITLE.id, "a smaller line under the headline"
            info.subtitle = region.text
        else:
            role, rule, what = Role.TITLE, HEADLINE.id, "the largest line of a headline group"
            info.title = region.text
        block = Block(region.text, kind=HEADING, article=article)
        block.take_as(role, rule, NAME, f"{what} ({region.size:g} pt)")
        blocks.append(_placed(block, region))
    return blocks


def _body_block(text: str, article: int, result: PageLayout) -> Block:
    block = Block(text, article=article)
    info = result.articles[article]
    earlier = [b for b in result.blocks if b.article == article and b.role is not Role.FURNITURE]
    opens_article = all(b.role is not Role.BODY for b in earlier)
    if opens_article and info.title and not info.subtitle and _SUBTITLE_DASH.match(text):
        info.subtitle = text
        block.take_as(Role.SUBTITLE, SUBTITLE.id, NAME, "a dash line under the headline")
        return block
    if opens_article and not info.author:
        author = _author_of(text)
        if author:
            info.author = author
            block.take_as(Role.BYLINE, "meta.byline", NAME, "the article's byline")
    return block


def _author_of(text: str) -> str | None:
    if len(text) > 60:
        return None
    match = BYLINE.match(text)
    if match:
        return (match.group("value") or match.group("reporter") or "").strip() or None
    if first_match(text, BYLINE_RULES) is not None:
        return _BYLINE_MARKS.sub("", text.strip()).strip() or None
    return None


def _placed(block: Block, region: _Region) -> Block:
    block.container = f"column {region.column}"
    return block
