"""Which of a page's titles is its headline, and which part of a title is the site's name.

A page states its title several times: `og:title`, JSON-LD `headline`, `<title>`, and the
`<h1>` printed over the article. Each can be wrong in its own way: the `<h1>` may be the
site logo, `og:title` an SEO phrasing or cut at an unescaped `"`, `<title>` carries the
site's name. So no source wins by rank: a printed heading is the headline when a declared
title *supports* it (holds it whole, with at most a shorter tail or head, or a site name,
around it), and a declared title loses the segments that name the site.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from cleaner.dates import normalize_date
from cleaner.stages.extract.config import ExtractConfig
from cleaner.text import normalize_space, text_weight

_QUOTES = str.maketrans({quote: '"' for quote in "“”„«»「」『』＂"})
# A character that may separate a headline from what a title adds around it.
_BOUNDARY = set("|｜_-–—:：·•»«/\\([（【<>~")
# Segments of a declared title: spaced dashes and bars, bare bars and underscores (CMS
# paths: "标题_频道_网站"), double dashes, and a dash right after CJK text ("标题-网站").
_SEGMENT_SEPARATOR = re.compile(
    r"\s+[|\-–—:·»]\s+|\s*[|｜_]+\s*|\s*-{2,}\s*|(?<=[\u3400-\u9fff\uff01-\uff5e）」』])\s*[-–—]\s*"
)
_NOT_LETTERS = re.compile(r"[\W_]+")
_SEPARATOR_CHARACTERS = " |｜_-–—:·»"
# Containers whose headings name the site or a section, not the article.
_LOGO_TOKENS = frozenset({"logo", "brand", "masthead", "banner", "navbar", "sidebar"})
_CHROME_TAGS = frozenset({"nav", "footer", "aside"})


@dataclass(frozen=True)
class Heading:
    text: str
    # Wrapped in a link, or inside navigation, a footer, a sidebar or a logo container:
    # such a heading is the headline only when a declared title says so.
    chrome: bool
    # 1 for <h1>, 2 for <h2>: an <h2> is the headline only when it prints a declared
    # title whole (a section's <h1> over it: "Allergies Health Center").
    level: int = 1


def title_key(text: str) -> str:
    """What two spellings of one title share: NFKC, one quote mark, case, spacing.

    >>> title_key("“Meth.  We’re on it.”") == title_key('"meth. we’re on it."')
    True
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return normalize_space(text).casefold()


def site_key(text: str) -> str:
    """A site name reduced to its letters and digits: "NJ.com" and "nj com" agree."""
    return _NOT_LETTERS.sub("", unicodedata.normalize("NFKC", text).casefold())


def is_site_like(text: str, site_keys: frozenset[str], whole: bool = False) -> bool:
    """The text names the site: it holds one of its names, or is held by one; with
    `whole`, only the latter ("News Nation Bureau" is a desk of News Nation).

    >>> is_site_like("网易财经", frozenset({"网易"})), is_site_like("Vox", frozenset({"wired"}))
    (True, False)
    """
    key = site_key(text)
    if len(key) < 2:
        return False
    if whole:  # the text is one of the names, or part of one ("网易" of "网易财经")
        return any(key in name for name in site_keys)
    return any(_names_site(key, name) for name in site_keys if len(name) >= 2)


# A text holding a site's name is the site when the name is most of it: "网易财经" is
# NetEase, "News Nation Bureau" is a desk of it, a headline ending "- News Nation" is not.
_SITE_SHARE = 0.5


def _names_site(key: str, name: str) -> bool:
    return key in name or (name in key and len(name) >= _SITE_SHARE * len(key))


def page_headings(root: etree._Element) -> list[Heading]:
    headings = []
    for element in root.iter("h1", "h2"):
        text = normalize_space("".join(element.itertext()))
        if text:
            level = 1 if element.tag == "h1" else 2
            headings.append(Heading(text, _is_chrome_heading(element, text), level))
    return headings


