"""Page metadata (title, published, author, url, site_name) from <meta>, JSON-LD, <time>,
<title>, <h1> and byline elements; the title printed on the page is marked ``meta.title``."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from cleaner.dates import (
    first_plausible_date,
    is_plausible_date,
    normalize_date,
    page_date_order,
)
from cleaner.document import HEADING, LIST_ITEM, Role
from cleaner.rules.boilerplate import AUTHOR_LINE, BYLINE
from cleaner.stages.extract.authors import (
    DATE_START,
    byline_texts,
    closing_credits,
    copyright_wire,
    dated_byline,
    dateline_credit,
    desk_credits,
    first_author,
    lead_reporters,
    name_before_date,
    names_line,
    posted_by_credit,
    source_names,
    speaker_credits,
)
from cleaner.stages.extract.config import ExtractConfig
from cleaner.stages.extract.story_headline import (
    headline_over_story,
    is_byline_line,
    is_site_path,
)
from cleaner.stages.extract.titles import (
    Heading,
    choose_title,
    host_segments,
    is_date_segment,
    is_site_like,
    longest_segment,
    page_headings,
    site_key,
    title_key,
    title_segments,
    title_tail,
    without_site_segments,
)
from cleaner.stages.extract.walk import Piece, text_of
from cleaner.text import looks_like_headline, normalize_space, text_weight

NAME = "extract"


def collect_metadata(
    root: etree._Element,
    pieces: list[Piece],
    metadata: dict[str, str],
    settings: ExtractConfig,
    reference_year: int | None = None,
) -> None:
    """Page metadata into `metadata` (values already there win), title lines marked.
    `reference_year`: when the page was fetched, if the input says; a later date is not
    the page's."""
    printed = [piece.block.text for piece in pieces]
    opening = [piece.block.text for piece in pieces if piece.block.kept]
    home_names, section_keys = _link_names(root, settings.max_section_label_weight)
    found = html_metadata(
        root,
        printed,
        settings,
        opening[: settings.byline_search_blocks],
        reference_year,
        _opening_lines(pieces, settings),
        _closing_lines(pieces, settings.closing_credit_lines),
        _closing_lines(pieces, settings.copyright_search_lines),
        section_keys,
    )
    title_given = bool(metadata.get("title"))
    metadata.update({key: value for key, value in found.items() if key not in metadata})
    mark_title(pieces, [metadata.get("title", ""), _title_tag(root)], settings)
    if not metadata.get("title"):
        headline = untitled_page_headline(pieces, settings, metadata.get("author", ""))
        if headline:
            metadata["title"] = headline
    if not title_given:
        # A template's <title> naming only the site or the section ("Winnipeg Free
        # Press") loses to the headline printed over the story.
        title = metadata.get("title", "")
        site_keys = _own_names(pieces, metadata, home_names, settings)
        headline = headline_over_story(pieces, title, settings, site_keys, section_keys)
        if headline:
            metadata["title"] = headline


def _own_names(
    pieces: list[Piece], metadata: dict[str, str], home_names: list[str], settings: ExtractConfig
) -> frozenset[str]:
    """The keys of the names the page gives its publisher: its declared site name, host,
    the links to its home page (`home_names`), a copyright line's "© 2008 Winnipeg Free
    Press.", a wire dateline's "(Sports Network) -"."""
    names = [metadata.get("site_name", ""), *home_names]
    url = metadata.get("url", "")
    if "://" in url:
        names.append(_host_name(urlsplit(url).hostname or ""))
    for piece in pieces:
        text = piece.block.text
        if len(text) <= _MAX_COPYRIGHT_CHARS and _MAY_BE_COPYRIGHT.search(text):
            match = _COPYRIGHT_NAME.search(text)
            if match:
                names.append(match.group("name"))
    opening = [piece.block.text for piece in pieces if piece.block.kept]
    for text in opening[: settings.story_lead_blocks]:
        match = _DATELINE_SOURCE.match(text)
        if match:
            names.append(match.group("name"))
    return frozenset(key for name in names if name for key in site_keys_of(name))


def _link_names(root: etree._Element, max_weight: float) -> tuple[list[str], frozenset[str]]:
    """(the texts of links to the site's home page, the short link texts as site keys):
    the masthead's "Everything I Know Is Wrong" over a blog post (a link to the post
    itself names nothing: "The Killing of …"), and the menu's labels."""
    home_names, labels = [], set()
    for link in root.iter("a"):
        text = normalize_space("".join(link.itertext()))
        if not text or text_weight(text) > max_weight:
            continue
        labels.add(site_key(text))
        href = (link.get("href") or "").strip()
        if href and _HOME_HREF.match(href):
            home_names.append(text)
    return home_names, frozenset(label for label in labels if label)


_HOME_HREF = re.compile(r"^(?:https?://[^/?#]+)?/?(?:(?:index|default|home)\.\w+)?$", re.I)


