"""Spam injected into real articles: the spam benchmark's second measurement.

Real article texts (the hand-made truth of the extraction benches: extraction-zh,
extraction-en and the three extraction-web sets; never the seeds) get spam blocks from the
labelled set inserted between their paragraphs, and are laid out twice: as an HTML page
(the spam as a paragraph, a hidden block, a link list or the labelled block's own markup)
and as a plain-text file (the spam as a paragraph, as consecutive lines, or as one line of
items). Everything is drawn from a `random.Random` seeded by the seed and the article, so
the same inputs give the same bytes.

An article of a set's tuning part (`cleaner.bench.holdout.part_of(set, article)`) only
receives spam blocks of the labelled set's tuning part, and a test article only test
blocks, so the test figure stays a figure on spam nobody tuned on.
"""

from __future__ import annotations

import gzip
import html
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cleaner.bench.extraction import chinese_pages, english_pages
from cleaner.bench.holdout import Part, part_of
from cleaner.text import IDEOGRAPH

DEFAULT_SEED = 15
WEB_SETS = ("cleaneval", "l3s-gn1", "readability")
# An article needs this many paragraphs to have places to put spam between.
MIN_PARAGRAPHS = 3


# ---------------------------------------------------------------- bench pages


@dataclass(frozen=True)
class BenchPage:
    """One page of an extraction bench set: raw bytes and its hand-made article text."""

    set_name: str
    page_id: str
    raw: bytes
    truth: str

    @cached_property
    def lang(self) -> str:
        """ "zh" when a fifth of the article's characters are ideographs, else "en" (the
        web sets are mostly English, with some German and other languages)."""
        sample = self.truth[:2000]
        return "zh" if len(IDEOGRAPH.findall(sample)) * 5 >= max(1, len(sample)) else "en"

    @property
    def part(self) -> Part:
        return part_of(self.set_name, self.page_id)

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.truth.splitlines() if line.strip()]


def bench_pages(bench: Path) -> Iterator[BenchPage]:
    """Every extraction bench page with ground truth: extraction-en, extraction-zh and
    the extraction-web sets that are present, each in file order."""
    if (bench / "extraction-en").is_dir():
        for page in english_pages(bench / "extraction-en"):
            yield BenchPage("extraction-en", page.page_id, page.raw, page.truth)
    if (bench / "extraction-zh").is_dir():
        for page in chinese_pages(bench / "extraction-zh"):
            yield BenchPage("extraction-zh", page.page_id, page.raw, page.truth)
    for name in WEB_SETS:
        root = bench / "extraction-web" / name
        if (root / "truth.jsonl").exists():
            yield from _web_pages(root, f"extraction-web/{name}")


def _web_pages(root: Path, set_name: str) -> Iterator[BenchPage]:
    with (root / "truth.jsonl").open(encoding="utf-8") as lines:
        truths = [json.loads(line) for line in lines if line.strip()]
    for truth in truths:
        page = root / "pages" / f"{truth['id']}.html.gz"
        if page.exists():
            yield BenchPage(
                set_name, truth["id"], gzip.decompress(page.read_bytes()), truth["text"]
            )


def sample_articles(pages: list[BenchPage], per_set: int, seed: int) -> list[BenchPage]:
    """Up to `per_set` pages of each set with enough paragraphs, picked by a seeded hash
    of their id (so a set that grows keeps most of its sample), in page order."""
    chosen: list[BenchPage] = []
    by_set: dict[str, list[BenchPage]] = defaultdict(list)
    for page in pages:
        if len(page.paragraphs) >= MIN_PARAGRAPHS:
            by_set[page.set_name].append(page)
    for members in by_set.values():
        ranked = sorted(members, key=lambda page: random.Random(f"{seed}/{page.page_id}").random())
        picked = {id(page) for page in ranked[:per_set]}
        chosen += [page for page in members if id(page) in picked]
    return chosen


# ---------------------------------------------------------------- injected documents


@dataclass(frozen=True)
class Injection:
    """One labelled spam block put into an article, and how."""

    row_id: str
    family: str
    way: str
    text: str  # what a reader would see of it, one line per block


@dataclass(frozen=True)
class InjectedDocument:
    doc_id: str
    set_name: str
    part: Part
    lang: str
    media_type: str  # "html" or "text"
    raw: bytes
    paragraphs: tuple[str, ...]  # the article's own paragraphs (all real)
    injections: tuple[Injection, ...]


def injected_documents(
    articles: list[BenchPage], rows: list[dict], seed: int = DEFAULT_SEED
) -> list[InjectedDocument]:
    """Each article as an HTML page and as a text file, with 1 to 3 spam blocks of its
    own part and language each."""
    pool: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        if row["label"] == "spam":
            pool[row["part"], row["lang"]].append(row)
    documents = []
    for article in articles:
        candidates = pool.get((article.part, article.lang))
        if not candidates:
            continue
        rng = random.Random(f"{seed}/{article.set_name}/{article.page_id}")
        for media_type in ("html", "text"):
            chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
            documents.append(_inject(article, chosen, media_type, rng))
    return documents


