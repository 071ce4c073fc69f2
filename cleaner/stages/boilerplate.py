"""Boilerplate stage: line-level chrome rules over every block, HTML or plain text.

The extract stage has already judged HTML pages by their DOM (main region, link density,
chrome containers). What is left here works on text alone, so it also cleans pages that
arrive already extracted (no DOM, only lines): breadcrumbs, share bars, related-article
lists with their teasers, comment chrome, copyright/reprint notices, "back to" links, stock
widgets, image alt junk (rules in `cleaner.rules.boilerplate.LINE_RULES`), and lines that are
metadata rather than body: source, editor, original title, byline, dateline and a title
repeated in the text. Those are marked removed with a ``meta.*`` rule id and their value
goes into `document.metadata`.

A short line is never removed for being short: in plain text it may be a headline or a
subheading the split stage needs. Every removal names chrome evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from cleaner.dates import normalize_date
from cleaner.document import Block, Document, Role
from cleaner.rules import Rule
from cleaner.rules.boilerplate import (
    DATELINE_LABEL,
    LINE_RULES,
    METADATA_LINE_BY_ID,
    SECTION_HEADINGS,
    SITE_PATH_RULES,
)
from cleaner.stages.extract.authors import copyright_wire
from cleaner.text import ENDS_SENTENCE, normalize_space

NAME = "boilerplate"


@dataclass(frozen=True)
class BoilerplateConfig:
    enabled: bool = True
    # A dateline ("admin1年前 (2024-09-27)青岛产业信息134", "Updated Nov. 19, 2019") is at
    # most this long; a longer line holding a date is a sentence of the story.
    max_dateline_chars: int = 60
    # Title, byline and dateline are looked for among the first blocks only: further down,
    # a short line with a name is more likely a subheading or a quote.
    header_blocks: int = 8
    # After a "related articles" or comment heading, list entries are removed while they
    # look like entries (short headline, teaser ending in "...", link list, repeated line);
    # this caps how long a teaser paragraph may be. 300 covers portal teasers (~120 CJK).
    max_teaser_chars: int = 300
    # A short line printed this many times in one document is page furniture (a menu
    # entry, a "back to top", a column header). 3, not 2: a headline may legitimately
    # appear twice (a pull quote repeats a line of the body; seed 003 prints one).
    min_repeats: int = 3
    # Lines longer than this are never judged by repetition: repeated prose is for dedup.
    max_repeated_chars: int = 40
    # An entry of a related-articles list that does not end like a sentence is a headline
    # when it is at most this long (portal headlines run to about 30 ideographs).
    max_entry_headline_chars: int = 60
    # A title line in the text is 4 to 120 characters without a sentence end: shorter is a
    # label ("新闻"), longer is a paragraph that lost its full stop.
    min_title_chars: int = 4
    max_title_chars: int = 120


_TEASER_END = re.compile(r"(?:\.\.\.|…|……)\s*\]?$")
# No bracket inside the link text: a page of "[" cannot make the engine backtrack.
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")


def apply(document: Document, settings: BoilerplateConfig) -> Document:
    if not settings.enabled:
        return document
    blocks = document.blocks
    site_paths = mark_line_rules(blocks, settings)
    mark_repeated_lines(blocks, settings)
    mark_metadata_lines(blocks, document.metadata, settings, site_paths)
    return document


# ---------------------------------------------------------------- chrome lines


def matching_rule(text: str) -> Rule | None:
    """The first line rule that fires on this block's text, if any."""
    text = without_markdown_links(text).strip()
    return next((rule for rule in LINE_RULES if rule.search(text) is not None), None)


def without_markdown_links(text: str) -> str:
    """Markdown links as their text. Every link holds "](": a block without one (most
    blocks) is returned as it is, without a scan by the pattern.

    >>> without_markdown_links("see [the report](https://example.com/r) today")
    'see the report today'
    """
    return _MARKDOWN_LINK.sub(r"\1", text) if "](" in text else text


_COPYRIGHT = "boilerplate.copyright"


