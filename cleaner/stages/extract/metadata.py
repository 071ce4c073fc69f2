"""Page metadata (title, published, author, url, source_name) from <meta>, JSON-LD,
<time> and <title>; the title printed on the page is marked ``meta.title``."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from lxml import etree

from cleaner.dates import first_plausible_date
from cleaner.document import HEADING, Role
from cleaner.rules.boilerplate import SITE_PATH_RULES
from cleaner.stages.extract.config import ExtractConfig
from cleaner.stages.extract.walk import Piece, text_of
from cleaner.text import looks_like_headline, normalize_space, text_weight

NAME = "extract"


def collect_metadata(
    root: etree._Element,
    pieces: list[Piece],
    metadata: dict[str, str],
    settings: ExtractConfig,
) -> None:
    """Page metadata into `metadata` (values already there win), title lines marked."""
    found = html_metadata(root)
    metadata.update({key: value for key, value in found.items() if key not in metadata})
    title_element = root.find(".//title")
    raw_title = text_of(title_element) if title_element is not None else ""
    mark_title(pieces, [metadata.get("title", ""), raw_title], settings)
    if not metadata.get("title"):
        headline = untitled_page_headline(pieces, settings)
        if headline:
            metadata["title"] = headline


# ---------------------------------------------------------------- metadata


_META_KEYS = {
    "og:title": "title",
    "twitter:title": "title",
    "headline": "title",
    "article:published_time": "published",
    "og:published_time": "published",
    "article:published": "published",
    "datepublished": "published",
    "pubdate": "published",
    "publishdate": "published",
    "publish-date": "published",
    "publish_date": "published",
    "parsely-pub-date": "published",
    "sailthru.date": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "dcterms.created": "published",
    "date": "published",
    "article.published": "published",
    "published_time": "published",
    "og:release_date": "published",
    "author": "author",
    "article:author": "author",
    "dc.creator": "author",
    "byl": "author",
    "parsely-author": "author",
    "sailthru.author": "author",
    "og:url": "url",
    "og:site_name": "source_name",
    "application-name": "source_name",
}


def html_metadata(root: etree._Element) -> dict[str, str]:
    """title, published, author, url, source_name from <meta>, JSON-LD, <time> and <title>."""
    found: dict[str, str] = {}
    published: list[str] = []
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = normalize_space(meta.get("content") or "")
        field_name = _META_KEYS.get(key)
        if not content or field_name is None:
            continue
        if field_name == "published":
            published.append(content)
        elif field_name not in found and (field_name != "author" or is_plausible_author(content)):
            found[field_name] = content
    json_ld = _json_ld_metadata(root)
    published.extend(value for key, value in json_ld.items() if key == "published")
    for key, value in json_ld.items():
        found.setdefault(key, value)
    title = _document_title(root)
    if "title" not in found and title:
        found["title"] = title
    if "title" in found:
        found["title"] = without_site_name(found["title"], found.get("source_name", ""))
    date = first_plausible_date(published) or _time_element_date(root) or _date_in_text(root)
    if date:
        found["published"] = date
    else:
        found.pop("published", None)
    return found


# Separators between a page title and the site's name; none of them has a case.
_TITLE_SEPARATOR = re.compile(r"[|\-–—_·:]")


def without_site_name(title: str, site_name: str) -> str:
    """'How to X | The Beachbody Blog' -> 'How to X' when the tail is the site's name.

    >>> without_site_name("The Impeachment Clock | National Review", "National Review")
    'The Impeachment Clock'
    """
    if not site_name or not _TITLE_SEPARATOR.search(title):
        return title  # no separator, no site-name tail: spares compiling the page's pattern
    match = _site_name_tail(site_name).match(title)
    return match.group(1) if match else title


@lru_cache(maxsize=1024)
def _site_name_tail(site_name: str) -> re.Pattern[str]:
    """The title pattern for one site, compiled once per site (a crawl repeats sites)."""
    return re.compile(rf"(.+?)\s*{_TITLE_SEPARATOR.pattern}\s*{re.escape(site_name)}\s*$", re.I)


def is_plausible_author(value: str) -> bool:
    """A name, not a template placeholder ("name, email@gmail.com"), an id or a URL.

    >>> [is_plausible_author(v) for v in ["Jane Smith", "104363", "name, email@x.com"]]
    [True, False, False]
    """
    has_letters = any(character.isalpha() for character in value)
    return has_letters and "@" not in value and "://" not in value and len(value) <= 100


def _document_title(root: etree._Element) -> str:
    """<h1> when there is exactly one, else <title> without the site name after a separator."""
    headings = [normalize_space(text_of(h)) for h in root.iter("h1")]
    headings = [heading for heading in headings if heading and not is_site_path(heading)]
    if len(headings) == 1:
        return headings[0]
    title = root.find(".//title")
    if title is None:
        return ""
    text = normalize_space(text_of(title))
    parts = re.split(r"\s+[|\-–—_]\s+|\s*[|｜_]\s*", text)
    text = max(parts, key=len) if len(parts) > 1 else text
    return "" if is_site_path(text) else text


def is_site_path(text: str) -> bool:
    """A breadcrumb ("当前位置：首页->军事技术") is where the page sits, not its title."""
    return any(rule.pattern.search(text) for rule in SITE_PATH_RULES)


def _json_ld_metadata(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in _json_ld_items(data):
            if item.get("datePublished") and "published" not in found:
                found["published"] = str(item["datePublished"])
            if item.get("headline") and "title" not in found:
                found["title"] = normalize_space(str(item["headline"]))
            author = _json_ld_name(item.get("author"))
            if author and "author" not in found and is_plausible_author(author):
                found["author"] = author
    return found


def _json_ld_items(data) -> list[dict]:
    """Objects of a JSON-LD document, flattening lists and @graph."""
    if isinstance(data, list):
        return [item for entry in data for item in _json_ld_items(entry)]
    if isinstance(data, dict):
        return [data, *_json_ld_items(data.get("@graph", []))]
    return []


def _json_ld_name(value) -> str:
    if isinstance(value, list):
        names = [_json_ld_name(entry) for entry in value]
        return ", ".join(name for name in names if name)
    if isinstance(value, dict):
        return normalize_space(str(value.get("name") or ""))
    return normalize_space(value) if isinstance(value, str) else ""


def _time_element_date(root: etree._Element) -> str | None:
    values = [element.get("datetime") or text_of(element) for element in root.iter("time")]
    return first_plausible_date([value for value in values if value])


def _date_in_text(root: etree._Element) -> str | None:
    """The first date written in the page body (datelines sit near the top)."""
    body = root.find("body")
    if body is None:
        return None
    # A generator: the texts after the first date are never looked at.
    return first_plausible_date(text for text in body.itertext() if len(text) < 200)


def mark_title(pieces: list[Piece], titles: list[str], settings: ExtractConfig) -> None:
    """The first heading repeating the page title, or a headline-shaped line opening the
    kept body that repeats it, is metadata, not body. It takes the place of an earlier
    extract rule (a title above the main region is "outside" it, but saying that it is the
    title tells a reviewer more)."""
    wanted = [normalize_space(title).casefold() for title in titles if title.strip()]
    if not wanted:
        return
    opening = [piece.block for piece in pieces if piece.block.kept][:3]
    heading_found = False
    for piece in pieces:
        block = piece.block
        if block.removal and block.removal.stage != NAME:
            continue
        in_opening = any(block is first for first in opening) and looks_like_headline(
            block.text, settings.max_headline_weight
        )
        if not (in_opening or (block.kind == HEADING and not heading_found)):
            continue
        if any(_same_title(block.text.casefold(), title, settings) for title in wanted):
            block.take_as(Role.TITLE, "meta.title", NAME, "the page title, kept as metadata")
            heading_found = heading_found or block.kind == HEADING


def untitled_page_headline(pieces: list[Piece], settings: ExtractConfig) -> str | None:
    """A page with no title anywhere in its markup: a headline-shaped line opening the kept
    body, followed by more body, is its title. It is marked ``meta.title`` and returned."""
    kept = [piece.block for piece in pieces if piece.block.kept]
    kept = [block for block in kept if not is_site_path(block.text)]
    if len(kept) < 2 or not looks_like_headline(kept[0].text, settings.max_headline_weight):
        return None
    too_light = text_weight(kept[0].text) < settings.min_untitled_headline_weight
    if too_light or any(c.isdigit() for c in kept[0].text[:4]):
        return None  # a bare number or a date line is not a headline
    kept[0].take_as(Role.TITLE, "meta.title", NAME, "headline opening a page without a title")
    return kept[0].text


_QUOTES = str.maketrans({quote: '"' for quote in "“”„「」『』＂'‘’"})


def _same_title(text: str, title: str, settings: ExtractConfig) -> bool:
    text, title = text.translate(_QUOTES), title.translate(_QUOTES)
    if text == title:
        return True
    heavy_enough = text_weight(text) >= settings.min_partial_title_weight
    return heavy_enough and (text in title or title in text)
