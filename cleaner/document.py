"""The one data type that flows through the pipeline.

A `Document` is one input file (or one record of a WARC/JSONL input). Stages never delete
text: they mark a `Block` as removed with a `Removal` naming the rule that removed it. The
clean text, the JSONL records and the review report are all views of the same marked
document, so every removed character can be traced to a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The markup a block came from: what the page's author wrapped it in."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    CAPTION = "caption"
    LIST_ITEM = "list_item"
    TABLE = "table"
    METADATA = "metadata"


PARAGRAPH, HEADING, CAPTION, LIST_ITEM, TABLE, METADATA = Kind


class Role(StrEnum):
    """What a block is in its article, set once by the stage that knows and read by the
    stages after it. A stage never reads another stage's rule ids to learn this: rule ids
    explain removals to people."""

    BODY = "body"
    TITLE = "title"  # the article's headline
    KICKER = "kicker"  # the line over a headline (引题)
    SUBTITLE = "subtitle"  # the line under it ("——…")
    BYLINE = "byline"
    DATELINE = "dateline"
    SUBHEADING = "subheading"  # a heading inside an article
    CAPTION = "caption"
    FURNITURE = "furniture"  # site path, page numbers, running heads: about the page
    METADATA = "metadata"  # front matter, source and editor lines: about the article


class Layout(StrEnum):
    """How the document's text was laid out before it reached the pipeline."""

    WEB = "web"  # an HTML page, read through its DOM
    PROSE = "prose"  # plain text or Markdown, one block per paragraph
    COLUMNS = "columns"  # hard-wrapped column text (PDF/OCR), rebuilt into paragraphs
    PDF_PAGE = "pdf-page"  # a PDF page read with positions and font sizes


@dataclass(frozen=True)
class Removal:
    """Why a block is not part of the clean text.

    `rule` is a stable id such as ``boilerplate.breadcrumb``; `stage` is the stage that
    applied it; `detail` is the evidence a reviewer reads ("19 separators, 84% flagged").
    """

    rule: str
    stage: str
    detail: str = ""


@dataclass
class Block:
    """A paragraph-sized piece of the document's text, in reading order."""

    text: str
    kind: Kind = Kind.PARAGRAPH
    removal: Removal | None = None
    role: Role = Role.BODY
    article: int = 0
    # Where the block came from in an HTML page: its tag ("p", "li", "h2") and the
    # class/id trail of its ancestors ("div#content > div.article"); on a PDF page, its
    # column ("column 2"). Empty for plain text.
    tag: str = ""
    container: str = ""
    # Characters of the block's text that sit inside links (HTML only).
    link_chars: int = 0
    # Set by the HTML reader when CSS on the element or an ancestor hides it.
    hidden: bool = False
    # Plain text and Markdown: a blank line separates it from the text before. In a digest
    # the blank lines often fall between articles only, so the split stage weighs it.
    after_blank: bool = False
    # Reflowed interleaved columns: the stitcher put an article (a chain of runs) together
    # and it starts at this block. The split stage weighs it as a headline's evidence.
    stitched_start: bool = False

    @property
    def kept(self) -> bool:
        return self.removal is None

    def remove(self, rule: str, stage: str, detail: str = "") -> None:
        """Mark the block removed unless an earlier rule already did (first rule wins)."""
        if self.removal is None:
            self.removal = Removal(rule, stage, detail)

    def with_removal(self, rule: str, stage: str, detail: str = "") -> Block:
        """`remove` for a block being built: returns the block itself."""
        self.remove(rule, stage, detail)
        return self

    def take_as(self, role: Role, rule: str, stage: str, detail: str = "") -> None:
        """Take the block out of the body as metadata of its article (a headline, a byline):
        its role says what it is; the removal explains it to a reviewer. Replaces an earlier
        removal, since saying what the block is tells more than "outside the main region"."""
        self.role = role
        self.removal = Removal(rule, stage, detail)


@dataclass(frozen=True)
class EncodingGuess:
    """How the bytes of a document were turned into text.

    `source` is one of ``bom``, ``declared``, ``utf8``, ``detector``, ``fallback``
    (``fallback`` = decoded with replacement characters; confidence is low).
    """

    encoding: str
    confidence: float
    source: str


@dataclass
class ArticleInfo:
    """Metadata of one article inside a document (a document may hold several)."""

    title: str | None = None
    # The line over the headline (引题) and the line under it (副题, "——…"), when printed.
    kicker: str | None = None
    subtitle: str | None = None
    published: str | None = None
    author: str | None = None


@dataclass
class Document:
    """One input and everything the stages learned about it."""

    source: str
    raw: bytes = b""
    # "html", "markdown" or "text": decided from the file name, then from the content.
    media_type: str = "text"
    layout: Layout = Layout.PROSE
    url: str | None = None
    # The page (0-based) of a PDF input; `raw` then holds the whole PDF.
    page: int | None = None
    # A charset declared outside the bytes (HTTP Content-Type of a WARC record).
    declared_charset: str | None = None
    # When the page was fetched, if the input says (a WARC record's WARC-Date): the
    # reference for judging its dates, so output never depends on the day of the run.
    fetched: str | None = None
    text: str = ""
    encoding: EncodingGuess | None = None
    lang: str | None = None
    blocks: list[Block] = field(default_factory=list)
    # Document-level metadata found by the stages: title, published, author, url, ...
    metadata: dict[str, str] = field(default_factory=dict)
    # One entry per article; empty means a single article described by `metadata`.
    articles: list[ArticleInfo] = field(default_factory=list)
    # Seconds spent per stage, for the run summary.
    timings: dict[str, float] = field(default_factory=dict)

    def kept_blocks(self, article: int | None = None) -> list[Block]:
        return [
            block
            for block in self.blocks
            if block.kept and (article is None or block.article == article)
        ]

    @property
    def article_count(self) -> int:
        return max(1, len(self.articles))


class DocumentError(Exception):
    """A stage could not process one document; it becomes a record in errors.jsonl.

    `kind` is a short stable error type (``not_text``, ``empty``, ``too_large`` ...).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
