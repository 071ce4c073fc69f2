"""Which part of an HTML page is the article: a readability-like content score.

Every paragraph credits its container and that container's ancestors; the best-scoring
container, with its qualifying siblings and same-kind containers, is the main region.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from cleaner.document import Block
from cleaner.rules.boilerplate import (
    CHROME_REGION_TOKENS,
    NEGATIVE_REGION_TOKENS,
    POSITIVE_REGION_TOKENS,
    word_set,
)
from cleaner.stages.extract.config import ExtractConfig
from cleaner.stages.extract.walk import Piece
from cleaner.text import SENTENCE_MARK, text_weight

_COMMAS = re.compile(r"[,，、;；]")
_LIST_ITEM_TAGS = word_set("li dt dd")
_HEADING_TAGS = word_set("h1 h2 h3 h4 h5 h6")
_CLASS_TOKEN = re.compile(r"[a-z]+")
_PARAGRAPH_TAGS = word_set("p li dt dd td th pre blockquote h1 h2 h3 h4 h5 h6 figcaption")


@dataclass
class MainRegion:
    """The containers of the main region, and the one that scored best (`core`): the
    article's own text is under it, whatever else the region takes in."""

    elements: set[etree._Element]
    core: etree._Element
    # Chosen by the retry that reads no class names: a chrome-named container may then
    # wrap the article.
    names_ignored: bool = False


def choose_region(
    pieces: list[Piece], settings: ExtractConfig, unlikely: UnlikelyRegions, totals: PageTotals
) -> MainRegion | None:
    region = main_region(pieces, settings, unlikely, totals)
    weight = region_weight(pieces, region.elements if region else None, unlikely)
    if weight < settings.min_region_weight:
        # Like readability's retry: some sites name their whole page wrapper like chrome
        # ("container penci_sidebar"), so score again without class names. The retry
        # must find clearly more text: a short news item must not lose to its disclaimer.
        # The region's weight counts only text outside chrome-named containers: when the
        # whole page is the region, what such a wrapper holds would be dropped anyway.
        retry = main_region(pieces, settings, UnlikelyRegions(enabled=False), totals)
        if retry and region_weight(pieces, retry.elements) >= 2 * max(weight, 1.0):
            retry.names_ignored = True
            return retry
    return region


def paragraph_score(block: Block, longest_headline: float) -> float:
    """readability's paragraph score: 1 + commas + one point per 100 characters (max 3),
    scaled down by the block's link density. Under 25 characters, headings and hidden
    text (a page's invisible duplicate of its body) score nothing; a "heading" longer than
    `longest_headline` is a paragraph set in a heading tag, and scores as one."""
    weight = text_weight(block.text)
    if weight < 25 or block.hidden:
        return 0.0
    if block.tag in _HEADING_TAGS and weight <= longest_headline:
        return 0.0
    if block.tag in _LIST_ITEM_TAGS and weight < 150 and not SENTENCE_MARK.search(block.text):
        return 0.0  # one item of a list of titles (forum threads, archives), not prose
    link_density = block.link_chars / len(block.text)
    score = 1 + len(_COMMAS.findall(block.text)) + min(weight / 100, 3)
    return score * (1 - link_density)


# Class names that say what a post is filed under or how a utility styles it, not what the
# element is: WordPress's post_class/body_class taxonomy names ("tag-tax-credits",
# "category-deductions-and-credits") and Tailwind variants ("[&_figcaption]:mt-xxs",
# "md:sidebar-open"). Their words would brand a whole article as a caption or a sidebar.
_NOT_A_ROLE = re.compile(r"^(?:tag|category|categories|term|taxonomy|format|postid)-|[\[\]:&]")


def class_tokens(element: etree._Element) -> set[str]:
    """The lower-case word pieces of an element's id and class names, leaving out class
    names that only file or style it (`_NOT_A_ROLE`)."""
    classes = (element.get("class") or "").lower().split()
    names = " ".join(name for name in classes if not _NOT_A_ROLE.search(name))
    return set(_CLASS_TOKEN.findall(f"{names} {(element.get('id') or '').lower()}"))


