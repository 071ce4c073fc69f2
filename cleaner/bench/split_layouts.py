"""Split bench over the generated pages of issue 14's five layout families.

    python -m cleaner.bench.split --layouts /work/shared/bench [--pages 700] [--seed 14]
        [--family digest] [--part test] [--misses 20]

The pages come from `cleaner.bench.split_pages` (generated in memory, the same bytes as
its command writes). Each page runs through the whole pipeline; its articles.jsonl records
are compared with the truth. Printed per family and part:

- recovered: true articles whose best-matching predicted article (highest character-bigram
  F1 of the text) reaches an F1 of 0.9;
- titles: true articles whose best-matching predicted article carries the true title
  exactly (white space ignored);
- count: pages cut into the right number of articles;
- kicker / subtitle / published: of the true articles that have one, the share whose
  best-matching article carries it exactly;
- split share: the split stage's share of the pipeline's time on those pages.

Then single-article pages that must stay whole: every page of extraction-zh and
extraction-en, once as HTML and once as its ground-truth text, with the share split
into several articles (per part, by the page's `part_of` in its own set).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from cleaner.bench.holdout import part_of
from cleaner.bench.pdf import bigram_f1
from cleaner.bench.split_pages import DEFAULT_PAGES, DEFAULT_SEED, FAMILIES, Page, generate
from cleaner.config import Config
from cleaner.document import Document
from cleaner.pipeline import process_document
from cleaner.records import ArticleRecord, article_records

RECOVERED_F1 = 0.9


@dataclass
class Tally:
    """Counts for one family and part."""

    pages: int = 0
    articles: int = 0
    recovered: int = 0
    titles: int = 0
    right_count: int = 0
    kickers: int = 0
    kickers_right: int = 0
    subtitles: int = 0
    subtitles_right: int = 0
    dated: int = 0
    dated_right: int = 0
    split_seconds: float = 0.0
    all_seconds: float = 0.0

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def run_page(source: str, raw: bytes, media_type: str, config: Config) -> Document | None:
    result = process_document(Document(source, raw=raw, media_type=media_type), config)
    return result if isinstance(result, Document) else None


def score_page(page: Page, document: Document | None, tally: Tally, misses: list[str]) -> None:
    records: list[ArticleRecord] = article_records(document) if document else []
    tally.pages += 1
    tally.right_count += len(records) == len(page.articles)
    if document:
        tally.split_seconds += document.timings.get("split", 0.0)
        tally.all_seconds += sum(document.timings.values())
    for article in page.articles:
        tally.articles += 1
        scored = [(bigram_f1(record.text, article.text), record) for record in records]
        f1, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        recovered = f1 >= RECOVERED_F1
        titled = best is not None and compact(best.title) == compact(article.title)
        tally.recovered += recovered
        tally.titles += titled
        for wanted, have, count, right in (
            (article.kicker, best and best.kicker, "kickers", "kickers_right"),
            (article.subtitle, best and best.subtitle, "subtitles", "subtitles_right"),
            (article.published, best and best.published, "dated", "dated_right"),
        ):
            if wanted:
                setattr(tally, count, getattr(tally, count) + 1)
                setattr(tally, right, getattr(tally, right) + (compact(have) == compact(wanted)))
        if not (recovered and titled):
            got = (best.title or "")[:30] if best else "-"
            misses.append(
                f"{page.name} ({len(records)}/{len(page.articles)}): {article.title[:30]!r}"
                f" -> {got!r} f1 {f1:.2f}"
            )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


def tally_line(name: str, tally: Tally) -> str:
    split_share = tally.split_seconds / tally.all_seconds if tally.all_seconds else 0.0
    return (
        f"{name:<20} pages {tally.pages:4d} articles {tally.articles:4d}  recovered "
        f"{_share(tally.recovered, tally.articles)}  titles {_share(tally.titles, tally.articles)}"
        f"  count {_share(tally.right_count, tally.pages)}  kicker "
        f"{_share(tally.kickers_right, tally.kickers)}  subtitle "
        f"{_share(tally.subtitles_right, tally.subtitles)}  published "
        f"{_share(tally.dated_right, tally.dated)}  split {split_share:.1%}"
    )


# ---------------------------------------------------------------- single-article pages


def single_pages(bench: Path) -> list[tuple[str, str, bytes, str]]:
    """(name, part, bytes, media type) of every extraction page, as HTML and as text."""
    pages = []
    for path in sorted((bench / "extraction-zh" / "original").glob("*.html")):
        part = part_of("extraction-zh", path.stem)
        pages.append((f"zh/{path.name}", part, path.read_bytes(), "html"))
        cleaned = bench / "extraction-zh" / "cleaned" / f"{path.stem}.txt"
        if cleaned.exists():
            pages.append((f"zh/{cleaned.name}", part, cleaned.read_bytes(), "text"))
    truth = json.loads((bench / "extraction-en" / "ground-truth.json").read_text("utf-8"))
    for path in sorted((bench / "extraction-en" / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        part = part_of("extraction-en", key)
        pages.append((f"en/{key}.html", part, gzip.decompress(path.read_bytes()), "html"))
        body = truth.get(key, {}).get("articleBody")
        if body:
            pages.append((f"en/{key}.txt", part, body.encode("utf-8"), "text"))
    return pages


def false_splits(bench: Path, config: Config) -> tuple[dict, list[str], Tally]:
    """Per (media type, part): [pages, pages split]; the split pages' names; timings."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    split: list[str] = []
    timing = Tally()
    for name, part, raw, media_type in single_pages(bench):
        document = run_page(name, raw, media_type, config)
        parts = document.article_count if document else 1
        counts[(media_type, part)][0] += 1
        if parts > 1:
            counts[(media_type, part)][1] += 1
            split.append(f"{name} -> {parts} articles")
        if document:
            timing.split_seconds += document.timings.get("split", 0.0)
            timing.all_seconds += sum(document.timings.values())
    return counts, split, timing