# A copyright line names the publisher after its year: "© 2008 Winnipeg Free Press. All
# Rights Reserved.", "Copyright 2007 by The Sports Network".
_MAX_COPYRIGHT_CHARS = 200
_MAY_BE_COPYRIGHT = re.compile(r"©|\([cC]\)|opyright|OPYRIGHT")
_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*,?\s*)?"
    r"(?:by\s+)?(?P<name>[A-Z][\w&' -]{1,48}?)\s*(?:[.,;|]|all rights|(?:19|20)\d\d|$)",
    re.I,
)
# A wire dateline names its source before the dash: "St. Louis, MO (Sports Network) - …".
_DATELINE_SOURCE = re.compile(r"^[A-Z][\w.,' ]{1,60}\((?P<name>[A-Z][\w .&'-]{1,40})\)\s*[-–—]")


def _closing_lines(pieces: list[Piece], count: int) -> list[str]:
    """The lines from the story's `count`-th last kept line to `count` lines after its
    last, those the region left out between them included, where a story closing with
    its author's name prints it ("--Scott Ferguson", a link the region left out, over a
    kept "Do you have comments on this story?")."""
    kept = [index for index, piece in enumerate(pieces) if piece.block.kept]
    if not kept:
        return []
    start = kept[-count] if len(kept) >= count else kept[0]
    return [piece.block.text for piece in pieces[start : kept[-1] + 1 + count]]


def _opening_lines(pieces: list[Piece], settings: ExtractConfig) -> list[str]:
    """The lines a story prints its byline in: those between its headline and the main
    region, when the region starts under the headline; the first `byline_search_blocks`
    kept lines; and the lines the region left out among the first `byline_search_blocks`
    from the first kept one ("By MIRJAM SWANSON" in a container of its own between the
    dateline and the story; further down, what the region left out is comments and
    widgets: "by Taboola")."""
    count = settings.byline_search_blocks
    first = next((index for index, piece in enumerate(pieces) if piece.block.kept), None)
    if first is None:
        return []
    above = pieces[max(0, first - settings.byline_search_above) : first]
    headline = next(
        (i for i in range(len(above) - 1, -1, -1) if above[i].block.kind == HEADING), None
    )
    lines = [piece.block.text for piece in above[headline:]] if headline is not None else []
    if headline is None and above and is_byline_line(above[-1].block.text):
        # No heading over the story: a byline right over it still credits it, between a
        # headline set as a plain line and the story ("by Chris Shiflett").
        lines.append(above[-1].block.text)
    kept = 0
    for offset, piece in enumerate(pieces[first:]):
        if kept == count:
            break
        kept += piece.block.kept
        if piece.block.kept or offset < count:
            lines.append(piece.block.text)
    return lines


# ---------------------------------------------------------------- metadata


_META_KEYS = {
    "og:title": "title",
    "twitter:title": "title",
    "headline": "title",
    "dc.title": "title",
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
    "og:time": "published",
    "citation_date": "published",
    # Only a last resort: a page declaring no other date is dated by its last change, as
    # one printing only "Last Updated: …" is.
    "article:modified_time": "modified",
    "og:updated_time": "modified",
    "datemodified": "modified",
    "dateupdate": "modified",
    "dc.date.modified": "modified",
    "last-modified": "modified",
    "author": "author",
    "article:author": "author",
    "og:article:author": "author",
    "dc.creator": "author",
    "dcterms.creator": "author",
    "byl": "author",
    "parsely-author": "author",
    "sailthru.author": "author",
    "citation_authors": "author",
    "og:url": "url",
    "og:site_name": "site_name",
    "application-name": "site_name",
    "sitename": "site_name",
    "publisher": "site_name",
    "dc.publisher": "site_name",
    "dc.publisher.corporatename": "site_name",
}