def class_weight(element: etree._Element) -> float:
    """+25 for a container named like article content, -25 for one named like chrome.

    A name written as one word counts by its first or last part ("ArtContent",
    "vitstorybody", "sidebarRight"); one holding a chrome part is not content
    ("commentBody", "relatedcontent").
    """
    tokens = class_tokens(element)
    positive = bool(tokens & POSITIVE_REGION_TOKENS)
    negative = bool(tokens & NEGATIVE_REGION_TOKENS)
    for token in tokens:
        kind = _compound_kind(token)
        negative = negative or kind < 0
        positive = positive or kind > 0
    return (25.0 if positive else 0.0) - (25.0 if negative else 0.0)


# A part of a one-word name counts from four letters ("ad" ends "download") and when at
# least three letters are left beside it ("contents" and "posted" are not compounds).
_MIN_PART_LETTERS = 4
_MIN_REST_LETTERS = 3


@functools.lru_cache(maxsize=8192)
def _compound_kind(token: str) -> int:
    """-1 for a one-word name with a chrome part, +1 for one with a content part, else 0:
    pages repeat their class names, so each is judged once."""
    if _has_part(token, NEGATIVE_REGION_TOKENS):
        return -1
    return 1 if _has_part(token, POSITIVE_REGION_TOKENS) else 0


# Endings that make a chrome word another word ("commentary", "commentators",
# "sponsorship"), not a compound name.
_DERIVED_WORD = re.compile(r"(?:ary|aries|ators?|ship|ships)$")


@functools.lru_cache(maxsize=8192)
def _has_chrome_part(token: str) -> bool:
    """A one-word name opening or ending with a chrome word ("socialbookmarks",
    "readerComments", "relatedcontent", "promobox"): the container is chrome as surely as
    one named in two words; a word derived from one ("commentary") is not."""
    return _has_part(token, CHROME_REGION_TOKENS) and not (
        _DERIVED_WORD.search(token)
        and any(token.startswith(word) for word in CHROME_REGION_TOKENS if len(word) >= 4)
    )


def _has_part(token: str, words: frozenset[str]) -> bool:
    """The token opens or ends with one of the words and holds more beside it."""
    return len(token) >= _MIN_PART_LETTERS + _MIN_REST_LETTERS and any(
        len(token) - len(word) >= _MIN_REST_LETTERS
        and (token.startswith(word) or token.endswith(word))
        for word in words
        if len(word) >= _MIN_PART_LETTERS
    )


_TAG_BONUS = {
    "div": 5.0,
    "article": 10.0,
    "main": 5.0,
    "section": 3.0,
    "td": 3.0,
    "pre": 3.0,
    "blockquote": 3.0,
    "ul": -3.0,
    "ol": -3.0,
    "form": -3.0,
}


def container_scores(
    pieces: list[Piece], settings: ExtractConfig, unlikely: UnlikelyRegions, totals: PageTotals
) -> dict[etree._Element, float]:
    """Credit each paragraph's score to its container (full), the container's parent (half)
    and up to three more ancestors (a third of the level each), as readability does.
    Paragraphs inside chrome-named regions (comments, related ...) credit nobody; with the
    name filter off (`unlikely.enabled` False) class names weigh nothing either way."""
    raw: dict[etree._Element, float] = defaultdict(float)
    for piece, score in zip(pieces, totals.paragraph_scores, strict=True):
        if not score or unlikely.first(piece.path) is not None:
            continue
        path = piece.path
        if piece.block.tag in _PARAGRAPH_TAGS and len(path) > 1:
            path = path[:-1]
        for level, element in enumerate(reversed(path[-5:])):
            raw[element] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
    scores: dict[etree._Element, float] = {}
    for element, score in raw.items():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "html":
            continue
        # A name is evidence beside the text, never more than it: a name bonus at most
        # doubles what the container's paragraphs give it, so a 30-character
        # "textLarge" line cannot outscore the article (bench: F1 up on en, cleaneval and
        # l3s-gn1 tuning parts, readability -0.002: its step-by-step pages of one-line
        # chunks had lived on the bonus).
        names = min(class_weight(element), score) if unlikely.enabled else 0.0
        base = score + _TAG_BONUS.get(tag, 0.0) + names
        text = totals.text[element]
        density = totals.links[element] / text if text else 0.0
        scores[element] = base * (1 - density)
    return scores


