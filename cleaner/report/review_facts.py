"""Facts a document review states in words, the same in the terminal and in the HTML page.

How the encoding was decided, what shape the document has, who wrote each article and
which other articles of the run carry the same story: each is worded once here, so the
two renderings cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.report.review_plan import DocumentPlan, article_count
from cleaner.report.safe_text import one_line

# How each `encoding_source` value (see `cleaner.document.EncodingGuess`) reads in a report.
ENCODING_SOURCES: Mapping[str, str] = {
    "bom": "byte-order mark",
    "declared": "charset declared by the page or HTTP header",
    "utf8": "bytes are valid UTF-8",
    "detector": "guessed by the encoding detector",
    "fallback": "nothing fit: decoded with replacement characters",
}

# Sources of a near-duplicate group listed under an article before "+N more": enough to
# answer "which sources carried this story" without burying the article text.
GROUP_SOURCES_SHOWN = 5


@dataclass(frozen=True)
class RelatedArticles:
    """Other articles of the run, for the near-duplicate line under each article header."""

    # Near-duplicate group -> the sources of its articles.
    cluster_sources: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # Article id -> source, for the ids that duplicate and containment links point at.
    article_sources: Mapping[str, str] = field(default_factory=dict)
    # False for `cleaner diff`: one file cleaned alone was never compared with other
    # articles, and "none" would claim it had been.
    checked: bool = True


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def shape_line(plan: DocumentPlan) -> str:
    """ "html · 1 article · 820 blocks: 31 kept, 789 removed"."""
    blocks = plan.blocks
    removed = sum(total.blocks for total in plan.removed_by_rule)
    return (
        f"{one_line(plan.view.get('media_type') or 'unknown')} · "
        f"{plural(article_count(plan.view, blocks), 'article')} · "
        f"{plural(len(blocks), 'block')}: {len(blocks) - removed:,} kept, {removed:,} removed"
    )


def encoding_facts(view: Mapping[str, Any]) -> tuple[str, str, bool]:
    """(encoding, how it was decided, whether a reviewer should worry)."""
    encoding = view.get("encoding")
    if not encoding:
        return "", "not recorded (input was already text)", False
    source = view.get("encoding_source")
    how = ENCODING_SOURCES.get(str(source), f"decided by {one_line(source)!r}")
    confidence = view.get("encoding_confidence")
    if isinstance(confidence, int | float):
        how += f" (confidence {confidence:.2f})"
    return one_line(encoding), how, source == "fallback"


def article_facts(article: Mapping[str, Any]) -> list[str]:
    return [
        f"{label} {one_line(article[key], 80)}"
        for key, label in (("id", "id"), ("published", "published"), ("author", "by"))
        if article.get(key)
    ]


# Links from an article to an earlier one, as articles.jsonl names them, and how they read.
# The record's one `similarity` belongs to whichever link it has: Jaccard for a duplicate,
# the share of the shorter text found in the longer one for containment.
_LINKS = (
    ("duplicate_of", "duplicate of", "similarity"),
    ("contained_in", "contained in", "containment"),
    ("contains", "contains", "containment"),
)


def near_duplicate_facts(
    article: Mapping[str, Any], related: RelatedArticles
) -> tuple[str, list[tuple[str, str]]]:
    """("none" / "not checked", []) or ("", [(text, style), ...]) for the group and links."""
    cluster = article.get("cluster")
    links = [(key, label, measure) for key, label, measure in _LINKS if article.get(key)]
    if cluster is None and not links:
        return ("none" if related.checked else "not checked"), []
    parts: list[tuple[str, str]] = []
    if cluster is not None:
        group = f"group {one_line(cluster)}"
        sources = related.cluster_sources.get(str(cluster), ())
        if sources:
            group += f" ({plural(len(sources), 'article')}: {list_sources(sources)})"
        parts.append((group, "bold yellow"))
    similarity = article.get("similarity")
    for key, label, measure in links:
        other = str(article[key])
        link = f"{label} {one_line(other)}"
        if other in related.article_sources:
            link += f" [{one_line(related.article_sources[other], 80)}]"
        if isinstance(similarity, int | float):
            link += f" ({measure} {similarity:.2f})"
        parts.append((link, "bold"))
    return "", parts


def list_sources(sources: Sequence[str]) -> str:
    shown = ", ".join(one_line(source, 80) for source in sources[:GROUP_SOURCES_SHOWN])
    hidden = len(sources) - GROUP_SOURCES_SHOWN
    return shown + (f", +{hidden} more" if hidden > 0 else "")
