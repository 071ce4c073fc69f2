"""Extract stage: decoded text -> blocks in reading order, plus front-matter metadata.

HTML is walked once with lxml into paragraph-sized blocks that remember their tag, their
container trail, their link characters and whether CSS hides them. Markdown and plain text
become one block per blank-line separated paragraph. Nothing is judged here except page
regions that HTML itself names as chrome (nav, footer, aside, form ...): those blocks are
marked removed with a rule id so later stages and the report still see them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

from cleaner.document import (
    CAPTION,
    HEADING,
    LIST_ITEM,
    METADATA,
    PARAGRAPH,
    TABLE,
    Block,
    Document,
)

NAME = "extract"


@dataclass(frozen=True)
class ExtractConfig:
    # Tags whose whole subtree is page chrome by HTML's own semantics.
    chrome_tags: tuple[str, ...] = ("nav", "footer", "aside", "header", "form", "menu")


_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "head", "object", "embed"}
)
_BLOCK_TAGS = frozenset(
    "p div section article main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table "
    "tr td th thead tbody tfoot figure figcaption header footer nav aside form menu "
    "address center hr br body html fieldset details summary caption".split()
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
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)", re.I
)
_WHITESPACE = re.compile(r"\s+")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_HTML_TAG = re.compile(r"<(?:p|div|br|span|a|table|li|h[1-6]|body|html|img)\b[^>]*>", re.I)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


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
    if media_type != "html" and len(_HTML_TAG.findall(text[:200_000])) >= 3:
        media_type = "html"
    document.media_type = media_type
    if media_type == "html":
        document.blocks.extend(html_blocks(text, config.extract.chrome_tags, document.metadata))
    else:
        document.blocks.extend(text_blocks(text, markdown=media_type == "markdown"))
    return document


def _parse_front_matter(body: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for line in body.splitlines():
        match = _FRONT_MATTER_LINE.match(line)
        if match and match.group(2):
            metadata[match.group(1).lower()] = match.group(2).strip().strip("\"'")
    if "date" in metadata:
        metadata.setdefault("published", metadata["date"])
    return metadata


def normalize_space(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


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


_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")


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


# ---------------------------------------------------------------- HTML


def html_blocks(
    markup: str, chrome_tags: tuple[str, ...], metadata: dict[str, str] | None = None
) -> list[Block]:
    """Walk an HTML page once and return its visible text as blocks."""
    root = parse_html(markup)
    if root is None:
        return []
    if metadata is not None:
        metadata.update({k: v for k, v in html_metadata(root).items() if k not in metadata})
    walker = _BlockWalker(frozenset(chrome_tags))
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            walker.start(element)
        else:
            walker.end(element)
    walker.flush()
    return walker.blocks


def parse_html(markup: str) -> etree._Element | None:
    """Parse possibly broken HTML; None when nothing parseable is left."""
    markup = markup.replace("\x00", "")
    if not markup.strip():
        return None
    parser = html.HTMLParser(recover=True, remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        return html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def html_metadata(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = normalize_space(meta.get("content") or "")
        if content and key in _META_KEYS and _META_KEYS[key] not in found:
            found[_META_KEYS[key]] = content
    title = root.find(".//title")
    if "title" not in found and title is not None and title.text_content().strip():
        found["title"] = normalize_space(title.text_content())
    return found


_META_KEYS = {
    "og:title": "title",
    "twitter:title": "title",
    "article:published_time": "published",
    "pubdate": "published",
    "publishdate": "published",
    "author": "author",
    "article:author": "author",
    "og:url": "url",
}


class _BlockWalker:
    """Turns start/end events of an lxml tree walk into blocks."""

    def __init__(self, chrome_tags: frozenset[str]) -> None:
        self.chrome_tags = chrome_tags
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.link_chars = 0
        self.stack: list[tuple[str, str, bool]] = []  # (tag, label, hidden)
        self.skip_depth = 0
        self.link_depth = 0

    def start(self, element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if self.skip_depth or tag in _SKIP_TAGS:
            self.skip_depth += 1
            return
        if tag in _BLOCK_TAGS:
            self.flush()
        hidden = bool(
            _HIDDEN_STYLE.search(element.get("style") or "") or element.get("hidden") is not None
        )
        self.stack.append((tag, _label(element, tag), hidden))
        if tag == "a":
            self.link_depth += 1
        self._add(element.text)

    def end(self, element: etree._Element) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            if self.skip_depth == 0:
                self._add(element.tail)
            return
        tag, _label_text, _hidden = self.stack[-1]
        if tag in _BLOCK_TAGS:
            self.flush()
        if tag == "a":
            self.link_depth -= 1
        self.stack.pop()
        self._add(element.tail)

    def _add(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)
            if self.link_depth:
                self.link_chars += len(text.strip())

    def flush(self) -> None:
        text = normalize_space("".join(self.pieces))
        link_chars = self.link_chars
        self.pieces, self.link_chars = [], 0
        if not text:
            return
        tags = [tag for tag, _, _ in self.stack]
        innermost = next((tag for tag in reversed(tags) if tag in _BLOCK_TAGS), "")
        block = Block(
            text,
            kind=_KIND_BY_TAG.get(innermost, PARAGRAPH),
            tag=innermost,
            container=" > ".join(label for _, label, _ in self.stack[-6:] if label),
            link_chars=min(link_chars, len(text)),
            hidden=any(hidden for _, _, hidden in self.stack),
        )
        chrome = next((tag for tag in tags if tag in self.chrome_tags), None)
        if chrome:
            block.remove(f"extract.{chrome}-element", NAME, f"inside <{chrome}>")
        self.blocks.append(block)


def _label(element: etree._Element, tag: str) -> str:
    """A short css-like label (tag#id.class) used to recognise page regions."""
    element_id = (element.get("id") or "").strip()
    classes = (element.get("class") or "").split()
    if not element_id and not classes:
        return ""
    label = tag + (f"#{element_id}" if element_id else "")
    return label + "".join(f".{name}" for name in classes[:3])