@dataclass
class PageTotals:
    """Characters of text and of link text under each element, and the text weight of its
    prose (blocks that score as paragraphs), with the page's prose in total."""

    text: dict[etree._Element, int]
    links: dict[etree._Element, int]
    prose: dict[etree._Element, float]
    page_prose: float
    # `paragraph_score` of each block, in the order of the pieces (0 for a block without
    # a path).
    paragraph_scores: list[float]

    def region_prose(self, region: set[etree._Element] | None) -> float:
        """Prose under the region's outermost elements (one nested in another counts once)."""
        if not region:
            return self.page_prose
        return sum(
            self.prose.get(element, 0)
            for element in region
            if not any(ancestor in region for ancestor in element.iterancestors())
        )


def page_totals(pieces: list[Piece], settings: ExtractConfig) -> PageTotals:
    """Each block counts for its owner (the last element of its path), then every element,
    deepest first, adds its sums to its parent. A path is its owner's chain of ancestors,
    so each element is visited once."""
    text: dict[etree._Element, int] = defaultdict(int)
    links: dict[etree._Element, int] = defaultdict(int)
    prose: dict[etree._Element, float] = defaultdict(float)
    parent: dict[etree._Element, etree._Element | None] = {}
    depth: dict[etree._Element, int] = {}
    page_prose = 0.0
    scores: list[float] = []
    for piece in pieces:
        path = piece.path
        score = paragraph_score(piece.block, settings.max_headline_weight) if path else 0.0
        scores.append(score)
        if not path:
            continue
        owner = path[-1]
        text[owner] += len(piece.block.text)
        links[owner] += piece.block.link_chars
        if score:
            weight = text_weight(piece.block.text)
            prose[owner] += weight
            page_prose += weight
        level = len(path) - 1
        while level >= 0 and path[level] not in parent:
            parent[path[level]] = path[level - 1] if level else None
            depth[path[level]] = level
            level -= 1
    for element in sorted(parent, key=depth.__getitem__, reverse=True):
        above = parent[element]
        if above is not None:
            text[above] += text[element]
            links[above] += links[element]
            prose[above] += prose[element]
    return PageTotals(text, links, prose, page_prose, scores)


def region_weight(
    pieces: list[Piece],
    region: set[etree._Element] | None,
    unlikely: UnlikelyRegions | None = None,
) -> float:
    """Text weight of the region's blocks (with `unlikely`: of those outside chrome-named
    containers)."""
    if not region:
        return 0.0
    in_region: dict[etree._Element, etree._Element | None] = {}
    return sum(
        text_weight(piece.block.text)
        for piece in pieces
        if first_on_path(piece.path, region.__contains__, in_region) is not None
        and (unlikely is None or unlikely.first(piece.path) is None)
    )


