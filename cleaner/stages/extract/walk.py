"""The one walk over an HTML page: its visible text as blocks, each with its element path.

The page is parsed once with lxml and walked once; every block remembers its tag, its
container trail, its link characters and whether CSS hides it. A page nested deeper than
libxml2 keeps is read once more without its wrapper tags (`flatten_markup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from cleaner.document import CAPTION, HEADING, LIST_ITEM, PARAGRAPH, TABLE, Block, DocumentError
from cleaner.rules.boilerplate import word_set
from cleaner.stages.extract.markdown import MARKDOWN_LINK, PARAGRAPH_BREAK
from cleaner.text import normalize_space

SKIP_TAGS = frozenset(
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
        # MathML's source form of a formula (TeX), never displayed beside the formula.
        "annotation",
        "annotation-xml",
    }
)
BLOCK_TAGS = word_set(
    "p div section article main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table "
    "tr td th thead tbody tfoot figure figcaption header footer nav aside form menu "
    "address center hr br body html fieldset details summary caption"
)
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
# React's streaming server rendering sends late parts of the page as <div hidden id="S:0">
# at the end of the body, and a script moves each into its placeholder: the reader sees it.
_STREAMED_SEGMENT = re.compile(r"S:\d+$")
# libxml2 drops whatever nests deeper than this (its limit with huge_tree); a page that
# reaches it has lost text, which must be an error rather than a silently short article.
PARSER_MAX_DEPTH = 2040


@dataclass
class Piece:
    """A block with the elements it sits in, outermost first (its owner last)."""

    block: Block
    path: tuple[etree._Element, ...]


# Tags a flattened page keeps: its paragraphs, line breaks, list items, headings and links,
# the head's metadata, and the elements whose content never shows (without its <script>
# tag, a script's code would read as text).
_FLAT_PAGE_TAGS = SKIP_TAGS | word_set("html head title meta body p br li h1 h2 h3 h4 h5 h6 a time")
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
    return "<br>" if name in BLOCK_TAGS else ""


def walk_blocks(root: etree._Element, markdown_breaks: bool = False) -> list[Piece]:
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
    if walker.deepest >= PARSER_MAX_DEPTH:
        raise DocumentError(
            "too_deep", f"elements nest deeper than the HTML parser keeps ({PARSER_MAX_DEPTH})"
        )
    return walker.pieces


def parse_html(markup: str) -> etree._Element | None:
    """Parse possibly broken HTML; None when nothing parseable is left."""
    markup = markup.replace("\x00", "")
    if not markup.strip():
        return None
    # Hand libxml2 UTF-8 bytes with the encoding fixed: given a str, it still obeys a
    # <meta charset=gb2312> inside and garbles the already-decoded text.
    # Plain lxml elements, not lxml.html's: its per-element class lookup costs a tenth of
    # the walk and nothing here needs its methods.
    root = _parse(markup)
    if root is not None and _title_swallowed_page(root):
        reparsed = _parse(close_runaway_title(markup))
        root = root if reparsed is None else reparsed
    if root is not None:
        _move_body_out_of_head(root)
        _open_swallowing_noscript(root)
    return root


def _parse(markup: str) -> etree._Element | None:
    parser = etree.HTMLParser(
        recover=True, remove_comments=True, remove_pis=True, huge_tree=True, encoding="utf-8"
    )
    try:
        return etree.fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


# A title longer than this is no title: a <title> left unclosed (a page saved with bytes
# missing after its title, "<title>… cases</titavaScript" src=…") holds the rest of the
# page as its text, and libxml2 never opens the body.
_LONGEST_TITLE_CHARS = 2000
_TITLE_OPEN = re.compile(r"<title\b[^<>]*>", re.I)
_TITLE_END = re.compile(r"[\n<]|$")


def _title_swallowed_page(root: etree._Element) -> bool:
    title = root.find("head/title")
    return title is not None and len(title.text or "") > _LONGEST_TITLE_CHARS


def close_runaway_title(markup: str) -> str:
    """The markup with the first <title> closed where its first line ends, or before the
    first tag inside it, when the page never closes it.

    >>> close_runaway_title("<title>Gaza crossings - Ne(OAS\\n<script>x</script><p>Text")
    '<title>Gaza crossings - Ne(OAS</title>\\n<script>x</script><p>Text'
    """
    opening = _TITLE_OPEN.search(markup)
    if opening is None or re.search(r"</title", markup, re.I):
        return markup
    end = _TITLE_END.search(markup, opening.end()).start()
    return f"{markup[:end]}</title>{markup[end:]}"


# What a <head> may hold. libxml2 keeps any other tag met in the head (an unknown <mbox>,
# a stray <div>) inside the head, and the rest of the page with it: the whole body would
# be skipped with the head.
_HEAD_TAGS = word_set("title meta link base script style noscript template object")


def _move_body_out_of_head(root: etree._Element) -> None:
    """Move whatever follows the first element a head may not hold into the body."""
    head = root.find("head")
    if head is None:
        return
    children = list(head)
    stray = next(
        (
            index
            for index, child in enumerate(children)
            if isinstance(child.tag, str) and child.tag not in _HEAD_TAGS
        ),
        None,
    )
    if stray is None:
        return
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    for offset, child in enumerate(children[stray:]):
        body.insert(offset, child)


# A <noscript> holding more text than this may be one left open that swallowed the page
# (a fallback message or tracking pixel is a line or two).
_FALLBACK_TEXT_CHARS = 2000


def _open_swallowing_noscript(root: etree._Element) -> None:
    """Unwrap a <noscript> in the body holding most of the page's text: libxml2 puts all
    that follows an unclosed <noscript> inside it, and its subtree is never read."""
    for noscript in root.iter("noscript"):
        inside = len("".join(noscript.itertext()).strip())
        if inside < _FALLBACK_TEXT_CHARS:
            continue
        body = root.find("body")
        page = len("".join(body.itertext()).strip()) if body is not None else 0
        if 2 * inside > page:
            _unwrap(noscript)
        return  # nested or later ones are inside the unwrapped text or small


def _unwrap(element: etree._Element) -> None:
    """Put the element's children and text in its place."""
    parent = element.getparent()
    if parent is None:
        return
    position = parent.index(element)
    before = element.getprevious()
    lead = element.text or ""
    if lead:
        if before is not None:
            before.tail = (before.tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(position + offset, child)
    tail = element.tail or ""
    if tail:
        last = children[-1] if children else element.getprevious()
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


# The stack's tag for an <a> without href: an anchor to jump to, not a link.
_NAMED_ANCHOR = "a name"


class _BlockWalker:
    """Turns start/end events of an lxml tree walk into blocks with their element paths.

    Called once per element of the page: the hot path of the stage, so the common cases
    (no attributes, no text, no pending text) cost one test each.
    """

    def __init__(self, markdown_breaks: bool = False) -> None:
        self.markdown_breaks = markdown_breaks
        self.pieces: list[Piece] = []
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
        if tag in SKIP_TAGS:
            return False
        if tag in BLOCK_TAGS and self.texts:
            self.flush()
        hidden, label = (
            _hidden_and_label(element, tag, self.known_attributes)
            if element.attrib
            else (False, "")
        )
        if tag == "a":
            if element.get("href") is None:
                tag = _NAMED_ANCHOR  # <a name="top">, often left open around the page
            else:
                self.link_depth += 1
        stack = self.stack
        stack.append((element, tag, hidden, label))
        if hidden:
            self.hidden_depth += 1
        if len(stack) > self.deepest:
            self.deepest = len(stack)
        text = element.text
        if text:
            self.add(text)
        return True

    def end(self, element: etree._Element) -> None:
        tag, hidden = self.stack[-1][1:3]
        if tag in BLOCK_TAGS and self.texts:
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
        if self.markdown_breaks and PARAGRAPH_BREAK.search(text):
            first, *rest = PARAGRAPH_BREAK.split(text)
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
            link_chars += sum(len(match.group(1)) for match in MARKDOWN_LINK.finditer(text))
            text = MARKDOWN_LINK.sub(r"\1", text)
        self.texts, self.link_chars = [], 0
        if not text:
            return
        stack = self.stack
        owner = len(stack)
        while owner > 0 and stack[owner - 1][1] not in BLOCK_TAGS:
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
        self.pieces.append(Piece(block, tuple([entry[0] for entry in stack[:owner]])))


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
        or (hidden_attribute and not (element_id and _STREAMED_SEGMENT.match(element_id)))
        or (classes and _HIDING_CLASSES.intersection(classes.lower().split()))
    )
    return hidden, _label_of(tag, element_id, classes)


def label_of_element(element: etree._Element, tag: str) -> str:
    """A short css-like label (tag#id.class) used to recognise page regions."""
    return _label_of(tag, element.get("id"), element.get("class"))


def _label_of(tag: str, element_id: str | None, classes: str | None) -> str:
    element_id = (element_id or "").strip()
    class_names = (classes or "").split()
    if not element_id and not class_names:
        return ""
    label = tag + (f"#{element_id}" if element_id else "")
    return label + "".join(f".{name}" for name in class_names[:3])