def html_metadata(
    root: etree._Element,
    printed: list[str] | None = None,
    settings: ExtractConfig | None = None,
    opening: list[str] | None = None,
    reference_year: int | None = None,
    byline_lines: list[str] | None = None,
    closing_lines: list[str] | None = None,
    copyright_lines: list[str] | None = None,
    section_keys: frozenset[str] | None = None,
) -> dict[str, str]:
    """title, published, author, url and site_name (the publisher) of a page. `opening`:
    the first lines of the main region, where a story prints its dateline and byline;
    `byline_lines`: those lines with the lines the region left out between them, searched
    for the byline (default: `opening`); `closing_lines` and `copyright_lines`: the lines
    ending the story, searched for a closing credit and for an agency's copyright line;
    `reference_year`: the year the page was fetched, when known (no later date is its
    own); `section_keys`: the menu's labels, when the caller read them already."""
    settings = settings or ExtractConfig()
    printed = printed or []
    values = _meta_values(root)
    json_ld = _json_ld_metadata(root)
    title_tag = _title_tag(root)
    headings = page_headings(root)
    names = _site_names(values, json_ld, title_tag, headings, settings.min_partial_title_weight)
    keys = frozenset(key for name in names for key in site_keys_of(name))
    found: dict[str, str] = {}
    declared = [
        *values.get("title", [])[:1],
        *json_ld.get("title", []),
        *values.get("title", [])[1:],
    ]
    title = choose_title(
        [*declared, title_tag] if title_tag else declared,
        headings,
        printed,
        keys,
        settings,
        _navigation_labels(root, settings.max_section_label_weight)
        if section_keys is None
        else section_keys,
    )
    if not title and title_tag:
        title = _title_from_tag(title_tag, keys)
    if not title and not declared and not title_tag:
        title = _shared_title(root, printed)
    if title and not is_site_path(title) and not is_greeting(title):
        found["title"] = title
    sources = source_names(root, printed)
    declared_authors = [*json_ld.get("author", []), *values.get("author", [])]
    lines = opening if byline_lines is None else byline_lines
    candidates = [(text, False) for text in printed_bylines(lines or [])]
    # A speech's heading names its speaker ("Prepared Remarks of" over "Timothy J. Muris").
    candidates.extend((name, False) for name in speaker_credits(lines or []))
    # A byline printed right under the headline line, also where the region starts
    # elsewhere (a sidebar's teasers taken for the story: "Aidy recalls big guns" over "By
    # Kevin Affleck"), beats a meta tag ("Open Source PBX Editor").
    under = _lines_under_headline(printed, title)
    candidates.extend((text, False) for text in printed_bylines(under))
    candidates.extend((name, True) for name in declared_authors if is_plausible_author(name))
    # A byline printed over the story says who wrote it more surely than an element whose
    # class merely says "byline" (photo credits, the paper's name in a masthead).
    marked_bylines = byline_texts(root, settings.max_byline_chars)
    candidates.extend((text, False) for text in marked_bylines)
    # Then a desk on a line of its own under the headline ("Express News Service"), or the
    # name printed over it ("SHAWN LEVY" over "The Oregonian Staff").
    candidates.extend((desk, False) for desk in desk_credits(lines or []))
    # Last: a name signing the story's end ("--Scott Ferguson").
    candidates.extend((name, False) for name in closing_credits(closing_lines or []))
    # Or the account a blog template signs the post with ("Posted by red clay at February
    # 7, 2005"), taken as the template gives it: an account's name may have no capitals.
    # The whole page is read, as the region may run on into the comments under the post.
    poster = posted_by_credit(printed)
    if poster:
        candidates.append((poster, True))
    # Then a news agency the copyright line under the story names ("© Reuters 2008"): the
    # paper printed the agency's story; on the agency's own page the title names it as
    # the publisher ("AFP: …" where the agency's stories are hosted).
    wires = (copyright_wire(line) for line in copyright_lines or [])
    own = frozenset(site_key(segment) for segment in _edge_segments(title_tag))
    candidates.extend((name, False) for name in wires if name and not is_site_like(name, own))
    # Last of all: the account a platform prints beside the date under the headline
    # ("中国网 2019-11-25 10:37:31"); a reporter the story itself names comes first.
    accounts = (name_before_date(line) for line in lines or [])
    candidates.extend((name, False) for name in accounts if name)
    author = first_author(candidates, keys, sources)
    if not author:
        # Only when nothing else credits anyone, a paper included ("By the Associated
        # Press"): the agency a wire dateline opening the lead names ("LOS ANGELES (AP) -
        # …"), unless the title names it as the page's publisher.
        datelines = (
            dateline_credit(line) for line in (opening or [])[: settings.story_lead_blocks]
        )
        wired = [(name, False) for name in datelines if name and not is_site_like(name, own)]
        author = first_author(wired, keys, sources)
    if author:
        found["author"] = author
    if names:
        found["site_name"] = names[0]
    if values.get("url"):
        found["url"] = values["url"][0]
    published = [*values.get("published", []), *json_ld.get("published", [])]
    # "01/08/2008" is read in the order the page's other dates show ("1/15/2008").
    month_first = page_date_order(printed)
    date = (
        first_plausible_date(published, reference_year)
        or _time_element_date(root, reference_year, month_first)
        or _date_in_url(_page_urls(root, values), reference_year)
        # A date the page labels as its publication's ("Published: Wednesday 16 January
        # 2008") over the story beats a date its opening lines merely print.
        or first_plausible_date(_labelled_dates(lines or []), reference_year, month_first)
        or _date_in_opening(opening or [], settings.max_dateline_chars, reference_year, month_first)
        # A dateline opening the lead ("St. Louis, May 19, 1999 – Helen Piwnica-Worms, …").
        or first_plausible_date(_lead_datelines(opening or []), reference_year, month_first)
        # A credit line dates the story it signs ("By Agencies on Friday, January 18, 2008").
        or first_plausible_date(marked_bylines, reference_year, month_first)
        # Under the story ("发布日期：2019-03-06"), a labelled date still beats the first date
        # the lead mentions ("2019年2月27日下午，…"), not the one printed over the story (a
        # comment's "Posted on …" may close the region).
        or first_plausible_date(_labelled_dates(closing_lines or []), reference_year, month_first)
        # A dateline printed beside the headline line (not marked as a heading): under it,
        # else right over it ("01-14-2008 15:45" over "Korean Golfer … Wins …").
        or first_plausible_date(
            _lines_beside_headline(printed, title, settings), reference_year, month_first
        )
        or _date_after_headline(root, title, settings, reference_year, month_first)
        or _date_in_title(title_tag, reference_year, month_first)
        or _date_in_text(root, reference_year, month_first)
        or first_plausible_date(values.get("modified", []), reference_year)
    )
    if date:
        found["published"] = date
    return found


