"""Extract stage: decoded text -> blocks in reading order, plus page metadata.

HTML is parsed once with lxml and walked once into paragraph-sized blocks that remember
their tag, their container trail, their link characters and whether CSS hides them. The
same walk records each block's element path, which feeds a readability-like content score:
every paragraph credits its container and that container's ancestors; the best-scoring
container (with its qualifying siblings and same-kind containers) is the main region, and
blocks outside it are marked removed as ``extract.outside-main``. Inside the region, blocks
under chrome tags or chrome-named containers (related, share, comments ...), captions,
hidden text and link lists are marked too (the rule table with reasons and examples is
`cleaner.rules.boilerplate.DOM_RULES`). Markdown and plain text become one block per
blank-line separated paragraph. Front matter, <meta> tags, JSON-LD, <time> elements and the
title printed on the page become `document.metadata` (title, published, author, url,
source_name); the printed title is marked ``meta.title``. A page nested deeper than libxml2
keeps is read once more without its wrapper tags (`flatten_markup`) before it becomes a
``too_deep`` error.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from lxml import etree

from cleaner.document import (
    CAPTION,
    HEADING,
    LIST_ITEM,
    METADATA,
    PARAGRAPH,
    TABLE,
    Block,
    Document,
    DocumentError,
    Removal,
)
from cleaner.rules.boilerplate import (
    CHROME_REGION_TOKENS,
    LINE_RULES,
    NEGATIVE_REGION_TOKENS,
    POSITIVE_REGION_TOKENS,
    word_set,
)

NAME = "extract"
BREADCRUMB_RULES = tuple(rule for rule in LINE_RULES if rule.rule_id == "boilerplate.breadcrumb")


@dataclass(frozen=True)
class ExtractConfig:
    # Tags whose whole subtree is page chrome by HTML's own semantics (unless the main
    # content region lies inside one: some sites wrap the whole page in <form>).
    chrome_tags: tuple[str, ...] = ("nav", "footer", "aside", "header", "form", "menu")
    # Find the main content region and mark the rest removed. Off = keep every visible
    # block except chrome tags (useful to review what the scorer throws away).
    main_region: bool = True
    # A sibling of the best container joins the main region when its score reaches this
    # share of the best score. 0.2 is readability's value; swept on the extraction bench
    # (en/zh F1): 0.1 -> 0.9789/0.9312, 0.2 -> 0.9791/0.9335, 0.3 -> 0.9795/0.9335.
    sibling_share: float = 0.2
    # Three other containers (or all, if fewer) scoring at least this share of the best
    # one pull the region up to their common ancestor (bodies split over several columns).
    # readability's 0.75; bench sweep: 0.6 -> 0.9788/0.9335, 0.9 -> 0.9793/0.9084.
    alternative_share: float = 0.75
    # A block whose link characters exceed this share of its text is a link list, not
    # prose (unless it is a long full sentence). 0.5 = more than half of it is links;
    # bench sweep 0.4/0.5/0.6 moved F1 by at most 0.001.
    max_link_density: float = 0.5
    # A main region with less text than this (in Latin-character weight) means the scorer
    # may have been misled by chrome-looking names; score again without them. 500 is
    # readability's charThreshold; 250 and 1000 gave the same bench F1.
    min_region_weight: float = 500.0
    # Figure captions and photo credits. Off by default: in the benchmarks' hand-made
    # bodies 111 of 141 caption blocks inside the main region are left out (a caption
    # describes a photo the text does not show). Turn on to keep them.
    keep_captions: bool = False


_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "head",
        "object",
        "embed",
        "button",
        "select",
        "option",
        "textarea",
        "input",
    }
)
_BLOCK_TAGS = word_set(
    "p div section article main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table "
    "tr td th thead tbody tfoot figure figcaption header footer nav aside form menu "
    "address center hr br body html fieldset details summary caption"
)
# Tags that hold one paragraph: their score goes to the container around them.
_PARAGRAPH_TAGS = word_set("p li dt dd td th pre blockquote h1 h2 h3 h4 h5 h6 figcaption")
_KIND_BY_TAG = {
    **{f"h{level}": HEADING for level in range(1, 7)},
    "li": LIST_ITEM,
    "dt": LIST_ITEM,
    "dd": LIST_ITEM,
    "figcaption": CAPTION,
    "caption": CAPTION,
    "td": TABLE,
    "th": TABLE,
}
# Utility class names that hide an element in every layout (whole names only: "hidden-xs"
# hides it on phones only). Sohu's "hidden-content" holds the paywalled copy of the body;
# "collapse"/"collapsed" (Bootstrap, MediaWiki) stay folded until a reader clicks.
_HIDING_CLASSES = word_set(
    "hidden hide d-none display-none is-hidden u-hidden invisible sr-only visually-hidden "
    "screen-reader-text hidden-content control-hide collapse collapsed mw-collapsed"
)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)", re.I
)
# libxml2 drops whatever nests deeper than this (its limit with huge_tree); a page that
# reaches it has lost text, which must be an error rather than a silently short article.
_PARSER_MAX_DEPTH = 2040
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_HTML_TAG = re.compile(r"<(?:p|div|br|span|a|table|li|h[1-6]|body|html|img)\b[^>]*>", re.I)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Runs of characters other than CJK ideographs: deleting them leaves the ideographs, whose
# count is then one `len` (half the time of listing every ideograph with findall).
_NOT_CJK_RUN = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]+")
_COMMAS = re.compile(r"[,，、;；]")
_SENTENCE_MARK = re.compile(r"[。！？!?]|\.(?:\s|$)")
_LIST_ITEM_TAGS = word_set("li dt dd")
_CLASS_TOKEN = re.compile(r"[a-z]+")


def apply(document: Document, config) -> Document:
    text = document.text
    front_matter = _FRONT_MATTER.match(text)
    if front_matter:
        document.metadata.update(_parse_front_matter(front_matter.group(1)))
        document.blocks.append(
            Block(front_matter.group(0).strip(), kind=METADATA).with_removal(
                "extract.front-matter", NAME, "YAML front matter, kept as metadata"
            )
        )
        text = text[front_matter.end() :]
    media_type = document.media_type
    promoted = media_type != "html" and len(_HTML_TAG.findall(text[:200_000])) >= 3
    if promoted:
        media_type = "html"
        # Markdown around the HTML (a Jekyll post): keep its autolinks as text, not tags.
        text = _MARKDOWN_AUTOLINK.sub(r"&lt;\1&gt;", text)
    document.media_type = media_type
    if media_type == "html":
        document.blocks.extend(
            html_blocks(text, config.extract, document.metadata, markdown_breaks=promoted)
        )
    else:
        document.blocks.extend(text_blocks(text, markdown=media_type == "markdown"))
    if document.url and "url" not in document.metadata:
        document.metadata["url"] = document.url
    return document


def _parse_front_matter(body: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for line in body.splitlines():
        match = _FRONT_MATTER_LINE.match(line)
        if match and match.group(2):
            metadata[match.group(1).lower()] = match.group(2).strip().strip("\"'")
    if "date" in metadata:
        metadata.setdefault("published", normalize_date(metadata["date"]) or metadata["date"])
    return metadata


def normalize_space(text: str) -> str:
    """Runs of white space as one space, none at either end.

    `str.split` and the regex class ``\\s`` agree on what white space is (Unicode's), and
    splitting is several times faster than ``re.sub(r"\\s+", " ", text).strip()``.
    """
    return " ".join(text.split())


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph: no space between CJK characters.

    >>> join_lines(["青岛高新区", "走活产业"])
    '青岛高新区走活产业'
    >>> join_lines(["one line", "and the next"])
    'one line and the next'
    """
    joined = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if joined and not (_CJK.match(joined[-1]) and _CJK.match(line[0])):
            joined += " "
        joined += line
    return joined


# ---------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_NUMERIC_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d\d)(?:[:：](\d\d))?)?"
)
_ENGLISH_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?"
    r"\s+((?:19|20)\d\d)\b"
    r"|\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b",
    re.I,
)