def _inject(
    article: BenchPage, chosen: list[dict], media_type: str, rng: random.Random
) -> InjectedDocument:
    paragraphs = article.paragraphs
    slots = sorted(rng.randint(0, len(paragraphs)) for _ in chosen)
    injections = []
    pieces: list[str] = []
    spam_at: dict[int, list[str]] = defaultdict(list)
    for slot, row in zip(slots, chosen, strict=True):
        way, markup = (_html_way if media_type == "html" else _text_way)(row, rng)
        injections.append(Injection(row["id"], row["family"], way, _visible(row, way)))
        spam_at[slot].append(markup)
    for index, paragraph in enumerate(paragraphs):
        pieces += spam_at.get(index, [])
        pieces.append(_html_paragraph(paragraph) if media_type == "html" else paragraph)
    pieces += spam_at.get(len(paragraphs), [])
    body = _html_page(pieces, article.lang, rng) if media_type == "html" else "\n\n".join(pieces)
    return InjectedDocument(
        doc_id=f"{article.set_name}/{article.page_id}.{media_type}",
        set_name=article.set_name,
        part=article.part,
        lang=article.lang,
        media_type=media_type,
        raw=(body + "\n").encode("utf-8"),
        paragraphs=tuple(paragraphs),
        injections=tuple(injections),
    )


# ---------------------------------------------------------------- ways to inject

# Ways a page hides text, written for this generator (a hidden-text row brings its own).
HIDING_STYLES = (
    'style="display:none"',
    'style="visibility:hidden"',
    'style="font-size:0"',
    'style="position:absolute;left:-9999px"',
    'style="height:0;overflow:hidden"',
    'style="color:#ffffff"',
    "hidden",
    'class="hide"',
)
_ITEM_SEPARATORS = re.compile(r"\s*(?:[|｜·•~、,，;；/]|\s-\s|\s–\s)\s*")


def items_of(text: str) -> list[str]:
    """The entries of a list-like spam text ("a | b | c", "a、b、c", one per line).

    >>> items_of("百家乐 | 龙虎斗、牛牛")
    ['百家乐', '龙虎斗', '牛牛']
    """
    items = []
    for line in text.splitlines():
        items += [item.strip() for item in _ITEM_SEPARATORS.split(line) if item.strip()]
    return items or [text.strip()]


def _html_way(row: dict, rng: random.Random) -> tuple[str, str]:
    """(way, markup) for one spam block in an HTML page."""
    if row.get("html") and rng.random() < 0.7:
        return "markup", row["html"]
    listy = row["format"] in ("list", "link-run")
    draw = rng.random()
    if (listy and draw < 0.6) or (not listy and draw < 0.15):
        links = "".join(
            f'<li><a href="http://{_host(rng)}/">{html.escape(item)}</a></li>'
            for item in items_of(row["text"])
        )
        return "link-list", f'<ul class="{rng.choice(["links", "tags", "list"])}">{links}</ul>'
    paragraphs = "".join(_html_paragraph(line) for line in row["text"].splitlines())
    if draw < 0.4:
        return "hidden", f"<div {rng.choice(HIDING_STYLES)}>{paragraphs}</div>"
    return "paragraph", paragraphs


def _text_way(row: dict, rng: random.Random) -> tuple[str, str]:
    """(way, text) for one spam block in a plain-text file."""
    items = items_of(row["text"])
    if len(items) > 2 and rng.random() < 0.5:
        if rng.random() < 0.5:
            return "lines", "\n".join(items)
        return "one-line", rng.choice([" | ", "  ", "，", " / "]).join(items)
    return "paragraph", row["text"]


def _visible(row: dict, way: str) -> str:
    """What of the block a reader sees, one line per block (for finding it again)."""
    if way in ("link-list", "lines", "one-line"):
        return "\n".join(items_of(row["text"]))
    return row["text"]


def _host(rng: random.Random) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) + ".com"


def _html_paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _html_page(pieces: list[str], lang: str, rng: random.Random) -> str:
    """A plain news page around the article: a menu, a headline, a footer."""
    if lang == "zh":
        menu, title, footer = ("首页", "新闻", "财经", "体育"), "本地新闻", "版权所有"
    else:
        menu, title, footer = ("Home", "News", "Business", "Sport"), "Local news", "All rights"
    title = f"{title} {rng.randint(100, 999)}"
    nav = " ".join(f'<a href="/{index}/">{name}</a>' for index, name in enumerate(menu))
    article = "\n".join(pieces)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n<header><nav>{nav}</nav></header>\n"
        f"<main><article>\n<h1>{title}</h1>\n{article}\n</article></main>\n"
        f"<footer><p>{footer} © 2024</p></footer>\n</body></html>"
    )