def _edge_segments(title: str) -> list[str]:
    """The first and last segments of a title with several, and a name the title opens
    with before a colon: where a title names its site.

    >>> _edge_segments("AFP: Ronaldo back in business"), _edge_segments("No separator")
    (['AFP'], [])
    >>> _edge_segments("Gaza crossings closed - The Guardian")
    ['Gaza crossings closed', 'The Guardian']
    """
    segments = title_segments(title)
    edges = [segments[0], segments[-1]] if len(segments) > 1 else []
    prefix = _NAME_BEFORE_COLON.match(title)
    return edges + [prefix.group(1)] if prefix else edges


_NAME_BEFORE_COLON = re.compile(r"^([^:]{2,40}?):\s")


def printed_bylines(lines: list[str]) -> list[str]:
    """Names from the byline lines ("By Jane Smith", "作者：周思博") and Chinese leads
    ("…讯（记者陈智）") and the dated credits ("Posted on 12/20/2004 by Jim Robinson")
    among the opening lines of the story. Byline lines in a row are one credit ("本报实习生
    刘国栋" over "本报记者 王燕平")."""
    credits: list[str] = []
    run: list[str] = []
    label = ""
    for line in lines:
        text = normalize_space(line)
        if _BARE_CREDIT_LABEL.match(text):
            label = text  # "Author :" over "Ravi Chopra", "By" over "Anika Bourley"
            continue
        text, label = f"{label} {text}" if label else text, ""
        match = (BYLINE.match(text) or AUTHOR_LINE.match(text)) if is_byline_line(text) else None
        value = match and (match.group("value") or match.groupdict().get("reporter"))
        if value and match.re is BYLINE and match.group("value"):
            # The whole line: "By Jane Smith, Tom Jones and Ann Lee" names three, which
            # `clean_author` tells from "By Jane Smith, Staff Writer".
            value = text
        # "BY HEMMY SO in Los Angeles and BEN WIDDICOMBE …", "KEVIN SCHOFIELD and GERRY
        # BRAIDEN": names the byline pattern does not read.
        value = value or names_line(text)
        if value:
            run.append(value)
            continue
        if run:
            credits.append(", ".join(run))
            run = []
        # A dated credit ("Posted on 12/20/2004 … by Jim Robinson") is a credit of its own:
        # on a repost it names who posted, after the story's own byline.
        reporters = lead_reporters(text) or dated_byline(text)
        if reporters:
            credits.append(reporters)
    if run:
        credits.append(", ".join(run))
    return credits


# A credit's label printed on a line of its own, the name on the next.
_BARE_CREDIT_LABEL = re.compile(
    r"^(?:by|written\s+by|posted\s+by|author|作者|撰文|执笔|執筆)\s*[:：]?$", re.I
)


def _shared_title(root: etree._Element, printed: list[str]) -> str:
    """A page declaring no title at all: the title its share links send ("…digg.com/submit?
    url=…&title=Bush praises Iraqi Baathist law"), when the page prints it as a line."""
    sent: dict[str, int] = {}
    for link in root.iter("a"):
        href = link.get("href") or ""
        if "title=" not in href:
            continue
        for value in parse_qs(urlsplit(href).query).get("title", []):
            value = normalize_space(value)
            if value:
                sent[value] = sent.get(value, 0) + 1
    lines = {title_key(line) for line in printed}
    shared = [
        value for value in sorted(sent, key=sent.get, reverse=True) if title_key(value) in lines
    ]
    return shared[0] if shared else ""


def _navigation_labels(root: etree._Element, max_weight: float) -> frozenset[str]:
    """Short link texts of the page (its menu: "Opinion", "Living", "国内"), as site keys."""
    return _link_names(root, max_weight)[1]


