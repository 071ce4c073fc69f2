"""Benchmark of the split stage: multi-article pages cut right, single pages left whole.

    python -m cleaner.bench.split --layouts /work/shared/bench [--pages 700] [--seed 14]
    python -m cleaner.bench.split fixtures/split /work/shared/bench

``--layouts`` generates the pages of `cleaner.bench.split_pages` (five layout families of
issue 14, tuning and test parts by `part_of`) and prints per family and part (the
`layouts` module below); the second form is the older bench over the seeds' layout:

Part 1 runs the whole pipeline over the labelled pages of ``fixtures/split/pages`` and
compares with ``truth.json``:

- boundary precision / recall: an article start (every article but a page's first) is
  identified by its first 12 characters (white space removed); a predicted start is right
  when some true article after the first starts with the same characters;
- text match: the share of true articles whose best predicted article has a character
  similarity (difflib ratio, white space removed) of at least 0.9;
- title accuracy: the share of true articles whose best predicted article carries the
  true title (white space and colon width ignored);
- author accuracy, over the true articles that have an author: the true name is part of
  the predicted author (a source text's own closing signature may be named too).

Part 2 runs the pipeline over every page of ``extraction-*`` in the bench folder and
reports the share that stays one article.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.config import Config
from cleaner.document import Document
from cleaner.pipeline import process_document

START_CHARS = 12
MATCH_SIMILARITY = 0.9


@dataclass
class Predicted:
    title: str | None
    author: str | None
    text: str


@dataclass
class Scores:
    pages: int = 0
    true_articles: int = 0
    predicted_articles: int = 0
    predicted_starts: int = 0
    right_starts: int = 0
    true_starts: int = 0
    found_starts: int = 0
    text_matches: int = 0
    title_matches: int = 0
    authors: int = 0
    author_matches: int = 0
    by_layout: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").replace("：", ":")


def predicted_articles(path: Path, config: Config) -> list[Predicted]:
    media_type = "markdown" if path.suffix == ".md" else "text"
    result = process_document(
        Document(path.name, raw=path.read_bytes(), media_type=media_type), config
    )
    if not isinstance(result, Document):
        return []
    found = []
    for part in range(result.article_count):
        info = result.articles[part] if result.articles else None
        text = "\n\n".join(block.text for block in result.kept_blocks(part))
        found.append(Predicted(info.title if info else None, info.author if info else None, text))
    return found


def similarity(left: str, right: str) -> float:
    return difflib.SequenceMatcher(None, compact(left), compact(right), autojunk=False).ratio()


def score_page(name: str, truth: dict, predicted: list[Predicted], scores: Scores) -> None:
    articles = truth["articles"]
    scores.pages += 1
    scores.true_articles += len(articles)
    scores.predicted_articles += len(predicted)
    true_starts = {compact(article["text"])[:START_CHARS] for article in articles[1:]}
    predicted_starts = [compact(article.text)[:START_CHARS] for article in predicted[1:]]
    scores.true_starts += len(true_starts)
    scores.predicted_starts += len(predicted_starts)
    scores.right_starts += sum(1 for start in predicted_starts if start in true_starts)
    scores.found_starts += len(true_starts & set(predicted_starts))
    for start in sorted(set(predicted_starts) - true_starts):
        scores.misses.append(f"{name}: start {start!r} is no true article start")
    for start in sorted(true_starts - set(predicted_starts)):
        scores.misses.append(f"{name}: true article start {start!r} not found")
    layout = scores.by_layout.setdefault(truth["layout"], [0, 0])
    layout[0] += len(articles)
    for article in articles:
        ranked = sorted(predicted, key=lambda p: similarity(p.text, article["text"]), reverse=True)
        best = ranked[0] if ranked else Predicted(None, None, "")
        best_similarity = similarity(best.text, article["text"])
        matched = best_similarity >= MATCH_SIMILARITY
        scores.text_matches += matched
        titled = compact(best.title) == compact(article["title"])
        scores.title_matches += titled
        layout[1] += matched and titled
        if article["author"]:
            scores.authors += 1
            # The true author named; a source's own signature ("（记者 胡晓蓉）") may join it.
            scores.author_matches += compact(article["author"]) in compact(best.author)
        if not (matched and titled):
            scores.misses.append(
                f"{name}: {article['title'][:30]!r} -> {(best.title or '')[:40]!r}"
                f" (text similarity {best_similarity:.2f})"
            )


def labelled_scores(fixtures: Path, config: Config) -> Scores:
    truth = json.loads((fixtures / "truth.json").read_text(encoding="utf-8"))
    scores = Scores()
    for name, page_truth in sorted(truth.items()):
        score_page(name, page_truth, predicted_articles(fixtures / "pages" / name, config), scores)
    return scores


def bench_pages(bench: Path) -> list[tuple[str, bytes]]:
    pages = [(str(p), p.read_bytes()) for p in sorted(bench.glob("extraction-zh/original/*.html"))]
    pages += [
        (str(p), gzip.decompress(p.read_bytes()))
        for p in sorted(bench.glob("extraction-en/html/*.html.gz"))
    ]
    return pages


def single_article_rate(bench: Path, config: Config) -> tuple[int, int, list[str]]:
    pages = bench_pages(bench)
    split = []
    for source, raw in pages:
        result = process_document(Document(source, raw=raw, media_type="html"), config)
        if isinstance(result, Document) and result.article_count > 1:
            split.append(source)
    return len(pages) - len(split), len(pages), split


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--layouts"]:
        from cleaner.bench.split_layouts import main as layouts_main

        return layouts_main(argv[1:])
    if len(argv) != 2:
        print("\n".join(__doc__.strip().splitlines()[2:4]), file=sys.stderr)
        return 2
    fixtures, bench = Path(argv[0]), Path(argv[1])
    config = Config()
    started = time.perf_counter()
    scores = labelled_scores(fixtures, config)
    labelled_seconds = time.perf_counter() - started
    single, total, split = single_article_rate(bench, config)
    rows = [
        ("labelled pages", str(scores.pages)),
        ("true / predicted articles", f"{scores.true_articles} / {scores.predicted_articles}"),
        ("boundary precision", _ratio(scores.right_starts, scores.predicted_starts)),
        ("boundary recall", _ratio(scores.found_starts, scores.true_starts)),
        (
            f"articles with char similarity >= {MATCH_SIMILARITY}",
            _ratio(scores.text_matches, scores.true_articles),
        ),
        ("title accuracy", _ratio(scores.title_matches, scores.true_articles)),
        (
            "author accuracy (articles with an author)",
            _ratio(scores.author_matches, scores.authors),
        ),
        *(
            (f"  {layout}: text and title right", _ratio(right, count))
            for layout, (count, right) in sorted(scores.by_layout.items())
        ),
        ("bench extraction-* pages left single", f"{_ratio(single, total)} ({single}/{total})"),
        ("seconds for the labelled pages", f"{labelled_seconds:.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for miss in scores.misses[:60]:
        print("miss:", miss)
    for source in split:
        print("split bench page:", source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
