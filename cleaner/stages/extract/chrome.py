"""Blocks that are not body text although they sit in or near the main region: outside
it, under chrome tags or chrome-named containers, captions, hidden text, link lists."""

from __future__ import annotations

from lxml import etree

from cleaner.rules.boilerplate import word_set
from cleaner.stages.extract.config import ExtractConfig
from cleaner.stages.extract.region import (
    MainRegion,
    PageTotals,
    UnlikelyRegions,
    class_tokens,
    first_on_path,
)
from cleaner.stages.extract.walk import Piece, label_of_element
from cleaner.text import text_weight

NAME = "extract"


def mark_chrome(
    pieces: list[Piece],
    main: MainRegion | None,
    settings: ExtractConfig,
    unlikely: UnlikelyRegions,
    totals: PageTotals,
) -> None:
    """Mark blocks outside the main region, under chrome tags or chrome-named containers,
    captions, hidden text and link lists."""
    region = main.elements if main else None
    region_ancestors: set[etree._Element] = set()
    for element in region or ():
        region_ancestors.update(element.iterancestors())
        region_ancestors.add(element)
    # A chrome tag never drops most of the region's prose by itself: a page inside one
    # <form>. A chrome name does so only when the region was found without reading names
    # (a page wrapper named "container penci_sidebar"): otherwise the text under that name
    # gave the region no score, and a comment thread longer than the story is still chrome.
    most_prose = max(
        settings.max_chrome_prose_share * totals.region_prose(region), settings.min_region_weight
    )
    wrappers = {element for element, prose in totals.prose.items() if prose > most_prose}
    names_wrap = main is None or main.names_ignored
    chrome = _ChromeFinder(region_ancestors, wrappers, names_wrap, settings, unlikely)
    in_region: dict[etree._Element, etree._Element | None] = {}
    for piece in pieces:
        if region is not None and first_on_path(piece.path, region.__contains__, in_region) is None:
            piece.block.remove(
                "extract.outside-main", NAME, "outside the best-scoring content region"
            )
            continue
        reason = chrome.reason(piece)
        if reason is not None:
            piece.block.remove(reason[0], NAME, reason[1])


class _ChromeFinder:
    """(rule id, evidence) for a block of the main region that is still not body text."""

    def __init__(
        self,
        region_ancestors: set[etree._Element],
        wrappers: set[etree._Element],
        names_wrap: bool,
        settings: ExtractConfig,
        unlikely: UnlikelyRegions,
    ) -> None:
        self.region_ancestors = region_ancestors
        self.tag_exempt = region_ancestors | wrappers
        self.name_exempt = self.tag_exempt if names_wrap else region_ancestors
        self.chrome_tags = frozenset(settings.chrome_tags)
        self.settings = settings
        self.unlikely = unlikely
        self.found_tag: dict[etree._Element, etree._Element | None] = {}
        self.found_name: dict[etree._Element, etree._Element | None] = {}
        self.found_caption: dict[etree._Element, etree._Element | None] = {}
        # The answer of `_path_reason` per block owner (the last element of a path).
        self.by_owner: dict[etree._Element | None, tuple[str, str] | None] = {}

    def reason(self, piece: Piece) -> tuple[str, str] | None:
        owner = piece.path[-1] if piece.path else None
        if owner not in self.by_owner:
            self.by_owner[owner] = self._path_reason(piece.path)
        found = self.by_owner[owner]
        if found is not None:
            return found
        block = piece.block
        if block.hidden:
            return "extract.hidden", "hidden by CSS or the hidden attribute"
        density = block.link_chars / len(block.text)
        if density > self.settings.max_link_density and not _is_linked_sentence(block.text):
            return "extract.link-dense", f"{density:.0%} of its text is links"
        return None

    def _path_reason(self, path: tuple[etree._Element, ...]) -> tuple[str, str] | None:
        """What the block's containers alone say: a chrome tag, a chrome name, a caption."""
        chrome = first_on_path(path, self._is_chrome_tag, self.found_tag)
        if chrome is not None:
            return f"extract.{chrome.tag}-element", f"inside <{chrome.tag}>"
        named = first_on_path(path, self._is_chrome_named, self.found_name)
        if named is not None:
            return "extract.chrome-container", f"inside {label_of_element(named, named.tag)}"
        if not self.settings.keep_captions:
            caption = first_on_path(path, _is_caption, self.found_caption)
            if caption is not None:
                label = label_of_element(caption, caption.tag) or caption.tag
                return "extract.caption", f"figure caption or credit ({label})"
        return None

    def _is_chrome_tag(self, element: etree._Element) -> bool:
        return element.tag in self.chrome_tags and element not in self.tag_exempt

    def _is_chrome_named(self, element: etree._Element) -> bool:
        if element in self.name_exempt:
            return False
        if self.unlikely.is_unlikely(element):
            return True
        # A one-word chrome name never drops most of the region's prose.
        return element not in self.tag_exempt and self.unlikely.is_chrome_compound(element)


_CAPTION_TOKENS = word_set("caption captions figcaption credit credits photocredit")
# <figure> holds a picture and the words about it (caption, credit), never the story.
_CAPTION_TAGS = word_set("figcaption caption figure")


# Whole-page containers are never a caption, whatever their class names say (a body class
# list of feature flags may hold "f_video_upload_captions_on").
_PAGE_TAGS = word_set("html body main article")


def _is_caption(element: etree._Element) -> bool:
    """A caption element: <figure>, <figcaption>, class "caption"/"credit"."""
    if element.tag in _CAPTION_TAGS:
        return True
    return element.tag not in _PAGE_TAGS and bool(class_tokens(element) & _CAPTION_TOKENS)


def _is_linked_sentence(text: str) -> bool:
    """A long block ending like a sentence is prose with links in it (a bulleted news
    roundup), not a menu or a teaser headline."""
    return text_weight(text) >= 80 and text.rstrip()[-1:] in ".!?。！？\"”'’)"