def normalize_date(value: str) -> str | None:
    """An ISO-8601 date or datetime for a date written in a common news format.

    >>> normalize_date("2019-11-19T10:00:00Z")
    '2019-11-19T10:00:00+00:00'
    >>> normalize_date("2022年4月28日 12:19")
    '2022-04-28T12:19:00'
    >>> normalize_date("Nov. 19, 2019")
    '2019-11-19'
    >>> normalize_date("no date here") is None
    True
    """
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.isoformat() if ("T" in value or " " in value) else parsed.date().isoformat()
    except ValueError:
        pass
    numeric = _NUMERIC_DATE.search(value)
    if numeric:
        year, month, day, hour, minute, second = numeric.groups()
        return _iso(int(year), int(month), int(day), hour, minute, second)
    english = _ENGLISH_DATE.search(value)
    if english:
        month_name, day, year = english.group(1, 2, 3)
        if month_name is None:
            day, month_name, year = english.group(4, 5, 6)
        return _iso(int(year), _MONTHS[month_name.lower()[:3]], int(day), None, None, None)
    return None


def _iso(year: int, month: int, day: int, hour, minute, second) -> str | None:
    try:
        if hour is None:
            return datetime(year, month, day).date().isoformat()
        return datetime(year, month, day, int(hour), int(minute), int(second or 0)).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------- Markdown / text