def mark_line_rules(blocks: list[Block], settings: BoilerplateConfig) -> list[Block]:
    """Apply the line rules; a section-starting rule also takes the list that follows.
    Chrome lines are page furniture. Returns the blocks that print the site path."""
    section: Rule | None = None
    previous_text = ""
    site_paths = []
    for block in blocks:
        if not block.kept:
            continue
        rule = matching_rule(block.text)
        if rule is not None and rule.id == _COPYRIGHT and copyright_wire(block.text):
            rule = None  # a wire's line under the story it syndicates is the story's
        if rule is not None:
            block.take_as(Role.FURNITURE, rule.id, NAME, _evidence(rule, block.text))
            section = rule if rule.id in SECTION_HEADINGS else section
            if rule in SITE_PATH_RULES:
                site_paths.append(block)
        elif section is not None and is_list_entry(block, previous_text, settings):
            detail = f"list entry after {section.id}"
            block.take_as(Role.FURNITURE, f"{section.id}.entry", NAME, detail)
        else:
            section = None
        previous_text = block.text
    return site_paths


def _evidence(rule: Rule, text: str) -> str:
    """What a reviewer needs: the words that fired and why they mean chrome."""
    match = rule.pattern.search(without_markdown_links(text).strip())
    matched = match.group(0).strip() if match else ""
    return f"matched {matched[:40]!r}: {rule.reason}"


def mark_repeated_lines(blocks: list[Block], settings: BoilerplateConfig) -> None:
    """Short lines printed `min_repeats` times or more in one plain-text document. HTML
    pages are left to the DOM scoring: their repeated lines are often table cells or recipe
    steps (the English benchmark has both)."""
    plain = [block for block in blocks if not block.tag]
    counts = Counter(
        block.text for block in plain if len(block.text) <= settings.max_repeated_chars
    )
    for block in plain:
        repeats = counts.get(block.text, 0)
        if block.kept and repeats >= settings.min_repeats and not ENDS_SENTENCE.search(block.text):
            block.remove("boilerplate.repeated-line", NAME, f"printed {repeats} times")


def is_list_entry(block: Block, previous_text: str, settings: BoilerplateConfig) -> bool:
    """A block that looks like an entry of a related/comment list, not like body prose:
    a headline (no sentence ending), a teaser cut off with "...", a link, or a repeat."""
    text = block.text
    if text == previous_text or (block.link_chars and block.link_chars >= len(text) / 2):
        return True
    if len(text) > settings.max_teaser_chars:
        return False
    return bool(_TEASER_END.search(text)) or (
        len(text) <= settings.max_entry_headline_chars and not ENDS_SENTENCE.search(text)
    )


# ---------------------------------------------------------------- metadata lines


def mark_metadata_lines(
    blocks: list[Block],
    metadata: dict[str, str],
    settings: BoilerplateConfig,
    site_paths: list[Block],
) -> None:
    kept = [block for block in blocks if block.kept]
    for block in kept:
        mark_metadata_line(block, metadata)
        short = len(block.text) <= 2 * settings.max_dateline_chars
        if block.kept and short and DATELINE_LABEL.match(block.text):
            mark_labelled_dateline(block, metadata)
    header = [block for block in blocks if block.kept or _is_meta(block)]
    header = header[: settings.header_blocks]
    for block in header:
        if block.kept:
            mark_dateline(block, metadata, settings)
    mark_title_line(header, metadata, settings)
    if "title" not in metadata:
        mark_title_after_breadcrumb(
            blocks[: settings.header_blocks], metadata, site_paths, settings
        )


def mark_metadata_line(block: Block, metadata: dict[str, str]) -> None:
    """Source, editor, original-title and byline lines: into metadata, out of the body."""
    text = normalize_space(without_markdown_links(block.text))
    for rule_id, key, role in _METADATA_LINES:
        rule = METADATA_LINE_BY_ID[rule_id]
        match = rule.pattern.match(text) if len(text) <= rule.max_chars else None
        if match:
            value = match.group("value") or ""
            if rule_id in {"meta.byline", "meta.credit-line"}:
                value = value or match.group(2) or ""
            value = value.strip()
            if value:
                metadata.setdefault(key, value)
            block.take_as(role, rule_id, NAME, f"{key}: {value}")
            return


