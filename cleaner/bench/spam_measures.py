"""The spam benchmark's three measurements, for any judge, split into tuning and test.

1. The labelled set (`fixtures/spam/labelled/`): each block is laid out as a real document
   would show it (an HTML page for markup, a text file otherwise, inside its context
   article when it names one), run through the stages before the spam stage and the
   judge. A spam block counts as removed when at most a fifth of its text is still kept; a
   look-alike paragraph counts as kept when at least four fifths of it is.
2. The injection set (`cleaner.bench.spam_injection`): spam removed, and the article's own
   paragraphs kept by the judge.
3. Real pages: every extraction bench page, as its HTML and as its truth text in a text
   file: the share of ground-truth paragraphs that the judge removes.

Every count is a statement about text found in the kept blocks (`spam_judge.kept_share`),
so a judge that merges, splits or re-marks blocks is scored the same way.
"""

from __future__ import annotations

import html
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.bench.spam_injection import BenchPage, InjectedDocument
from cleaner.bench.spam_judge import (
    Judge,
    Judged,
    compact,
    judge_document,
    kept_share,
    pieces_of,
)
from cleaner.config import Config
from cleaner.document import Block, Document

# A spam block is removed when no more than this share of its text is still kept (a list
# whose last entry survives is gone for a reader); a real paragraph is kept when at least
# `1 - GONE_SHARE` of it is.
GONE_SHARE = 0.2
# Ground-truth paragraphs shorter than this (white space aside) are not measured: "Why?"
# or "2014年7月12日" is found in any text and says nothing.
MIN_MEASURED_CHARS = 12
PARTS = ("tuning", "test")


@dataclass
class SpamCount:
    total: int = 0
    removed: int = 0  # gone after the judge, whoever removed them
    by_front: int = 0  # of which already gone before the judge saw them

    @property
    def share(self) -> float:
        return self.removed / self.total if self.total else 1.0


@dataclass
class KeepCount:
    total: int = 0
    judged: int = 0  # still kept when the judge saw them
    kept: int = 0  # of those, kept by the judge

    @property
    def share(self) -> float:
        """The judge's share: real text it let through, of the real text it saw."""
        return self.kept / self.judged if self.judged else 1.0


@dataclass
class Miss:
    row_id: str
    group: str
    family: str
    text: str
    why: str  # "kept" for a spam miss, the judge's rules for a real paragraph removed


@dataclass
class LabelledScores:
    spam: dict[tuple[str, str], SpamCount] = field(default_factory=dict)  # (part, family)
    keep: dict[tuple[str, str], KeepCount] = field(default_factory=dict)
    misses: dict[str, list[Miss]] = field(default_factory=lambda: defaultdict(list))
    group_totals: Counter[str] = field(default_factory=Counter)  # spam rows per group
    failures: list[str] = field(default_factory=list)
    judge_seconds: float = 0.0


# ---------------------------------------------------------------- 1. the labelled set


def read_rows(folder: Path) -> tuple[list[dict], dict[str, dict]]:
    """The labelled blocks and the context articles (by id) of a labelled folder."""
    with (folder / "blocks.jsonl").open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    contexts: dict[str, dict] = {}
    if (folder / "contexts.jsonl").exists():
        with (folder / "contexts.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    context = json.loads(line)
                    contexts[context["id"]] = context
    return rows, contexts


def labelled_document(row: dict, contexts: dict[str, dict]) -> Document:
    """The row as a reader would meet it: its markup in an HTML page, or its text in a
    text file, between the paragraphs of its context article if it names one."""
    context = contexts.get(row.get("context", "").removeprefix("ctx:"))
    paragraphs = list(context["paragraphs"]) if context else []
    title = context["title"] if context else ""
    at = random.Random(row["id"]).randint(1, len(paragraphs)) if paragraphs else 0
    if row["format"] == "html":
        parts = [f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs]
        parts.insert(at, row["html"])
        heading = f"<h1>{html.escape(title)}</h1>\n" if title else ""
        markup = (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title></head>\n<body><article>\n{heading}" + "\n".join(parts)
        )
        raw, media_type = markup + "\n</article></body></html>\n", "html"
    else:
        paragraphs.insert(at, row["text"])
        raw = "\n\n".join(([title] if title else []) + paragraphs) + "\n"
        media_type = "markdown" if "](" in row["text"] else "text"
    return Document(source=row["id"], raw=raw.encode("utf-8"), media_type=media_type)


def score_labelled(rows: list[dict], contexts: dict[str, dict], config: Config, judge: Judge):
    scores = LabelledScores()
    for row in rows:
        key = (row["part"], row["family"])
        result = judge_document(labelled_document(row, contexts), config, judge)
        if not isinstance(result, Judged):
            scores.failures.append(f"{row['id']}: {result.error} {result.message}")
            continue
        scores.judge_seconds += result.judge_seconds
        pieces = pieces_of(row["text"])
        before, after = kept_share(pieces, result.before), kept_share(pieces, result.after)
        if row["label"] == "spam":
            _count_spam(scores, key, row, before, after)
        else:
            _count_keep(scores, key, row, before, after, result)
    return scores


def _count_spam(scores: LabelledScores, key, row: dict, before: float, after: float) -> None:
    count = scores.spam.setdefault(key, SpamCount())
    count.total += 1
    scores.group_totals[row["group"]] += 1
    if after <= GONE_SHARE:
        count.removed += 1
        count.by_front += before <= GONE_SHARE
    else:
        scores.misses[row["part"]].append(_miss(row, "kept"))


def _count_keep(scores, key, row: dict, before: float, after: float, result: Judged) -> None:
    count = scores.keep.setdefault(key, KeepCount())
    count.total += 1
    if before < 1 - GONE_SHARE:
        return
    count.judged += 1
    if after >= 1 - GONE_SHARE:
        count.kept += 1
    else:
        rules = sorted({block.removal.rule for block in result.removed_by_judge if block.removal})
        scores.misses[row["part"]].append(_miss(row, ", ".join(rules) or "removed"))


def _miss(row: dict, why: str) -> Miss:
    return Miss(row["id"], row["group"], row["family"], row["text"], why)


def totals(counts: dict[tuple[str, str], SpamCount | KeepCount], part: str):
    """All families of one part added up."""
    kind = type(next(iter(counts.values()))) if counts else SpamCount
    total = kind()
    for (count_part, _), count in counts.items():
        if count_part == part:
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(count, name))
    return total


