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
from cleaner.stages.extract.titles import is_date_segment, title_key
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


def headline_over_story(pieces: list[Piece], title: str, settings: ExtractConfig) -> str | None:
    """The line over the story that is its headline, when `title` (the declared title
    chosen so far, or "") is off the story's topic; it is marked ``meta.title``."""
    kept = (index for index, piece in enumerate(pieces) if piece.block.kept)
    opening = list(islice(kept, settings.story_lead_blocks))  # no walk past the lead
    if not opening:
        return None
    first = opening[0]
    above = range(max(0, first - settings.byline_search_above), first + 1)
    blocks = {index: pieces[index].block for index in (*above, *opening)}
    lead = [salient_terms(blocks[index].text[:_LEAD_CHARS]) for index in opening]
    lead_terms = set().union(*lead)
    if title and _title_on_topic(title, lead_terms, blocks, above, settings):
        return None
    for index in reversed(above):  # the nearest line over the story first
        block = blocks[index]
        if not _could_head_story(block, settings):
            continue
        if any(_is_prose(blocks[between]) for between in range(index + 1, first)):
            return None  # prose over the story: what stands over it heads something else
        # The story's first block may be its headline: the lead is then the blocks under it.
        against = set().union(*lead[1:]) if index == first else lead_terms
        share = _topic_share(salient_terms(block.text), against, _MIN_SHARED_TERMS)
        if share >= settings.story_headline_share:
            block.take_as(
                Role.TITLE, "meta.title", NAME, "headline over the story, off-topic title"
            )
            return block.text
    return None


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


def _could_head_story(block: Block, settings: ExtractConfig) -> bool:
    text = block.text
    if not looks_like_headline(text, settings.max_headline_weight):
        return False
    if text_weight(text) < settings.min_partial_title_weight or is_date_segment(text):
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