class UnlikelyRegions:
    """Containers named like chrome (comments, related, share ...) and not like content,
    remembered per element because every block below asks about the same ancestors."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.known: dict[etree._Element, bool] = {}
        self.compound: dict[etree._Element, bool] = {}
        self.first_found: dict[etree._Element, etree._Element | None] = {}

    def is_unlikely(self, element: etree._Element) -> bool:
        if not self.enabled:
            return False
        if element not in self.known:
            tokens = class_tokens(element)
            self.known[element] = (
                element.tag not in {"body", "html", "article", "main"}
                and bool(tokens & CHROME_REGION_TOKENS)
                and not tokens & POSITIVE_REGION_TOKENS
            )
        return self.known[element]

    def is_chrome_compound(self, element: etree._Element) -> bool:
        """Named like chrome in one word ("readerComments", "socialbookmarks"): weaker
        evidence than a name of its own, so it only marks chrome inside the region and never
        takes a paragraph's score away (a page's wrapper may be named so)."""
        if not self.enabled:
            return False
        if element not in self.compound:
            tokens = class_tokens(element)
            self.compound[element] = (
                element.tag not in {"body", "html", "article", "main"}
                and any(map(_has_chrome_part, tokens))
                and not tokens & POSITIVE_REGION_TOKENS
            )
        return self.compound[element]

    def first(self, path: tuple[etree._Element, ...]) -> etree._Element | None:
        """The outermost chrome-named container on the path, or None."""
        return first_on_path(path, self.is_unlikely, self.first_found)


def main_region(
    pieces: list[Piece], settings: ExtractConfig, unlikely: UnlikelyRegions, totals: PageTotals
) -> MainRegion | None:
    """The best container plus its qualifying siblings; None when nothing scores."""
    scores = container_scores(pieces, settings, unlikely, totals)
    if not scores:
        return None
    first_best = max(scores, key=scores.__getitem__)
    best = _lift_to_alternatives(first_best, scores, settings.alternative_share)
    best_score = scores.get(best, 0.0)
    threshold = max(10.0, best_score * settings.sibling_share)
    chunks = _same_signature(first_best, scores, threshold) + _sections_beside(
        first_best, scores, threshold
    )
    # The bar stays the inline element's: its block may score under it.
    best = _block_of_inline(best)
    region = {best, *chunks, *_chunks_between(pieces, first_best, chunks)}
    parent = best.getparent()
    if parent is None:
        return MainRegion(region, first_best)
    prose, leads = _prose_paragraphs(pieces, totals)
    # A lead wrapped alone joins only when names were read: the retry without them must
    # find more text than the first reading, not the first region again beside its own
    # (a short news item before its disclaimer).
    before = True
    for sibling in parent:
        if sibling is best:
            before = False
            continue
        if (
            scores.get(sibling, 0.0) >= threshold
            or sibling in prose
            or (before and unlikely.enabled and sibling in leads)
            or _is_prose_section(sibling, best, pieces, totals, unlikely)
        ):
            region.add(sibling)
    return MainRegion(region, first_best)


# A sibling section of the article: prose holding at least this share of the best
# container's prose and `_SECTION_MIN_PROSE` (text weight: about 500 letters, three
# paragraphs), at least `_SECTION_MIN_PROSE_SHARE` of the section's own text, with under
# `_SECTION_MAX_LINK_SHARE` of it links. Tuning parts: a share of 0.1 without the floor
# took in boxes of 128-496 beside 6 l3s-gn1 stories (a comment form, a wire copyright
# line, a promotion, a register wall); with the floor, 0.1 and 0.2 move the same pages
# but three (two up, one down by 0.007). The prose share (0.5 or 0.6) moved no page.
_SECTION_PROSE_SHARE = 0.2
_SECTION_MIN_PROSE = 500.0
_SECTION_MIN_PROSE_SHARE = 0.6
_SECTION_MAX_LINK_SHARE = 0.3


def _is_prose_section(
    sibling: etree._Element,
    best: etree._Element,
    pieces: list[Piece],
    totals: PageTotals,
    unlikely: UnlikelyRegions,
) -> bool:
    """A container beside the best one that is mostly prose of its own: the rest of the
    article set in a section the sibling bar misses because its paragraphs sit a level
    deeper or it has no content name (a timeline after the story, a list of points, a
    notice over a link page, an FAQ's answers). Never a chrome-named container, and
    never a list of teasers (`_is_teaser_list`), whose blurbs are prose too."""
    text = totals.text.get(sibling, 0)
    prose = totals.prose.get(sibling, 0.0)
    if (
        not text
        or prose < _SECTION_PROSE_SHARE * totals.prose.get(best, 0.0)
        or prose < _SECTION_MIN_PROSE
        or prose < _SECTION_MIN_PROSE_SHARE * text
        or totals.links.get(sibling, 0) >= _SECTION_MAX_LINK_SHARE * text
        or unlikely.is_unlikely(sibling)
    ):
        return False
    return not _is_teaser_list(sibling, pieces, totals)


# A teaser's blurb is a sentence or two; a section's runs of prose are longer (an FAQ's
# answers under their linked questions ran 680 on average, the blurbs of the teaser
# boxes of 3 l3s-gn1 sites 150-350).
_TEASER_MAX_MEAN_WEIGHT = 400.0


def _is_teaser_list(sibling: etree._Element, pieces: list[Piece], totals: PageTotals) -> bool:
    """Most runs of prose in the container open under a link, and the runs are short:
    headline links with their blurbs ("Must Read", "Also in the news", featured jobs)."""
    runs: list[tuple[bool, float]] = []  # (opens under a link, prose weight)
    under_link = in_run = False
    for piece, score in zip(pieces, totals.paragraph_scores, strict=True):
        if sibling not in piece.path:
            continue
        block = piece.block
        if block.link_chars > 0.5 * len(block.text):
            under_link, in_run = True, False
        elif score:
            if not in_run:
                runs.append((under_link, 0.0))
                under_link, in_run = False, True
            runs[-1] = (runs[-1][0], runs[-1][1] + text_weight(block.text))
    if len(runs) < 2:
        return False
    opened_under_links = sum(1 for opens, _ in runs if opens)
    mean_weight = sum(weight for _, weight in runs) / len(runs)
    return opened_under_links > len(runs) / 2 and mean_weight < _TEASER_MAX_MEAN_WEIGHT


# Text-level tags: a story set as one <font> or <span> of <br>-broken lines sits in a
# block (a table cell, a <p>) that holds the rest of it, as the lead printed before the
# inline element opens.
_INLINE_TAGS = word_set("font span b strong em i u small big tt")


def _block_of_inline(best: etree._Element) -> etree._Element:
    """The block element holding an inline best container: the block's own text (a bold
    lead in the cell before the story's <font>, a lead <p> beside the <p> wrapping the
    story's <span>) is the article's. Never the page itself. (Asking the inline element to
    hold half its block's prose as well only cost a cleaneval tuning page its opening,
    a chapter set in several <font>s of one cell.)"""
    holder = best
    while holder.tag in _INLINE_TAGS:
        holder = holder.getparent()
        if holder is None or holder.tag in {"body", "html"}:
            return best
    return holder


def _same_signature(
    best: etree._Element, scores: dict[etree._Element, float], threshold: float
) -> list[etree._Element]:
    """Containers named like the best one (same tag and first class) that score too:
    one article body cut into chunks by ads or pull quotes ("article__body" twice)."""
    signature = _signature(best)
    if not signature[1]:
        return []
    return [
        element
        for element, score in scores.items()
        if score >= threshold and _signature(element) == signature
    ]


# Levels over the best container searched for the section it sits in: its row, its
# table, and the cell holding the tables of a document printed as one table per section.
_SECTION_LEVELS = 3


def _sections_beside(
    best: etree._Element, scores: dict[etree._Element, float], threshold: float
) -> list[etree._Element]:
    """On hand-made markup without names, the containers at the best one's place in the
    sections beside its own: a document in sections of one shape (``<li><h4>Working
    Conditions</h4><blockquote>…``, one table per chapter) whose longest section scores
    best. A section is an ancestor up to `_SECTION_LEVELS` over the best container; its
    siblings of its tag are sections too, and what lies in them along the same tags as the
    best container joins when it scores. Neither the best container nor anything over it
    up to the section may carry a class or id: where templates name their parts, named
    chunks are found by `_same_signature`, and an unnamed box in a named section is a
    part of a content system, as likely the "About us" box under a press release."""
    found: list[etree._Element] = []
    tags: list[str] = []
    section = best
    for _ in range(_SECTION_LEVELS):
        holder = section.getparent()
        if _is_named(section) or holder is None or holder.tag in {"body", "html"}:
            break
        for sibling in holder:
            if sibling is not section and sibling.tag == section.tag and not _is_named(sibling):
                found.extend(
                    element
                    for element in _along(sibling, tags)
                    if scores.get(element, 0.0) >= threshold
                )
        tags.insert(0, section.tag)
        section = holder
    return found


def _along(element: etree._Element, tags: list[str]) -> list[etree._Element]:
    """The unnamed descendants reached from `element` through children of these tags."""
    reached = [element]
    for tag in tags:
        reached = [
            child
            for parent in reached
            for child in parent
            if child.tag == tag and not _is_named(child)
        ]
    return reached


def _is_named(element: etree._Element) -> bool:
    return bool(element.get("class") or element.get("id"))


def _chunks_between(
    pieces: list[Piece], best: etree._Element, chunks: list[etree._Element]
) -> list[etree._Element]:
    """Containers of the same kind and depth as the best one lying between the first and
    the last chunk of the article: a step of a how-to or a one-line paragraph in its own
    chunk scores under the bar, yet the article runs through it."""
    found = set(chunks) | {best}
    if len(found) < 2:
        return []
    depth = sum(1 for _ in best.iterancestors())
    signature = _signature(best)
    inside = [
        index
        for index, piece in enumerate(pieces)
        if len(piece.path) > depth and piece.path[depth] in found
    ]
    between = set()
    for piece in pieces[inside[0] : inside[-1] + 1]:
        if len(piece.path) > depth:
            element = piece.path[depth]
            if element not in found and _signature(element) == signature:
                between.add(element)
    return list(between)


def _signature(element: etree._Element) -> tuple[str, str]:
    """Tag and first class name: "block-text" and "block-text block-text_initial-letter"
    are the same kind of container."""
    classes = (element.get("class") or "").split()
    return element.tag, classes[0] if classes else ""


def _prose_paragraphs(
    pieces: list[Piece], totals: PageTotals
) -> tuple[set[etree._Element], set[etree._Element]]:
    """<p> elements that read as prose on their own (readability's sibling test: over 80
    characters with under a quarter links, or a shorter unlinked full sentence): a lead
    paragraph printed beside the body container belongs to the article. A <div> holding
    one block and nothing else is a paragraph too (readability reads such a div as a <p>):
    a standfirst in its own "firstpara" div. Second, the containers wrapping one such
    paragraph of over 80 characters and nothing else (`_wrappers_of`), which lead the
    article when they come before it."""
    prose: set[etree._Element] = set()
    leads: set[etree._Element] = set()
    for piece in pieces:
        block = piece.block
        if not piece.path or block.hidden:
            continue
        if block.tag != "p" and (
            block.tag != "div" or totals.text[piece.path[-1]] != len(block.text)
        ):
            continue
        density = block.link_chars / len(block.text)
        weight = text_weight(block.text)
        paragraph = weight > 80 and density < 0.25
        if paragraph or (density == 0 and SENTENCE_MARK.search(block.text[-1:] + " ")):
            prose.add(piece.path[-1])
        if paragraph:
            # A lead is a paragraph; a one-line box before the story ("Weather: sunny.")
            # is not, whatever it ends with.
            leads.update(_wrappers_of(piece, totals))
    return prose, leads


# Levels over a paragraph searched for containers that hold it alone.
_WRAPPER_LEVELS = 3


def _wrappers_of(piece: Piece, totals: PageTotals) -> list[etree._Element]:
    """The elements over a prose paragraph, up to `_WRAPPER_LEVELS`, whose whole text is
    that paragraph: a standfirst printed as ``<div><p class="introcopy">…`` or
    ``<div class="articletxt"><p>…`` just before the body container."""
    wrappers = []
    for wrapper in reversed(piece.path[-1 - _WRAPPER_LEVELS : -1]):
        if totals.text[wrapper] != len(piece.block.text):
            break
        wrappers.append(wrapper)
    return wrappers


def _lift_to_alternatives(
    best: etree._Element, scores: dict[etree._Element, float], share: float
) -> etree._Element:
    """When other containers score nearly as high, the article is split across them: climb
    to the lowest ancestor holding three of them (or all, when fewer), as readability does,
    but never to the whole page."""
    best_score = scores[best]
    ancestors_of_best = list(best.iterancestors())
    rivals = [
        element
        for element, score in scores.items()
        if score >= best_score * share and element is not best and element not in ancestors_of_best
    ]
    if not rivals:
        return best
    needed = min(3, len(rivals))
    rival_ancestors = [set(rival.iterancestors()) for rival in rivals]
    for ancestor in ancestors_of_best:
        if ancestor.tag in {"body", "html"}:
            break
        if sum(ancestor in ancestors for ancestors in rival_ancestors) >= needed:
            return ancestor
    return best


def first_on_path(
    path: tuple[etree._Element, ...],
    matches: Callable[[etree._Element], bool],
    memo: dict[etree._Element, etree._Element | None],
) -> etree._Element | None:
    """The outermost element of `path` that `matches`, or None.

    A block's path is the chain of open elements down to its last one, so the same prefix
    recurs in block after block: the answer for each prefix is kept in `memo` under the
    prefix's last element, and each element is tested once per page (one `memo` per
    question).
    """
    known = len(path)
    while known and path[known - 1] not in memo:
        known -= 1
    found = memo[path[known - 1]] if known else None
    for element in path[known:]:
        if found is None and matches(element):
            found = element
        memo[element] = found
    return found
