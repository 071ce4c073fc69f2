"""Views of a processed document: the article records of articles.jsonl and the marked
document of documents.jsonl. Both are built from the same blocks, so what the
JSONL says was removed is exactly what the report shows.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any

from cleaner.document import ArticleInfo, Document, EncodingGuess, Layout
from cleaner.stages.extract.authors import normal_author


@dataclass(slots=True)
class ArticleRecord:
    """One line of articles.jsonl. The field order is the order keys are written (the CLI
    contract); dedup fills the last five, which stay None when no near-duplicate is known.
    """

    id: str
    source: str
    part: int
    parts: int
    title: str | None
    kicker: str | None
    subtitle: str | None
    text: str
    published: str | None
    author: str | None
    # The publisher as it names itself (og:site_name, the site segment of <title>), kept
    # apart from the author, who is a person or desk.
    site_name: str | None
    url: str | None
    lang: str | None
    encoding: str | None
    encoding_confidence: float | None
    encoding_source: str | None
    removed: dict[str, int]
    cluster: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    contains: str | None = None
    contained_in: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The record as written: every key, in contract order."""
        return {key: getattr(self, key) for key in ARTICLE_KEYS}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleRecord:
        """A record read back from articles.jsonl (on --resume)."""
        return cls(**{key: data.get(key) for key in ARTICLE_KEYS})


ARTICLE_KEYS = tuple(field.name for field in fields(ArticleRecord))


def _author(value: str | None) -> str | None:
    """Every stage's byline printed one way: names joined by ", ", no "By"."""
    return (normal_author(value) or None) if value else value  # a placeholder credits no one


def record_id(source: str, part: int, content: bytes = b"") -> str:
    """The id of article `part` of `source` whose input bytes are `content`.

    Source and part keep ids unique within a run (two copies of one page in two files
    get two ids); the content makes a file that now holds another story a new record
    for an index kept across runs, while the same bytes always give the same id.
    The bytes are the input's, not the cleaned text's, so a new cleaner version does
    not turn yesterday's records into strangers.

    >>> record_id("news/a.html", 0, b"<p>story</p>")
    'cb3e0c485bb2a2da'
    >>> record_id("news/a.html", 0, b"<p>another story</p>") != record_id(
    ...     "news/a.html", 0, b"<p>story</p>")
    True
    """
    digest = hashlib.sha256(f"{source}\x00{part}\x00".encode("utf-8", "backslashreplace"))
    digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()[:16]


def article_records(document: Document) -> list[ArticleRecord]:
    """One record per article of the document, dedup fields still empty."""
    parts = document.article_count
    encoding = document.encoding
    content = document.raw or document.text.encode("utf-8", "surrogatepass")
    return [
        _article_record(document, part, parts, encoding, record_id(document.source, part, content))
        for part in range(parts)
    ]


def _article_record(
    document: Document, part: int, parts: int, encoding: EncodingGuess | None, identifier: str
) -> ArticleRecord:
    info = document.articles[part] if document.articles else ArticleInfo()
    removed = Counter()
    for block in document.blocks:
        if block.article == part and block.removal is not None:
            removed[block.removal.rule] += len(block.text)
    # A single-article page's title and author come from the page when the split stage
    # named none; an article of a multi-article page never inherits the page's.
    return ArticleRecord(
        id=identifier,
        source=document.source,
        part=part,
        parts=parts,
        title=info.title or (document.metadata.get("title") if parts == 1 else None),
        kicker=info.kicker,
        subtitle=info.subtitle,
        text="\n\n".join(block.text for block in document.kept_blocks(part)),
        published=info.published or document.metadata.get("published"),
        author=_author(info.author or (document.metadata.get("author") if parts == 1 else None)),
        site_name=document.metadata.get("site_name"),
        url=document.url or document.metadata.get("url"),
        lang=document.lang,
        encoding=encoding.encoding if encoding else None,
        encoding_confidence=round(encoding.confidence, 3) if encoding else None,
        encoding_source=encoding.source if encoding else None,
        removed=dict(sorted(removed.items())),
    )


def document_view(document: Document, records: list[ArticleRecord]) -> dict[str, Any]:
    """The marked document: every block with the rule that removed it, if any."""
    return {
        **view_head(document),
        "articles": view_articles(records),
        "blocks": view_blocks(document),
    }


def view_head(document: Document) -> dict[str, Any]:
    """The fields of the marked document that come before its articles and blocks."""
    encoding = document.encoding
    return {
        "source": document.source,
        "media_type": document.media_type,
        "lang": document.lang,
        "encoding": encoding.encoding if encoding else None,
        "encoding_confidence": round(encoding.confidence, 3) if encoding else None,
        "encoding_source": encoding.source if encoding else None,
        "metadata": dict(sorted(document.metadata.items())),
    }


_VIEW_ARTICLE_KEYS = (
    "id",
    "part",
    "title",
    "author",
    "published",
    "cluster",
    "duplicate_of",
    "similarity",
    "contains",
    "contained_in",
)


def view_articles(records: list[ArticleRecord]) -> list[dict[str, Any]]:
    return [{key: getattr(record, key) for key in _VIEW_ARTICLE_KEYS} for record in records]


def view_blocks(document: Document) -> list[dict[str, Any]]:
    # A PDF page's blocks also say what they are and where they sat (the review shows the
    # reading order the geometry found); web pages keep their compact view.
    placed = document.layout is Layout.PDF_PAGE
    return [
        {
            "text": block.text,
            "kind": block.kind,
            "article": block.article,
            "rule": block.removal.rule if block.removal else None,
            "stage": block.removal.stage if block.removal else None,
            "detail": block.removal.detail if block.removal else None,
            **({"role": block.role, "where": block.container} if placed else {}),
        }
        for block in document.blocks
    ]