def _is_chrome_heading(element: etree._Element, text: str) -> bool:
    links = "".join("".join(link.itertext()) for link in element.iter("a"))
    if normalize_space(links) == text:
        return True
    for depth, ancestor in enumerate(element.iterancestors()):
        if ancestor.tag in _CHROME_TAGS or ancestor.tag == "a":
            return True
        tokens = re.split(r"[\s_-]+", f"{ancestor.get('class', '')} {ancestor.get('id', '')}")
        if depth < 4 and _LOGO_TOKENS.intersection(token.lower() for token in tokens):
            return True
    return False


def supports(declared: str, candidate: str, site_keys: frozenset[str]) -> bool:
    """The declared title holds the candidate as its headline.

    >>> sites = frozenset({"abcnews"})
    >>> supports("Aussies win - ABC News", "Aussies win", sites)
    True
    >>> supports("土豆不土 松花江网", "松花江网", frozenset())  # a shorter tail: the site
    False
    >>> supports('连环爆雷 狂奔的龙湖集团', '连环爆雷 狂奔的龙湖集团"暗伤"曝露？', sites)
    True
    """
    whole, part = title_key(declared), title_key(candidate)
    if not part or not whole:
        return False
    if whole == part:
        return True
    weight = text_weight(part)
    if whole.startswith(part) and _starts_at_boundary(whole[len(part) :]):
        tail = whole[len(part) :]
        light = _added_weight(tail, site_keys) < weight or _segments_lighter(tail, weight)
        return light or is_site_like(tail, site_keys)
    if whole.endswith(part) and _starts_at_boundary(whole[: -len(part)][::-1]):
        head = whole[: -len(part)]
        light = _added_weight(head, site_keys) < weight or _segments_lighter(head, weight, True)
        return light and not is_site_like(part, site_keys)
    # Between a site's segments: "CTV Toronto - Police recover body … - CTV News, Shows".
    start = whole.find(part)
    if start > 0 and not is_site_like(part, site_keys):
        head, tail = whole[:start], whole[start + len(part) :]
        return _segments_lighter(head, weight, True) and _segments_lighter(tail, weight)
    # og:title cut at an ASCII quote the page did not escape: content="…集团"暗伤"曝露"
    return part.startswith(whole) and part[len(whole)] == '"'


def _segments_lighter(rest: str, weight: float, before: bool = False) -> bool:
    """What a title adds on one side of a headline is segments, each lighter than the
    headline ("… - Entertainment News Story - KNTV | San Francisco"): a title's headline is
    its heaviest segment, however many the site adds. A separator must stand next to the
    headline (`before`: `rest` stands before it)."""
    stripped = rest.rstrip() if before else rest.lstrip()
    if not stripped or stripped[-1 if before else 0] not in _SEPARATOR_CHARACTERS:
        return False
    segments = (segment.strip() for segment in _SEGMENT_SEPARATOR.split(rest))
    return all(text_weight(segment) < weight for segment in segments)


def _added_weight(rest: str, site_keys: frozenset[str]) -> float:
    """The weight of what a title adds around a headline, without its segments that name
    the site or only date the page ("Ledger-Enquirer.com | 01/19/2008 | …")."""
    segments = (segment.strip() for segment in _SEGMENT_SEPARATOR.split(rest))
    dropped = sum(
        text_weight(segment)
        for segment in segments
        if segment and (_names_the_site(segment, site_keys) or is_date_segment(segment))
    )
    return text_weight(rest) - dropped


# A title segment this light holding a date is the page's date, not part of a headline.
_MAX_DATE_SEGMENT_WEIGHT = 30.0


def is_date_segment(segment: str) -> bool:
    return text_weight(segment) <= _MAX_DATE_SEGMENT_WEIGHT and normalize_date(segment) is not None


def _starts_at_boundary(rest: str) -> bool:
    return not rest or rest[0].isspace() or rest[0] in _BOUNDARY