# Link text holds no bracket and a target no parenthesis: each attempt then stops at the
# next bracket, so a page of ten thousand "[" cannot make the engine backtrack for minutes.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_MARKDOWN_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")


def lenient_blocks(markup: str, metadata: dict[str, str] | None = None) -> list[Block]:
    """Text of markup that libxml2 gives up on (a bare CDATA section, a truncated tag).

    BeautifulSoup's pure-Python parser recovers what libxml2 drops; it is slow, so it
    runs only for the rare page that libxml2 returns nothing for.
    """
    import warnings

    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "html.parser")
    for element in soup(sorted(_SKIP_TAGS)):
        element.decompose()
    blocks = text_blocks(soup.get_text("\n\n"), markdown=False)
    if blocks and metadata is not None:
        metadata["html_parser"] = "libxml2 found no document; read by BeautifulSoup html.parser"
    return blocks


def text_blocks(text: str, markdown: bool = True) -> list[Block]:
    """Split plain or Markdown text into one block per blank-line separated paragraph."""
    blocks: list[Block] = []
    for chunk in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = chunk.split("\n")
        if not any(line.strip() for line in lines):
            continue
        heading = _MARKDOWN_HEADING.match(lines[0].strip()) if markdown or "#" in chunk else None
        if heading and len(lines) == 1:
            blocks.append(Block(heading.group(2), kind=HEADING, tag=f"h{len(heading.group(1))}"))
            continue
        paragraph = join_lines(lines)
        only_images = _MARKDOWN_IMAGE.sub("", paragraph).strip() == ""
        paragraph = _MARKDOWN_IMAGE.sub(r"\1", paragraph)
        link_text = "".join(match.group(1) for match in _MARKDOWN_LINK.finditer(paragraph))
        paragraph = _MARKDOWN_LINK.sub(r"\1", paragraph)
        paragraph = _MARKDOWN_AUTOLINK.sub(r"\1", paragraph)
        block = Block(paragraph, link_chars=len(link_text))
        if only_images:
            block.remove("extract.image", NAME, "a Markdown image with no text around it")
        blocks.append(block)
    return blocks


# ---------------------------------------------------------------- HTML walk


@dataclass
class _Piece:
    """A block with the elements it sits in, outermost first (its owner last)."""

    block: Block
    path: tuple[etree._Element, ...]


def html_blocks(
    markup: str,
    settings: ExtractConfig | None = None,
    metadata: dict[str, str] | None = None,
    markdown_breaks: bool = False,
) -> list[Block]:
    """Walk an HTML page once and return its visible text as blocks, chrome marked.

    `markdown_breaks`: the HTML sits in a Markdown file, so a blank line between loose
    text is a paragraph break and ``[text](url)`` is a link.
    """
    settings = settings or ExtractConfig()
    root = parse_html(markup)
    if root is None:
        return lenient_blocks(markup, metadata)
    try:
        pieces = walk_blocks(root, markdown_breaks)
    except DocumentError as error:
        if error.kind != "too_deep":
            raise
        # libxml2 dropped what nests deeper than it keeps: read the page again without its
        # wrapper tags. Still too deep (nesting made of the tags kept) stays an error.
        root = parse_html(flatten_markup(markup))
        if root is None:
            return []
        pieces = walk_blocks(root, markdown_breaks)
    unlikely = _UnlikelyRegions()
    region = choose_region(pieces, settings, unlikely) if settings.main_region else None
    mark_chrome(pieces, region, settings, unlikely)
    if metadata is not None:
        collect_metadata(root, pieces, metadata)
    return [piece.block for piece in pieces]