def _meta_values(root: etree._Element) -> dict[str, list[str]]:
    """The content of every known <meta>, by field, in page order."""
    values: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        field_name = _META_KEYS.get(key.strip())
        content = normalize_space(meta.get("content") or "")
        if content and field_name:
            values.setdefault(field_name, []).append(content)
    return values


def _title_tag(root: etree._Element) -> str:
    """The <title>'s text, up to the first markup in it: a page that never closes its
    <title> (or misspells "</title>") has its head and body read as the title's text."""
    element = root.find(".//title")
    text = normalize_space(text_of(element)) if element is not None else ""
    markup = _MARKUP.search(text)
    return text[: markup.start()].strip() if markup else text


_MARKUP = re.compile(r"</?[a-z][a-z0-9]*[\s>/]|<!--|</ti", re.I)


def is_greeting(title: str) -> bool:
    """A title welcoming the reader to the site is the site's, not a headline.

    >>> is_greeting("谢谢您访问〖关注中国中心〗"), is_greeting("Welcome to www.dailyrecord.com")
    (True, True)
    >>> is_greeting("Rose's comeback: welcome to the jungle")
    False
    """
    return bool(_GREETING.match(title))


_GREETING = re.compile(
    r"^(?:welcome\s+to|willkommen\s+(?:bei|auf|im)|bienvenue\s+(?:sur|à|chez)|bienvenid[oa]s?\s+a"
    r"|(?:欢迎|歡迎)(?:您)?(?:访问|訪問|光临|光臨|来到|來到)|(?:谢谢|謝謝|感谢|感謝)(?:您)?(?:访问|訪問|光临|光臨))\b",
    re.I,
)


def _title_from_tag(title_tag: str, site_keys: frozenset[str]) -> str:
    """A <title> no heading or meta tag agrees with: its site segments cut, else (names
    unknown) its longest segment."""
    headline, site = without_site_segments(title_tag, site_keys)
    return headline if site else longest_segment(title_tag)


def _site_names(
    values: dict[str, list[str]],
    json_ld: dict,
    title_tag: str,
    headings: list[Heading],
    min_headline_weight: float,
) -> list[str]:
    """What the publisher calls itself, most explicit first; the last segment of a CMS
    title ("…_新浪财经_新浪网") when nothing else says, unless the page prints it as its
    headline ("Ledger-Enquirer.com | 01/19/2008 | Terrorist gets life …"); a title segment
    spelled as a host name ("cbs4denver.com - Sports Wire")."""
    names = [name for name in values.get("site_name", []) if "://" not in name]
    names.extend(json_ld.get("publisher", []))
    url = (values.get("url") or [""])[0]
    host = urlsplit(url).hostname or "" if "://" in url else ""
    if host:
        names.append(_host_name(host))
    tail = title_tail(title_tag)
    short = text_weight(tail) <= min(_MAX_SITE_WEIGHT, text_weight(title_tag) / 2)
    # A plain <h1> of a headline's weight, not the logo's "Soccerway".
    printed = {
        title_key(heading.text)
        for heading in headings
        if not heading.chrome and text_weight(heading.text) >= min_headline_weight
    }
    if tail and short and title_key(tail) not in printed:
        names.append(tail)
    names.extend(host_segments(title_tag))
    return list(dict.fromkeys(name for name in names if name))


# A title segment longer than this (15 ideographs, 45 letters), or than the rest of the
# title, is a headline, not a site name.
_MAX_SITE_WEIGHT = 45.0


def site_keys_of(name: str) -> list[str]:
    """The keys a site name is recognised by: the name's, and for a Chinese one named as
    a "…网" the stem its channels and desks are named from ("新浪网": "新浪科技").

    >>> site_keys_of("新浪网"), site_keys_of("BBC News")
    (['新浪网', '新浪'], ['bbcnews'])
    """
    key = site_key(name)
    stem = _CJK_SITE_SUFFIX.sub("", key)
    return [key, stem] if len(stem) >= 2 and stem != key else ([key] if key else [])


_CJK_SITE_SUFFIX = re.compile(r"(?<=[\u3400-\u9fff])(?:网站|網站|网|網)$")


def _host_name(host: str) -> str:
    """'www.cleveland.com' -> 'cleveland', 'tech.sina.com.cn' -> 'sina': the part a site's
    name is spelled from."""
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    # A country's second level ("com.cn", "co.uk", "org.au") is no name.
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


_SECOND_LEVEL = frozenset({"com", "co", "net", "org", "gov", "edu", "ac", "or", "ne"})


def without_site_name(title: str, site_name: str) -> str:
    """'How to X | The Beachbody Blog' -> 'How to X' when the tail is the site's name.

    >>> without_site_name("The Impeachment Clock | National Review", "National Review")
    'The Impeachment Clock'
    """
    if not site_name or not _TITLE_SEPARATOR.search(title):
        return title  # no separator, no site-name tail: spares compiling the page's pattern
    match = _site_name_tail(site_name).match(title)
    return match.group(1) if match else title


