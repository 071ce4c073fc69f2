"""The headline printed over the story, when the page's declared title is about something else.

Many templates give every page of a section the same `<title>` ("Winnipeg Free Press",
"WIFR - Sports Sports section front", "Medical Public Affairs- Press Release") and print the
story's headline as a plain line or a table cell just over its text, with the byline, the
date and a row of share links between. Neither tag nor class tells that line from the
menus and teasers around it; what does is its subject. A headline shares its terms with
the story's lead; a site's or a section's name shares none. So when the declared title
shares (almost) none of its terms with the lead, and a headline-shaped line among the few
over the story shares most of its terms with it, that line is the headline.
"""

from __future__ import annotations

import re
from itertools import islice

from cleaner.document import CAPTION, HEADING, Block, Role
from cleaner.rules.boilerplate import AUTHOR_LINE, BYLINE, METADATA_LINE_BY_ID, SITE_PATH_RULES
from cleaner.stages.extract.config import ExtractConfig
from cleaner.stages.extract.titles import (
    is_date_segment,
    is_site_like,
    site_key,
    title_key,
    title_segments,
)
from cleaner.stages.extract.walk import Piece
from cleaner.text import ENDS_SENTENCE, looks_like_headline, salient_terms, text_weight

NAME = "extract"

# A lead paragraph's first characters name its subject; read no further (speed).
_LEAD_CHARS = 400
# A headline shares at least this many terms with the lead: one shared word is chance.
_MIN_SHARED_TERMS = 2
# A declared title whose terms the lines over the story print this share of (in one line)
# is printed there, in another spelling ("'We Got Her!' Video Shows …" under
# "'We Got Her!': Video Shows … Fort Worth Girl"): it is the headline, on topic or not.
_PRINTED_TITLE_SHARE = 0.7
# A line between a headline and its story is a byline, a date, share links or a caption.
# A line heavier than this, or a sentence heavier than the second bound, is prose: a line
# over it heads something else (a chain letter's "END CHAIN LETTER TEXT" over its gloss).
_MAX_BETWEEN_WEIGHT = 100.0
_MAX_BETWEEN_SENTENCE_WEIGHT = 60.0
# Not a headline: a lower-case start (a sentence cut by the layout: "and US Energy
# Legislation"), a credit or an address ("© Reuters", "hkan@…", "www."), a trail
# ("Contents >> Concepts"), a line ending where a sentence goes on.
_HEADLINE_START = re.compile(r"^\W*[A-Z0-9\u3400-\u9fff]")
_NOT_HEADLINE = re.compile(r"©|@|>>|https?:|www\.|[,:;，：；]$")


def is_site_path(text: str) -> bool:
    """A breadcrumb ("当前位置：首页->军事技术") is where the page sits, not its title."""
    return any(rule.pattern.search(text) for rule in SITE_PATH_RULES)


def is_byline_line(text: str) -> bool:
    """A credit line ("By Jane Smith", "作者：周思博") no longer than a byline may be."""
    text = " ".join(text.split())
    return len(text) <= (METADATA_LINE_BY_ID["meta.byline"].max_chars or 0) and bool(
        BYLINE.match(text) or AUTHOR_LINE.match(text)
    )