# (rule id, metadata key its value goes to, what the line is), tried in this order.
_METADATA_LINES = (
    ("meta.source-line", "source_name", Role.METADATA),
    ("meta.editor", "editor", Role.METADATA),
    ("meta.original-title", "title", Role.METADATA),
    ("meta.byline", "author", Role.BYLINE),
    ("meta.author-line", "author", Role.BYLINE),
    ("meta.credit-line", "credits", Role.METADATA),
)


def mark_labelled_dateline(block: Block, metadata: dict[str, str]) -> None:
    """'Published Nov 18, 2019 at 4:07 PM | Updated ...': a dateline wherever it stands."""
    date = normalize_date(block.text)
    if date:
        metadata.setdefault("published", date)
    block.take_as(Role.DATELINE, "meta.dateline", NAME, f"published: {date or 'unparsed'}")


def mark_dateline(block: Block, metadata: dict[str, str], settings: BoilerplateConfig) -> None:
    """A short line near the top holding a full date and no sentence is a dateline."""
    text = block.text
    if len(text) > settings.max_dateline_chars or "。" in text or text.endswith("."):
        return
    if block.tag == "blockquote" or text.startswith(("—", "-", "–")):
        return  # the date under an embedded tweet or quote belongs to the quote
    if "，" in text:
        return  # a Chinese comma means a clause: the opening of a story, not a dateline
    date = normalize_date(text)
    if date is None:
        if DATELINE_LABEL.match(text) and any(character.isdigit() for character in text):
            block.take_as(Role.DATELINE, "meta.dateline", NAME, "a labelled publication time")
        return
    metadata.setdefault("published", date)
    block.take_as(Role.DATELINE, "meta.dateline", NAME, f"published: {date}")


def mark_title_line(
    header: list[Block], metadata: dict[str, str], settings: BoilerplateConfig
) -> None:
    """The page title printed in the text: the line equal to the known title, or the
    headline-shaped line just above a dateline or byline."""
    title = normalize_space(metadata.get("title", ""))
    for index, block in enumerate(header):
        if not block.kept:
            continue
        if title and normalize_space(block.text) == title:
            block.take_as(Role.TITLE, "meta.title", NAME, "the title, kept as metadata")
            return
        following = header[index + 1] if index + 1 < len(header) else None
        if (
            following is not None
            and following.role in (Role.DATELINE, Role.BYLINE)
            and _is_headline(block.text, settings)
        ):
            metadata.setdefault("title", normalize_space(block.text))
            block.take_as(Role.TITLE, "meta.title", NAME, f"headline above the {following.role}")
            return


def mark_title_after_breadcrumb(
    blocks: list[Block],
    metadata: dict[str, str],
    site_paths: list[Block],
    settings: BoilerplateConfig,
) -> None:
    """Portal templates print the site path, then the headline: a headline-shaped line
    right after a breadcrumb, followed by prose, is the title (seed 002)."""
    for previous, block, following in zip(blocks, blocks[1:], blocks[2:], strict=False):
        after_breadcrumb = any(previous is path for path in site_paths)
        if after_breadcrumb and block.kept and not block.tag and _is_headline(block.text, settings):
            if following.kept and len(following.text) > 2 * len(block.text):
                metadata["title"] = normalize_space(block.text)
                block.take_as(Role.TITLE, "meta.title", NAME, "headline under the breadcrumb")
            return


_META_ROLES = frozenset({Role.TITLE, Role.BYLINE, Role.DATELINE, Role.METADATA})


def _is_meta(block: Block) -> bool:
    """Taken out of the body as the article's metadata (by this stage or extract)."""
    return block.removal is not None and block.role in _META_ROLES


def _is_headline(text: str, settings: BoilerplateConfig) -> bool:
    fits = settings.min_title_chars <= len(text) <= settings.max_title_chars
    return fits and not ENDS_SENTENCE.search(text.rstrip())