# Separators between a page title and the site's name; none of them has a case.
_TITLE_SEPARATOR = re.compile(r"[|\-–—_·:]")


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


def _json_ld_metadata(root: etree._Element) -> dict[str, list[str]]:
    """headline, author (people, not organisations), datePublished and publisher names."""
    found: dict[str, list[str]] = {}
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            # strict=False: a raw line break inside a string ("description": "…\n") is
            # common in hand-templated JSON-LD and hides nothing else.
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        for item in _json_ld_items(data):
            _add_json_ld_item(item, found)
    return found


def _add_json_ld_item(item: dict, found: dict[str, list[str]]) -> None:
    if item.get("datePublished"):
        found.setdefault("published", []).append(str(item["datePublished"]))
    if item.get("headline"):
        headline = html.unescape(normalize_space(str(item["headline"])))
        found.setdefault("title", []).append(headline)
    author = _json_ld_name(item.get("author"), people_only=True)
    if author and is_plausible_author(author):
        found.setdefault("author", []).append(author)
    publisher = _json_ld_name(item.get("publisher"), people_only=False)
    if publisher:
        found.setdefault("publisher", []).append(publisher)


def _json_ld_items(data) -> list[dict]:
    """Objects of a JSON-LD document, flattening lists and @graph."""
    if isinstance(data, list):
        return [item for entry in data for item in _json_ld_items(entry)]
    if isinstance(data, dict):
        return [data, *_json_ld_items(data.get("@graph", []))]
    return []


def _json_ld_name(value, people_only: bool) -> str:
    """The name(s) in a JSON-LD author or publisher; an Organization is no author."""
    if isinstance(value, list):
        names = [_json_ld_name(entry, people_only) for entry in value]
        return ", ".join(name for name in names if name)
    if isinstance(value, dict):
        kind = str(value.get("@type") or "").lower()
        if people_only and "organization" in kind:
            return ""
        return normalize_space(str(value.get("name") or ""))
    return normalize_space(value) if isinstance(value, str) else ""


def _time_element_date(
    root: etree._Element, reference_year: int | None, month_first: bool | None = None
) -> str | None:
    values = [element.get("datetime") or text_of(element) for element in root.iter("time")]
    return first_plausible_date([value for value in values if value], reference_year, month_first)


# A label a page prints before its publication date; an update's date ("更新时间",
# "Updated") and a bare "时间：" (an event's time, "时间：3月8日 地点：…") are not it.
_PUBLICATION_LABEL = re.compile(
    r"^\W*(?:发布日期|发布时间|發佈時間|發布時間|发表时间|發表時間|发表日期|发稿时间|发布于"
    r"|(?i:published(?:\s+on)?|posted(?:\s+on)?|publication\s+date|date\s+published))"
    r"\s*[:：]?\s*(?P<date>.{6,40}?)(?:\s{2,}|\s+(?:\W|[^\W\d]{2,})[:：]|$)"
)


def _labelled_dates(lines: list[str]) -> list[str]:
    """The dates lines label as the publication's ("发布日期：2019-03-06 责任编辑：龙慧").

    >>> _labelled_dates(["发布日期：2019-03-06 责任编辑：龙慧", "Published: Jan 9, 2008"])
    ['2019-03-06', 'Jan 9, 2008']
    >>> _labelled_dates(["时间：3月8日 地点：会议中心"])  # an event's time
    []
    >>> _labelled_dates(["Posted by: Glenn on May 6, 2003 04:24 AM"])
    []
    """
    found = []
    for line in lines:
        match = _PUBLICATION_LABEL.match(normalize_space(line))
        if match and DATE_START.match(match.group("date")):
            found.append(match.group("date"))
    return found


def _date_in_opening(
    opening: list[str], max_chars: int, reference_year: int | None, month_first: bool | None = None
) -> str | None:
    """A dateline among the story's opening lines: the page's first date may sit in a
    sidebar or a "last updated" banner above the story."""
    datelines = (line for line in opening if len(line) <= max_chars and not line.endswith("."))
    return first_plausible_date(datelines, reference_year, month_first)


# A dateline opening a paragraph, the lead run on after a dash: "St. Louis, May 19, 1999 –
# Helen …", "3:55 p.m., Feb. 1, 2005--With a staff of seven …", "WASHINGTON, Jan. 5,
# 2008 - The …". Up to 40 characters before the dash: a place and a date.
_LEAD_DATELINE = re.compile(r"^(?P<dateline>[^–—]{6,40}?\d)\s*(?:--|[–—]|\s-\s)")