# Tags a flattened page keeps: its paragraphs, line breaks, list items, headings and links,
# the head's metadata, and the elements whose content never shows (without its <script>
# tag, a script's code would read as text).
_FLAT_PAGE_TAGS = _SKIP_TAGS | word_set(
    "html head title meta body p br li h1 h2 h3 h4 h5 h6 a time"
)
# One tag token. Possessive quantifiers and no "<" inside keep the scan linear on any input.
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*+)[^<>]*+>")


def flatten_markup(markup: str) -> str:
    """The page without its wrapper tags (div, span, font, table, section ...): a block
    wrapper becomes a line break, so its text stays a block of its own; an inline one
    goes. For pages nested deeper than the parser keeps.

    >>> flatten_markup('<div class="a"><div><p>One <font>two</font></p></div>three</div>')
    '<br><br><p>One two</p><br>three<br>'
    """
    return _TAG_TOKEN.sub(_flat_tag, markup)


def _flat_tag(match: re.Match[str]) -> str:
    name = match.group(2).lower()
    if name in _FLAT_PAGE_TAGS:
        return match.group(0)
    return "<br>" if name in _BLOCK_TAGS else ""


def walk_blocks(root: etree._Element, markdown_breaks: bool = False) -> list[_Piece]:
    """The page's text as blocks with their element paths, in reading order."""
    walker = _BlockWalker(markdown_breaks)
    events = etree.iterwalk(root, events=("start", "end"))
    start, end, add = walker.start, walker.end, walker.add
    skipped = False
    for event, element in events:
        if event == "start":
            if not start(element):
                # Scripts, styles, SVG ...: libxml2 skips the subtree, only its tail shows.
                events.skip_subtree()
                skipped = True
        elif skipped:
            skipped = False
            add(element.tail)
        else:
            end(element)
    walker.flush()
    if walker.deepest >= _PARSER_MAX_DEPTH:
        raise DocumentError(
            "too_deep", f"elements nest deeper than the HTML parser keeps ({_PARSER_MAX_DEPTH})"
        )
    return walker.pieces


def choose_region(
    pieces: list[_Piece], settings: ExtractConfig, unlikely: _UnlikelyRegions
) -> set[etree._Element] | None:
    region = main_region(pieces, settings, unlikely)
    weight = region_weight(pieces, region)
    if weight < settings.min_region_weight:
        # Like readability's retry: some sites name their whole page wrapper like chrome
        # ("container penci_sidebar"), so score again without the name filter. The retry
        # must find clearly more text: a short news item must not lose to its disclaimer.
        retry = main_region(pieces, settings, _UnlikelyRegions(enabled=False))
        if region_weight(pieces, retry) >= 2 * max(weight, 1.0):
            return retry
    return region


def collect_metadata(root: etree._Element, pieces: list[_Piece], metadata: dict[str, str]) -> None:
    """Page metadata into `metadata` (values already there win), title lines marked."""
    found = html_metadata(root)
    metadata.update({key: value for key, value in found.items() if key not in metadata})
    title_element = root.find(".//title")
    raw_title = text_of(title_element) if title_element is not None else ""
    mark_title(pieces, [metadata.get("title", ""), raw_title])
    if not metadata.get("title"):
        headline = untitled_page_headline(pieces)
        if headline:
            metadata["title"] = headline


def parse_html(markup: str) -> etree._Element | None:
    """Parse possibly broken HTML; None when nothing parseable is left."""
    markup = markup.replace("\x00", "")
    if not markup.strip():
        return None
    # Hand libxml2 UTF-8 bytes with the encoding fixed: given a str, it still obeys a
    # <meta charset=gb2312> inside and garbles the already-decoded text.
    # Plain lxml elements, not lxml.html's: its per-element class lookup costs a tenth of
    # the walk and nothing here needs its methods.
    parser = etree.HTMLParser(
        recover=True, remove_comments=True, remove_pis=True, huge_tree=True, encoding="utf-8"
    )
    try:
        return etree.fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