# ---------------------------------------------------------------- the command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench.split --layouts")
    parser.add_argument("bench", type=Path)
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--family", choices=FAMILIES)
    parser.add_argument("--part", choices=("tuning", "test"))
    parser.add_argument("--misses", type=int, default=0, help="print this many tuning misses")
    parser.add_argument("--no-single", action="store_true", help="skip the extraction pages")
    args = parser.parse_args(argv)
    config = Config()
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    misses: list[str] = []
    started = time.perf_counter()
    for page in generate(args.bench, args.pages, args.seed):
        if (args.family and page.family != args.family) or (args.part and page.part != args.part):
            continue
        raw = page.text.encode("utf-8")
        media_type = "markdown" if page.name.endswith(".md") else "text"
        document = run_page(page.name, raw, media_type, config)
        own_misses = misses if page.part == "tuning" else []
        score_page(page, document, tallies[(page.family, page.part)], own_misses)
    print(f"generated pages: {time.perf_counter() - started:.1f} s")
    for part in ("tuning", "test"):
        total = Tally()
        for family in FAMILIES:
            if (family, part) in tallies:
                print(tally_line(f"{part} {family}", tallies[(family, part)]))
                total.add(tallies[(family, part)])
        if total.pages:
            print(tally_line(f"{part} all", total))
    if not args.no_single:
        counts, split, timing = false_splits(args.bench, config)
        for (media_type, part), (pages, wrong) in sorted(counts.items()):
            print(
                f"single {media_type:<5} {part:<7} pages {pages:4d}  split {_share(wrong, pages)}"
            )
        pages = sum(count[0] for count in counts.values())
        wrong = sum(count[1] for count in counts.values())
        share = timing.split_seconds / timing.all_seconds if timing.all_seconds else 0.0
        print(
            f"single all            pages {pages:4d}  split {_share(wrong, pages)}  "
            f"split stage {share:.1%} of run time"
        )
        for name in split:
            print("split single page:", name)
    for miss in misses[: args.misses]:
        print("miss:", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