def _lead_datelines(opening: list[str]) -> list[str]:
    """The datelines the opening lines begin with before a dash, each a date.

    >>> _lead_datelines(["St. Louis, May 19, 1999 – Helen Piwnica-Worms, Ph.D., has …"])
    ['St. Louis, May 19, 1999']
    >>> _lead_datelines(["In 1999 – the year the law passed – …", "A 10-year plan"])
    []
    """
    found = []
    for line in opening:
        match = _LEAD_DATELINE.match(normalize_space(line))
        if match and normalize_date(match.group("dateline")):
            found.append(match.group("dateline"))
    return found


# A line holding a date is a dateline up to this length; longer, it is a sentence that
# mentions a date.
_MAX_DATELINE_CHARS = 200


def _page_urls(root: etree._Element, values: dict[str, list[str]]) -> list[str]:
    """The page's own address as it declares it: og:url, then <link rel="canonical">."""
    canonical = [
        link.get("href") or ""
        for link in root.iter("link")
        if (link.get("rel") or "").lower() == "canonical"
    ]
    return [*values.get("url", []), *canonical]


# A date as news sites write it into their articles' paths: "/2015/03/18/", "/2019-11-19/".
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?=[/-])")


def _date_in_url(urls: list[str], reference_year: int | None) -> str | None:
    """The date in the page's declared address ("…/2015/03/18/netanyahu-…"): the day the
    site filed the story under.

    >>> _date_in_url(["https://x.com/world/2015/03/18/story.html"], None)
    '2015-03-18'
    >>> _date_in_url(["https://x.com/p/2015/0318"], None) is None
    True
    """
    for url in urls:
        match = _URL_DATE.search(url)
        if match:
            date = normalize_date("-".join(match.groups()))
            if date and is_plausible_date(date, reference_year):
                return date
    return None


def _date_in_title(
    title_tag: str, reference_year: int | None, month_first: bool | None = None
) -> str | None:
    """A title segment that dates the page ("… - 07.12.2017 - LA NACION")."""
    segments = (segment.strip() for segment in title_segments(title_tag))
    dated = (segment for segment in segments if is_date_segment(segment))
    return first_plausible_date(dated, reference_year, month_first)


def _date_after_headline(
    root: etree._Element,
    title: str,
    settings: ExtractConfig,
    reference_year: int | None,
    month_first: bool | None = None,
) -> str | None:
    """The first dateline among the texts printed right after the headline: a story's
    dateline sits under its headline, a banner's "today is" date and a sidebar's above
    it. A longer text is a sentence or a caption ("… in this June 3, 2007, file photo")."""
    heading = _headline_element(root, title) if title else None
    if heading is None:
        return None
    texts = (str(text).strip() for text in _TEXT_AFTER(heading)[: settings.dateline_search_texts])
    datelines = (text for text in texts if len(text) <= settings.max_dateline_chars)
    return first_plausible_date(datelines, reference_year, month_first)


_TEXT_AFTER = etree.XPath(
    "following::text()[normalize-space()][not(ancestor::script)][not(ancestor::style)]"
)


def _headline_line(printed: list[str], title: str) -> int | None:
    """Where the page first prints its headline among its lines, if it does."""
    if not title:
        return None
    wanted = title_key(title)
    return next((i for i, line in enumerate(printed) if title_key(line) == wanted), None)


def _lines_beside_headline(printed: list[str], title: str, settings: ExtractConfig) -> list[str]:
    """The short lines printed right under the page's first line printing its headline,
    then those right over it: where a template without headings prints the story's date.

    >>> lines = ["Today: Jan 16", "Jan 14", "Choi wins", "Jan 15", "Text"]
    >>> _lines_beside_headline(lines, "Choi wins", ExtractConfig())
    ['Jan 15', 'Text', 'Jan 14', 'Today: Jan 16']
    """
    index = _headline_line(printed, title)
    if index is None:
        return []
    span = _BESIDE_HEADLINE_LINES
    beside = [
        *printed[index + 1 : index + 1 + span],
        *reversed(printed[max(0, index - span) : index]),
    ]
    return [line for line in beside if len(line) <= settings.max_dateline_chars]


def _lines_under_headline(printed: list[str], title: str) -> list[str]:
    """The byline lines right under the page's first line printing its headline.

    >>> _lines_under_headline(["Menu", "Choi wins", "By Kim Lee", "Seoul (AP) - …"], "Choi wins")
    ['By Kim Lee']
    """
    index = _headline_line(printed, title)
    if index is None:
        return []
    under = printed[index + 1 : index + 1 + _BESIDE_HEADLINE_LINES]
    return [line for line in under if is_byline_line(line)]


# Lines under and over the headline searched for its date: a byline and a share line may
# stand between.
_BESIDE_HEADLINE_LINES = 2


def _headline_element(root: etree._Element, title: str) -> etree._Element | None:
    """The first heading printing the page's headline."""
    wanted = title_key(title)
    for element in root.iter("h1", "h2", "h3"):
        if title_key("".join(element.itertext())) == wanted:
            return element
    return None