def choose_title(
    declared: list[str],
    headings: list[Heading],
    printed: list[str],
    site_keys: frozenset[str],
    settings: ExtractConfig,
    section_keys: frozenset[str] = frozenset(),
) -> str:
    """The page's headline from its declared titles, its <h1>s and its printed lines.
    `section_keys`: the page's navigation labels, which a declared title may carry as
    segments ("… - Opinion - Site")."""
    headline = _headline(declared, headings, printed, site_keys, settings, section_keys)
    return headline.strip(_SEPARATOR_CHARACTERS)


def _headline(declared, headings, printed, site_keys, settings, section_keys) -> str:
    eligible = [
        h for h in headings if h.level == 1 and _could_be_headline(h.text, site_keys, settings)
    ]
    heading = _best_supported([h.text for h in eligible], declared, site_keys)
    if heading:
        return heading
    # A line printing a declared title whole is that title shown again (a <title> the
    # parser put in the body), not evidence for itself.
    declared_keys = {title_key(title) for title in declared}
    lines = [
        line
        for line in printed
        if _could_be_headline(line, site_keys, settings) and title_key(line) not in declared_keys
    ]
    line = _best_supported(lines, declared, site_keys)
    if line:
        return line
    subheads = [h.text for h in headings if h.level == 2 and not h.chrome]
    printed_whole = [text for text in subheads if title_key(text) in declared_keys]
    if printed_whole and _could_be_headline(printed_whole[0], site_keys, settings):
        return printed_whole[0]  # an <h2> printing the declared title under a section's <h1>
    plain = [h.text for h in eligible if not h.chrome]
    if len(plain) == 1 and text_weight(plain[0]) >= settings.min_partial_title_weight:
        return plain[0]  # one plain <h1>, no title agrees: an SEO <title> over a headline
    return declared_headline(declared, site_keys, section_keys)


def _could_be_headline(text: str, site_keys: frozenset[str], settings: ExtractConfig) -> bool:
    # No test of the headline's shape: headlines end in "?", "!" and even "."; a declared
    # title has to hold the candidate anyway.
    weight = text_weight(text)
    fits = settings.min_untitled_headline_weight <= weight <= settings.max_headline_weight
    # A printed date ("January 21, 2002") dates the page; it heads no story. (The weight
    # and a figure are tested first: most lines are a headline's length and hold none.)
    dated = weight <= _MAX_DATE_SEGMENT_WEIGHT and _FIGURE.search(text) and is_date_segment(text)
    return fits and not dated and site_key(text) not in site_keys


_FIGURE = re.compile(r"\d")


def _best_supported(candidates: list[str], declared: list[str], site_keys) -> str | None:
    """The candidate most declared titles support; the heavier one on a tie."""
    best, best_votes = None, 0
    for candidate in candidates:
        votes = sum(supports(title, candidate, site_keys) for title in declared)
        heavier = best is not None and text_weight(candidate) > text_weight(best)
        if votes > best_votes or (votes == best_votes and votes and heavier):
            best, best_votes = candidate, votes
    return best


def declared_headline(
    declared: list[str], site_keys: frozenset[str], section_keys: frozenset[str] = frozenset()
) -> str:
    """The first declared title (a longer one it is cut from wins), without site segments
    and, once a site segment went, without the segments the page's navigation prints."""
    if not declared:
        return ""
    first = declared[0]
    for other in declared[1:]:
        if supports(first, other, frozenset()) and len(title_key(other)) > len(title_key(first)):
            first = other  # the first was cut at an unescaped quote
    headline, site = without_site_segments(first, site_keys)
    return without_sections(headline, section_keys) if site else headline


def without_sections(title: str, section_keys: frozenset[str]) -> str:
    """Leading and trailing segments that are the page's navigation labels go: a CMS title
    is "headline - section - site", and the section is printed in the page's menu.

    >>> without_sections("That Way - The Opinionator - Opinion", frozenset({"opinion"}))
    'That Way - The Opinionator'
    >>> without_sections("Opinion | Vote early", frozenset({"opinion"}))
    'Vote early'
    >>> without_sections("Opinion", frozenset({"opinion"}))
    'Opinion'
    """
    parts = [part for part in _SEGMENT_SEPARATOR.split(title) if site_key(part)]
    start, end = 0, len(parts)
    while end - start > 1 and site_key(parts[end - 1]) in section_keys:
        end -= 1
    while end - start > 1 and site_key(parts[start]) in section_keys:
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    return _span(title, parts, start, end).strip(_SEPARATOR_CHARACTERS)