# ---------------------------------------------------------------- 2. the injection set


@dataclass
class InjectionScores:
    spam: dict[tuple[str, str], SpamCount] = field(default_factory=dict)  # (part, family)
    by_layout: dict[tuple[str, str], SpamCount] = field(default_factory=dict)  # (part, html|text)
    by_way: dict[tuple[str, str], SpamCount] = field(default_factory=dict)  # (part, way)
    paragraphs: dict[tuple[str, str], KeepCount] = field(default_factory=dict)  # (part, layout)
    documents: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lost: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def score_injection(documents: Iterable[InjectedDocument], config: Config, judge: Judge):
    scores = InjectionScores()
    for injected in documents:
        document = Document(injected.doc_id, raw=injected.raw, media_type=injected.media_type)
        result = judge_document(document, config, judge)
        if not isinstance(result, Judged):
            scores.failures.append(f"{injected.doc_id}: {result.error} {result.message}")
            continue
        scores.documents[injected.part] += 1
        part, layout = injected.part, injected.media_type
        for injection in injected.injections:
            pieces = pieces_of(injection.text)
            before, after = kept_share(pieces, result.before), kept_share(pieces, result.after)
            for table, key in (
                (scores.spam, (part, injection.family)),
                (scores.by_layout, (part, layout)),
                (scores.by_way, (part, injection.way)),
            ):
                count = table.setdefault(key, SpamCount())
                count.total += 1
                count.removed += after <= GONE_SHARE
                count.by_front += after <= GONE_SHARE and before <= GONE_SHARE
        _count_paragraphs(scores, injected, result)
    return scores


def _count_paragraphs(scores: InjectionScores, injected: InjectedDocument, result: Judged):
    count = scores.paragraphs.setdefault((injected.part, injected.media_type), KeepCount())
    for paragraph in injected.paragraphs:
        text = compact(paragraph)
        if len(text) < MIN_MEASURED_CHARS:
            continue
        count.total += 1
        if text in result.before:
            count.judged += 1
            if text in result.after:
                count.kept += 1
            elif injected.part == "tuning":
                rules = _rules_over(result.removed_by_judge, text)
                scores.lost["tuning"].append(f"{injected.doc_id} {rules}: {paragraph[:80]!r}")


# ---------------------------------------------------------------- 3. real pages


@dataclass
class PageScores:
    # (part, "html" | "text") -> ground-truth paragraphs: measured, present before the
    # judge (`judged`), still present after it (`kept`).
    paragraphs: dict[tuple[str, str], KeepCount] = field(default_factory=dict)
    by_set: dict[tuple[str, str], KeepCount] = field(default_factory=dict)  # (set, layout)
    pages: Counter[tuple[str, str]] = field(default_factory=Counter)
    blocks_removed: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    lost: list[str] = field(default_factory=list)  # tuning part only
    failures: list[str] = field(default_factory=list)


def score_pages(pages: Iterable[BenchPage], config: Config, judge: Judge) -> PageScores:
    """Each page as its HTML and as a text file of its truth; the judge's losses."""
    scores = PageScores()
    for page in pages:
        text_file = "\n\n".join(page.paragraphs).encode("utf-8")
        for layout, raw in (("html", page.raw), ("text", text_file)):
            if not raw.strip():
                continue  # a page whose truth is empty has no text file to judge
            media_type = "html" if layout == "html" else "text"
            document = Document(f"{page.set_name}/{page.page_id}", raw=raw, media_type=media_type)
            result = judge_document(document, config, judge)
            if not isinstance(result, Judged):
                scores.failures.append(f"{document.source} ({layout}): {result.error}")
                continue
            _score_page(scores, page, layout, result)
    return scores


def _score_page(scores: PageScores, page: BenchPage, layout: str, result: Judged) -> None:
    key = (page.part, layout)
    scores.pages[key] += 1
    scores.blocks_removed[key] += len(result.removed_by_judge)
    scores.seconds[page.set_name, layout].append(result.judge_seconds)
    count = scores.paragraphs.setdefault(key, KeepCount())
    per_set = scores.by_set.setdefault((page.set_name, layout), KeepCount())
    for paragraph in page.paragraphs:
        text = compact(paragraph)
        if len(text) < MIN_MEASURED_CHARS:
            continue
        for tally in (count, per_set):
            tally.total += 1
        if text not in result.before:
            continue
        for tally in (count, per_set):
            tally.judged += 1
        if text in result.after:
            count.kept += 1
            per_set.kept += 1
        elif page.part == "tuning":
            rules = _rules_over(result.removed_by_judge, text)
            scores.lost.append(
                f"{page.set_name}/{page.page_id} ({layout}) {rules}: {paragraph[:80]!r}"
            )


def _rules_over(blocks: list[Block], paragraph: str) -> str:
    """The judge's rules on the blocks that hold the paragraph or part of it."""
    rules = set()
    for block in blocks:
        text = compact(block.text)
        if block.removal and text and (paragraph in text or text[:20] in paragraph):
            rules.add(block.removal.rule)
    return ", ".join(sorted(rules)) or "?"