def _date_in_text(
    root: etree._Element, reference_year: int | None, month_first: bool | None = None
) -> str | None:
    """The first date written in the page body (datelines sit near the top)."""
    body = root.find("body")
    if body is None:
        return None
    # A generator: the texts after the first date are never looked at.
    texts = body.itertext()
    dated = (text for text in texts if len(text) < _MAX_DATELINE_CHARS)
    return first_plausible_date(dated, reference_year, month_first)


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


def untitled_page_headline(
    pieces: list[Piece], settings: ExtractConfig, author: str = ""
) -> str | None:
    """A page with no title anywhere in its markup: a headline-shaped line opening the kept
    body, followed by more body, is its title; else a heading just over the main region
    (the byline and dateline may stand between); else the line right over the story's
    byline (`author`: the name credited). It is marked ``meta.title`` and returned."""
    return (
        _headline_opening_body(pieces, settings)
        or _heading_over_region(pieces, settings)
        or _headline_over_byline(pieces, settings, author)
    )


def _headline_over_byline(pieces: list[Piece], settings: ExtractConfig, author: str) -> str | None:
    """A template setting its headline as a plain line prints the byline under it: the
    nearest byline over the story naming the author credited ("How To Avoid "Page Has
    Expired" Warnings" over "by Chris Shiflett"; "Born gay? …" over "By Sandi Doughton",
    a photo and its caption over the story) has the headline right over it."""
    blocks = [piece.block for piece in pieces]
    first_kept = next((index for index, block in enumerate(blocks) if block.kept), None)
    wanted = site_key(author)
    if first_kept is None or not wanted:
        return None
    for index in range(first_kept - 1, 0, -1):
        text = blocks[index].text
        if not (is_byline_line(text) and wanted in site_key(text)):
            continue
        above = blocks[index - 1]
        headline = above.text
        shaped = looks_like_headline(headline, settings.max_headline_weight)
        heavy = text_weight(headline) >= settings.min_untitled_headline_weight
        # Nor a menu's item ("Reprints" over "By JOE LAPOINTE"), a breadcrumb, another
        # credit or a dateline ("Published Thursday 27 July 2017").
        other = above.kind == LIST_ITEM or is_site_path(headline) or is_byline_line(headline)
        dated = normalize_date(headline) is not None or any(c.isdigit() for c in headline[:4])
        if not shaped or not heavy or other or dated:
            return None
        above.take_as(Role.TITLE, "meta.title", NAME, "headline over the byline, page untitled")
        return headline
    return None


def _heading_over_region(pieces: list[Piece], settings: ExtractConfig) -> str | None:
    blocks = [piece.block for piece in pieces]
    first_kept = next((index for index, block in enumerate(blocks) if block.kept), None)
    if first_kept is None:
        return None
    start = max(0, first_kept - settings.headline_search_blocks)
    for block in reversed(blocks[start:first_kept]):
        if block.kind != HEADING:
            continue
        text = block.text
        headline = looks_like_headline(text, settings.max_headline_weight)
        heavy = text_weight(text) >= settings.min_partial_title_weight
        if headline and heavy and not (is_site_path(text) or is_byline_line(text)):
            block.take_as(Role.TITLE, "meta.title", NAME, "heading over a page without a title")
            return text
        return None  # the nearest heading over the story is its headline or none is
    return None


def _headline_opening_body(pieces: list[Piece], settings: ExtractConfig) -> str | None:
    kept = [piece.block for piece in pieces if piece.block.kept]
    # A breadcrumb or a byline ("by William Moss" set in an <h4>) over the story is no
    # headline.
    kept = [block for block in kept if not (is_site_path(block.text) or is_byline_line(block.text))]
    if len(kept) < 2 or not looks_like_headline(kept[0].text, settings.max_headline_weight):
        return None
    too_light = text_weight(kept[0].text) < settings.min_untitled_headline_weight
    if too_light or any(c.isdigit() for c in kept[0].text[:4]) or is_date_segment(kept[0].text):
        return None  # a bare number or a date line ("November 23, 2004") is not a headline
    kept[0].take_as(Role.TITLE, "meta.title", NAME, "headline opening a page without a title")
    # The separators a template prints after a headline ("谁来埋单？- -") are not part of it.
    return kept[0].text.strip(_TRAILING_SEPARATORS) or kept[0].text


_TRAILING_SEPARATORS = " |｜_-–—:·»"


_QUOTES = str.maketrans({quote: '"' for quote in "“”„「」『』＂'‘’"})


def _same_title(text: str, title: str, settings: ExtractConfig) -> bool:
    text, title = text.translate(_QUOTES), title.translate(_QUOTES)
    if text == title:
        return True
    heavy_enough = text_weight(text) >= settings.min_partial_title_weight
    return heavy_enough and (text in title or title in text)