def headline_over_story(
    pieces: list[Piece],
    title: str,
    settings: ExtractConfig,
    site_keys: frozenset[str] = frozenset(),
    section_keys: frozenset[str] = frozenset(),
) -> str | None:
    """The line over the story that is its headline, when `title` (the declared title
    chosen so far, or "") is off the story's topic; it is marked ``meta.title``.
    `site_keys`: the names the page calls its publisher by; `section_keys`: its menu's
    labels. A title's segments naming the site or a section say nothing of its topic, and
    a title made only of them ("Winnipeg Free Press Live", "News | Africa - Reuters.com")
    names no story: the heading over the story is then its headline, whatever its terms."""
    topic = _topic_segments(title, site_keys, section_keys)
    site_only = bool(title) and not topic
    kept = (index for index, piece in enumerate(pieces) if piece.block.kept)
    opening = list(islice(kept, settings.story_lead_blocks))  # no walk past the lead
    if not opening:
        return None
    first = opening[0]
    above = range(max(0, first - settings.byline_search_above), first + 1)
    blocks = {index: pieces[index].block for index in (*above, *opening)}
    lead = [salient_terms(blocks[index].text[:_LEAD_CHARS]) for index in opening]
    lead_terms = set().union(*lead)
    if topic and _title_on_topic(topic, lead_terms, blocks, above, settings):
        return None
    for index in reversed(above):  # the nearest line over the story first
        block = blocks[index]
        # A title naming only the site is no rival: any heading over the story heads it
        # ("Capping the deal"), not only one of a partial title's weight.
        named = (
            site_only
            and block.kind == HEADING
            and not is_site_like(block.text, site_keys)
            and _heads_kept_text(pieces, index)
        )
        light = settings.min_untitled_headline_weight if named else None
        if not _could_head_story(block, settings, light):
            continue
        if any(_is_prose(blocks[between]) for between in range(index + 1, first)):
            return None  # prose over the story: what stands over it heads something else
        # The story's first block may be its headline: the lead is then the blocks under it.
        against = set().union(*lead[1:]) if index == first else lead_terms
        share = _topic_share(salient_terms(block.text), against, _MIN_SHARED_TERMS)
        if named or share >= settings.story_headline_share:
            block.take_as(
                Role.TITLE, "meta.title", NAME, "headline over the story, off-topic title"
            )
            return block.text
    return None


def _heads_kept_text(pieces: list[Piece], index: int) -> bool:
    """The line under the heading is kept, or is no link: a heading over links the region
    left out ("Learn More" over "Program Impact", "Participant Stories") heads a menu."""
    if index + 1 >= len(pieces):
        return False
    under = pieces[index + 1].block
    return under.kept or under.link_chars * 2 <= len(under.text)


def _topic_segments(title: str, site_keys: frozenset[str], section_keys: frozenset[str]) -> str:
    """The title without its segments that name the site or one of the menu's sections.

    >>> _topic_segments("The Sports Network - Hockey", frozenset({"sportsnetwork"}), frozenset())
    'Hockey'
    >>> _topic_segments("News | Africa", frozenset(), frozenset({"news", "africa"}))
    ''
    """
    segments = title_segments(title) if title else []
    # A menu may link the story's own title; a section names one only beside other segments.
    sections = section_keys if len(segments) > 1 else frozenset()
    kept = [
        segment
        for segment in segments
        if not is_site_like(segment, site_keys) and site_key(segment) not in sections
    ]
    return " - ".join(kept) if len(kept) < len(segments) else title


def _title_on_topic(
    title: str,
    lead_terms: set[str],
    blocks: dict[int, Block],
    above: range,
    settings: ExtractConfig,
) -> bool:
    terms = salient_terms(title)
    if _topic_share(terms, lead_terms, 1) > settings.off_topic_title_share:
        return True
    key = title_key(title)
    for index in above:
        line = blocks[index].text
        if title_key(line) == key:
            return True
        printed = terms and len(terms & salient_terms(line)) >= _PRINTED_TITLE_SHARE * len(terms)
        if printed and not blocks[index].kept:  # printed over the story, not quoted in it
            return True
    return False


def _topic_share(terms: set[str], lead_terms: set[str], min_shared: int) -> float:
    """The share of the terms the lead prints; 0 when it prints fewer than `min_shared`."""
    shared = len(terms & lead_terms)
    return shared / len(terms) if terms and shared >= min_shared else 0.0


def _could_head_story(
    block: Block, settings: ExtractConfig, min_weight: float | None = None
) -> bool:
    text = block.text
    if not looks_like_headline(text, settings.max_headline_weight):
        return False
    least = settings.min_partial_title_weight if min_weight is None else min_weight
    if text_weight(text) < least or is_date_segment(text):
        return False
    if not _HEADLINE_START.match(text) or _NOT_HEADLINE.search(text):
        return False
    # A link is a teaser of another story, unless it is a heading (a permalink headline).
    linked = block.link_chars * 2 > len(text) and block.kind != HEADING
    return not linked and not (is_site_path(text) or is_byline_line(text))


def _is_prose(block: Block) -> bool:
    if block.kind == CAPTION:
        return False
    weight = text_weight(block.text)
    sentence = weight > _MAX_BETWEEN_SENTENCE_WEIGHT and ENDS_SENTENCE.search(block.text)
    return weight > _MAX_BETWEEN_WEIGHT or bool(sentence)