class _BlockWalker:
    """Turns start/end events of an lxml tree walk into blocks with their element paths.

    Called once per element of the page: the hot path of the stage, so the common cases
    (no attributes, no text, no pending text) cost one test each.
    """

    def __init__(self, markdown_breaks: bool = False) -> None:
        self.markdown_breaks = markdown_breaks
        self.pieces: list[_Piece] = []
        self.texts: list[str] = []
        self.link_chars = 0
        # Open elements: (element, tag, hidden, label).
        self.stack: list[tuple[etree._Element, str, bool, str]] = []
        self.link_depth = 0
        self.deepest = 0
        self.hidden_depth = 0  # open elements that hide their content
        self.known_attributes: dict[tuple, tuple[bool, str]] = {}  # see _hidden_and_label

    def start(self, element: etree._Element) -> bool:
        """Open an element; False for one whose subtree never shows (script, style ...)."""
        tag = element.tag  # the parser lowercases; each read builds a new str, so read once
        if not isinstance(tag, str):
            tag = ""
        if tag in _SKIP_TAGS:
            return False
        if tag in _BLOCK_TAGS and self.texts:
            self.flush()
        hidden, label = (
            _hidden_and_label(element, tag, self.known_attributes)
            if element.attrib
            else (False, "")
        )
        stack = self.stack
        stack.append((element, tag, hidden, label))
        if hidden:
            self.hidden_depth += 1
        if len(stack) > self.deepest:
            self.deepest = len(stack)
        if tag == "a":
            self.link_depth += 1
        text = element.text
        if text:
            self.add(text)
        return True

    def end(self, element: etree._Element) -> None:
        tag, hidden = self.stack[-1][1:3]
        if tag in _BLOCK_TAGS and self.texts:
            self.flush()  # the block ends inside the element, which is still open
        self.stack.pop()
        if tag == "a":
            self.link_depth -= 1
        if hidden:
            self.hidden_depth -= 1
        tail = element.tail
        if tail:
            self.add(tail)

    def add(self, text: str | None) -> None:
        if not text:
            return
        if self.markdown_breaks and _PARAGRAPH_BREAK.search(text):
            first, *rest = _PARAGRAPH_BREAK.split(text)
            self._add_text(first)
            for paragraph in rest:
                self.flush()
                self._add_text(paragraph)
        else:
            self._add_text(text)

    def _add_text(self, text: str | None) -> None:
        if text and (self.texts or not text.isspace()):  # leading white space never shows
            self.texts.append(text)
            if self.link_depth:
                self.link_chars += len(text.strip())

    def flush(self) -> None:
        if not self.texts:
            return
        text = normalize_space("".join(self.texts))
        link_chars = self.link_chars
        if self.markdown_breaks and "](" in text:
            link_chars += sum(len(match.group(1)) for match in _MARKDOWN_LINK.finditer(text))
            text = _MARKDOWN_LINK.sub(r"\1", text)
        self.texts, self.link_chars = [], 0
        if not text:
            return
        stack = self.stack
        owner = len(stack)
        while owner > 0 and stack[owner - 1][1] not in _BLOCK_TAGS:
            owner -= 1
        innermost = stack[owner - 1][1] if owner else ""
        block = Block(
            text,
            kind=_KIND_BY_TAG.get(innermost, PARAGRAPH),
            tag=innermost,
            container=" > ".join([entry[3] for entry in stack[-6:] if entry[3]]),
            link_chars=min(link_chars, len(text)),
            hidden=self.hidden_depth > 0,
        )
        self.pieces.append(_Piece(block, tuple([entry[0] for entry in stack[:owner]])))


def _hidden_and_label(
    element: etree._Element, tag: str, known: dict[tuple, tuple[bool, str]]
) -> tuple[bool, str]:
    """Whether CSS on the element hides it (inline style, hidden attribute, a hiding
    utility class), and its label; each attribute is read once, as the walk asks this of
    every element that has attributes. A page repeats the same attributes (a fifth of
    its elements are distinct), so answers are kept in `known`, one dict per walk."""
    get = element.get
    key = (tag, get("style"), get("hidden") is not None, get("class"), get("id"))
    answer = known.get(key)
    if answer is None:
        answer = known[key] = _judge_attributes(*key)
    return answer