def without_site_segments(title: str, site_keys: frozenset[str]) -> tuple[str, str]:
    """(headline, site part): leading and trailing segments that name the site go.

    >>> without_site_segments("吗？-报社新闻-查报纸网", frozenset({"查报纸网"}))
    ('吗？-报社新闻', '查报纸网')
    >>> without_site_segments("Vote - Results", frozenset({"theblog"}))
    ('Vote - Results', '')
    """
    parts = [part for part in _SEGMENT_SEPARATOR.split(title) if site_key(part)]
    if len(parts) < 2:
        return title.strip(_SEPARATOR_CHARACTERS), ""
    start, end = 0, len(parts)
    while end - start > 1 and _names_the_site(parts[end - 1], site_keys):
        end -= 1
    while end - start > 1 and _names_the_site(parts[start], site_keys):
        start += 1
    if (start, end) == (0, len(parts)):
        return title, ""
    kept = _span(title, parts, start, end).strip(_SEPARATOR_CHARACTERS)
    site = parts[end] if end < len(parts) else parts[start - 1]
    return kept, site.strip()


# A title segment spelled as a host name is the site, whatever else the page calls itself:
# "Goal.com - Chelsea - …", "wjz.com - George Mitchell …", "… | NJ.com".
_HOST_NAME = re.compile(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\."
    r"(?:com|net|org|info|biz|news|tv|co|cn|uk|in|de|fr|it|es|jp|kr|ru|au|ca|us|br|pt|nl)$",
    re.I,
)


def _names_the_site(segment: str, site_keys: frozenset[str]) -> bool:
    """One of the site's names, or a host name.

    >>> _names_the_site("Goal.com", frozenset()), _names_the_site("Chelsea", frozenset())
    (True, False)
    """
    return is_site_like(segment, site_keys) or bool(_HOST_NAME.match(segment.strip()))


def host_segments(title: str) -> list[str]:
    """The segments of a title spelled as host names: the site, wherever it stands.

    >>> host_segments("cbs4denver.com - Sports Wire"), host_segments("U.S. stocks fall")
    (['cbs4denver.com'], [])
    """
    parts = (part.strip() for part in _SEGMENT_SEPARATOR.split(title))
    return [part for part in parts if _HOST_NAME.match(part)]


def _span(title: str, parts: list[str], start: int, end: int) -> str:
    """The text of parts[start:end] as it stands in the title, separators included."""
    offset = 0
    positions = []
    for part in parts:
        offset = title.index(part, offset)
        positions.append((offset, offset + len(part)))
        offset += len(part)
    return title[positions[start][0] : positions[end - 1][1]].strip()


def title_segments(title: str) -> list[str]:
    """A title cut at its separators.

    >>> title_segments("Una solución - 07.12.2017 - LA NACION")
    ['Una solución', '07.12.2017', 'LA NACION']
    """
    return [part.strip() for part in _SEGMENT_SEPARATOR.split(title) if part.strip()]


def title_tail(title: str) -> str:
    """The last segment of a title with several: where CMS titles put the site's name.

    >>> title_tail("四年前中500万现穷困潦倒__商贸_产业资讯_新浪网")
    '新浪网'
    >>> title_tail("No separator here")
    ''
    """
    parts = [part for part in _SEGMENT_SEPARATOR.split(title) if part.strip()]
    return parts[-1].strip() if len(parts) > 1 else ""


def longest_segment(title: str) -> str:
    """A <title> whose site segments are unknown: its longest segment (the old rule)."""
    parts = [part.strip() for part in _SEGMENT_SEPARATOR.split(title) if part.strip()]
    return max(parts, key=text_weight) if len(parts) > 1 else title