def _judge_attributes(
    tag: str, style: str | None, hidden_attribute: bool, classes: str | None, element_id: str | None
) -> tuple[bool, str]:
    hidden = bool(
        (style and _HIDDEN_STYLE.search(style))
        or hidden_attribute
        or (classes and _HIDING_CLASSES.intersection(classes.lower().split()))
    )
    return hidden, _label_of(tag, element_id, classes)


def _label(element: etree._Element, tag: str) -> str:
    """A short css-like label (tag#id.class) used to recognise page regions."""
    return _label_of(tag, element.get("id"), element.get("class"))


def _label_of(tag: str, element_id: str | None, classes: str | None) -> str:
    element_id = (element_id or "").strip()
    class_names = (classes or "").split()
    if not element_id and not class_names:
        return ""
    label = tag + (f"#{element_id}" if element_id else "")
    return label + "".join(f".{name}" for name in class_names[:3])


# ---------------------------------------------------------------- content scoring


def text_weight(text: str) -> float:
    """Length in 'Latin characters': a CJK character carries about three letters' worth.

    >>> text_weight("abc")
    3.0
    >>> text_weight("青岛")
    6.0
    """
    cjk = 0 if text.isascii() else len(_NOT_CJK_RUN.sub("", text))
    return float(len(text) - cjk + 3 * cjk)


def paragraph_score(block: Block) -> float:
    """readability's paragraph score: 1 + commas + one point per 100 characters (max 3),
    scaled down by the block's link density. Under 25 characters, headings and hidden
    text (a page's invisible duplicate of its body) score nothing."""
    weight = text_weight(block.text)
    if weight < 25 or block.hidden or block.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        return 0.0
    if block.tag in _LIST_ITEM_TAGS and weight < 150 and not _SENTENCE_MARK.search(block.text):
        return 0.0  # one item of a list of titles (forum threads, archives), not prose
    link_density = block.link_chars / len(block.text)
    score = 1 + len(_COMMAS.findall(block.text)) + min(weight / 100, 3)
    return score * (1 - link_density)


def class_tokens(element: etree._Element) -> set[str]:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return set(_CLASS_TOKEN.findall(names))


def class_weight(element: etree._Element) -> float:
    """+25 for a container named like article content, -25 for one named like chrome."""
    tokens = class_tokens(element)
    weight = 0.0
    if tokens & POSITIVE_REGION_TOKENS:
        weight += 25
    if tokens & NEGATIVE_REGION_TOKENS:
        weight -= 25
    return weight


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
    pieces: list[_Piece], unlikely: _UnlikelyRegions
) -> dict[etree._Element, float]:
    """Credit each paragraph's score to its container (full), the container's parent (half)
    and up to three more ancestors (a third of the level each), as readability does.
    Paragraphs inside chrome-named regions (comments, related ...) credit nobody."""
    raw: dict[etree._Element, float] = defaultdict(float)
    for piece in pieces:
        score = paragraph_score(piece.block)
        if not score or not piece.path or unlikely.first(piece.path) is not None:
            continue
        path = piece.path
        if piece.block.tag in _PARAGRAPH_TAGS and len(path) > 1:
            path = path[:-1]
        for level, element in enumerate(reversed(path[-5:])):
            raw[element] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
    totals, links = _text_totals(pieces)
    scores: dict[etree._Element, float] = {}
    for element, score in raw.items():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in {"body", "html"}:
            continue
        base = score + _TAG_BONUS.get(tag, 0.0) + class_weight(element)
        density = links[element] / totals[element] if totals[element] else 0.0
        scores[element] = base * (1 - density)
    return scores


def _text_totals(pieces: list[_Piece]) -> tuple[dict, dict]:
    """Text and link characters under each element: each block counts for its owner (the
    last element of its path), then every element, deepest first, adds its sums to its
    parent. A path is its owner's chain of ancestors, so each element is visited once."""
    totals: dict[etree._Element, int] = defaultdict(int)
    links: dict[etree._Element, int] = defaultdict(int)
    parent: dict[etree._Element, etree._Element | None] = {}
    depth: dict[etree._Element, int] = {}
    for piece in pieces:
        path = piece.path
        if not path:
            continue
        totals[path[-1]] += len(piece.block.text)
        links[path[-1]] += piece.block.link_chars
        level = len(path) - 1
        while level >= 0 and path[level] not in parent:
            parent[path[level]] = path[level - 1] if level else None
            depth[path[level]] = level
            level -= 1
    for element in sorted(parent, key=depth.__getitem__, reverse=True):
        above = parent[element]
        if above is not None:
            totals[above] += totals[element]
            links[above] += links[element]
    return totals, links


def region_weight(pieces: list[_Piece], region: set[etree._Element] | None) -> float:
    if not region:
        return 0.0
    in_region: dict[etree._Element, etree._Element | None] = {}
    return sum(
        text_weight(piece.block.text)
        for piece in pieces
        if first_on_path(piece.path, region.__contains__, in_region) is not None
    )


class _UnlikelyRegions:
    """Containers named like chrome (comments, related, share ...) and not like content,
    remembered per element because every block below asks about the same ancestors."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.known: dict[etree._Element, bool] = {}
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

    def first(self, path: tuple[etree._Element, ...]) -> etree._Element | None:
        """The outermost chrome-named container on the path, or None."""
        return first_on_path(path, self.is_unlikely, self.first_found)


def main_region(
    pieces: list[_Piece], settings: ExtractConfig, unlikely: _UnlikelyRegions
) -> set[etree._Element] | None:
    """The best container plus its qualifying siblings; None when nothing scores."""
    scores = container_scores(pieces, unlikely)
    if not scores:
        return None
    first_best = max(scores, key=scores.__getitem__)
    best = _lift_to_alternatives(first_best, scores, settings.alternative_share)
    best_score = scores.get(best, 0.0)
    threshold = max(10.0, best_score * settings.sibling_share)
    region = {best, *_same_signature(first_best, scores, threshold)}
    parent = best.getparent()
    if parent is None:
        return region
    prose = _prose_paragraphs(pieces)
    for sibling in parent:
        if sibling is best:
            continue
        if scores.get(sibling, 0.0) >= threshold or sibling in prose:
            region.add(sibling)
    return region


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


def _signature(element: etree._Element) -> tuple[str, str]:
    """Tag and first class name: "block-text" and "block-text block-text_initial-letter"
    are the same kind of container."""
    classes = (element.get("class") or "").split()
    return element.tag, classes[0] if classes else ""


def _prose_paragraphs(pieces: list[_Piece]) -> set[etree._Element]:
    """<p> elements that read as prose on their own (readability's sibling test: over 80
    characters with under a quarter links, or a shorter unlinked full sentence): a lead
    paragraph printed beside the body container belongs to the article."""
    prose: set[etree._Element] = set()
    for piece in pieces:
        block = piece.block
        if block.tag != "p" or not piece.path or block.hidden:
            continue
        density = block.link_chars / len(block.text)
        weight = text_weight(block.text)
        if (weight > 80 and density < 0.25) or (
            density == 0 and _SENTENCE_MARK.search(block.text[-1:] + " ")
        ):
            prose.add(piece.path[-1])
    return prose


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


def mark_chrome(
    pieces: list[_Piece],
    region: set[etree._Element] | None,
    settings: ExtractConfig,
    unlikely: _UnlikelyRegions,
) -> None:
    """Mark blocks outside the main region, under chrome tags or chrome-named containers,
    captions, hidden text and link lists."""
    region_ancestors: set[etree._Element] = set()
    for element in region or ():
        region_ancestors.update(element.iterancestors())
        region_ancestors.add(element)
    chrome = _ChromeFinder(region_ancestors, settings, unlikely)
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


class _ChromeFinder:
    """(rule id, evidence) for a block of the main region that is still not body text."""

    def __init__(
        self,
        region_ancestors: set[etree._Element],
        settings: ExtractConfig,
        unlikely: _UnlikelyRegions,
    ) -> None:
        self.region_ancestors = region_ancestors
        self.chrome_tags = frozenset(settings.chrome_tags)
        self.settings = settings
        self.unlikely = unlikely
        self.found_tag: dict[etree._Element, etree._Element | None] = {}
        self.found_name: dict[etree._Element, etree._Element | None] = {}
        self.found_caption: dict[etree._Element, etree._Element | None] = {}
        # The answer of `_path_reason` per block owner (the last element of a path).
        self.by_owner: dict[etree._Element | None, tuple[str, str] | None] = {}

    def reason(self, piece: _Piece) -> tuple[str, str] | None:
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
            return "extract.chrome-container", f"inside {_label(named, named.tag)}"
        if not self.settings.keep_captions:
            caption = first_on_path(path, _is_caption, self.found_caption)
            if caption is not None:
                label = _label(caption, caption.tag) or caption.tag
                return "extract.caption", f"figure caption or credit ({label})"
        return None

    def _is_chrome_tag(self, element: etree._Element) -> bool:
        return element.tag in self.chrome_tags and element not in self.region_ancestors

    def _is_chrome_named(self, element: etree._Element) -> bool:
        return element not in self.region_ancestors and self.unlikely.is_unlikely(element)


_CAPTION_TOKENS = word_set("caption captions figcaption credit credits photocredit")
# <figure> holds a picture and the words about it (caption, credit), never the story.
_CAPTION_TAGS = word_set("figcaption caption figure")


def _is_caption(element: etree._Element) -> bool:
    """A caption element: <figure>, <figcaption>, class "caption"/"credit"."""
    return element.tag in _CAPTION_TAGS or bool(class_tokens(element) & _CAPTION_TOKENS)


def _is_linked_sentence(text: str) -> bool:
    """A long block ending like a sentence is prose with links in it (a bulleted news
    roundup), not a menu or a teaser headline."""
    return text_weight(text) >= 80 and text.rstrip()[-1:] in ".!?。！？\"”'’)"


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
    date = _first_plausible_date(published) or _time_element_date(root) or _date_in_text(root)
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


def _first_plausible_date(values: Iterable[str]) -> str | None:
    for value in values:
        date = normalize_date(value)
        if date and is_plausible_date(date):
            return date
    return None


def is_plausible_date(iso_date: str) -> bool:
    """A news page's date: CMS placeholders ("0001-01-01") and far futures are not."""
    year = int(iso_date[:4])
    return 1990 <= year <= datetime.now().year + 1


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
    return any(rule.pattern.search(text) for rule in BREADCRUMB_RULES)


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
    return _first_plausible_date([value for value in values if value])


def _date_in_text(root: etree._Element) -> str | None:
    """The first date written in the page body (datelines sit near the top)."""
    body = root.find("body")
    if body is None:
        return None
    # A generator: the texts after the first date are never looked at.
    return _first_plausible_date(text for text in body.itertext() if len(text) < 200)


def mark_title(pieces: list[_Piece], titles: list[str]) -> None:
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
        in_opening = any(block is first for first in opening) and _is_headline_shaped(block.text)
        if not (in_opening or (block.kind == HEADING and not heading_found)):
            continue
        if any(_same_title(block.text.casefold(), title) for title in wanted):
            block.removal = Removal("meta.title", NAME, "the page title, kept as metadata")
            heading_found = heading_found or block.kind == HEADING


def untitled_page_headline(pieces: list[_Piece]) -> str | None:
    """A page with no title anywhere in its markup: a headline-shaped line opening the kept
    body, followed by more body, is its title. It is marked ``meta.title`` and returned."""
    kept = [piece.block for piece in pieces if piece.block.kept]
    kept = [block for block in kept if not is_site_path(block.text)]
    if len(kept) < 2 or not _is_headline_shaped(kept[0].text):
        return None
    if text_weight(kept[0].text) < 6 or any(c.isdigit() for c in kept[0].text[:4]):
        return None  # a bare number or a date line is not a headline
    kept[0].removal = Removal("meta.title", NAME, "headline opening a page without a title")
    return kept[0].text


_QUOTES = str.maketrans({quote: '"' for quote in "“”„「」『』＂'‘’"})


def _same_title(text: str, title: str) -> bool:
    text, title = text.translate(_QUOTES), title.translate(_QUOTES)
    if text == title:
        return True
    return text_weight(text) >= 18 and (text in title or title in text)


def _is_headline_shaped(text: str) -> bool:
    return text_weight(text) <= 240 and not _SENTENCE_MARK.search(text[-1:] + " ")
