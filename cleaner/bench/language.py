"""Language benchmark: accuracy of `lang` on labelled text, and the stage's time per page.

Usage::

    python -m cleaner.bench.language /work/shared/bench [--limit N]

1. Sentences: ``fixtures/language/sentences.jsonl``, one or two sentences each in 19
   languages, written for this project (news-like, not copied from any page). Short text is
   where identifiers fail, so this is the hard case.
2. Pages: the extraction-en and extraction-zh pages, run through the whole pipeline as
   `cleaner run` would; `lang` is compared with the language of the page's true article
   text (see `bench_pages`). The language stage's own time per page comes from the same
   runs.
3. The multilingual hand-labelled metadata pages are scored by `cleaner.bench.metadata`
   (its `lang` column).

Every figure is given for the tuning and the test part (`holdout.part_of`) apart.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

from cleaner.bench.holdout import part_of
from cleaner.config import Config
from cleaner.document import Document
from cleaner.pipeline import process_document
from cleaner.stages.language import identify_language

ROOT = Path(__file__).resolve().parents[2]
SENTENCES = ROOT / "fixtures" / "language" / "sentences.jsonl"
PARTS = ("tuning", "test")


def load_sentences(path: Path = SENTENCES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score_sentences(rows: list[dict]) -> dict[str, tuple[int, int, list[str]]]:
    """Per part: right, total and the misses ("de->nl: text")."""
    scores: dict[str, tuple[int, int, list[str]]] = {}
    for part in PARTS:
        right, total, misses = 0, 0, []
        for row in rows:
            if part_of("language-sentences", row["text"]) != part:
                continue
            total += 1
            predicted = identify_language(row["text"])
            if predicted == row["lang"]:
                right += 1
            else:
                misses.append(f"{row['lang']}->{predicted}: {row['text'][:60]}")
        scores[part] = (right, total, misses)
    return scores


def bench_pages(bench: Path, limit: int | None) -> list[tuple[str, str, bytes, str | None]]:
    """(set name, page id, bytes, language of the page's true article text) of the
    extraction pages. extraction-en is in 13 languages, not only English, so each page's
    label is the identifier's answer on the set's hand-cut article text: the figure says
    whether the text cleaner keeps is in the article's language."""
    pages = []
    truth = json.loads((bench / "extraction-en" / "ground-truth.json").read_text("utf-8"))
    for path in sorted((bench / "extraction-en" / "html").glob("*.html.gz"))[:limit]:
        page_id = path.name.split(".")[0]
        wanted = identify_language(truth.get(page_id, {}).get("articleBody", ""))
        pages.append(("extraction-en", page_id, gzip.decompress(path.read_bytes()), wanted))
    for path in sorted((bench / "extraction-zh" / "original").glob("*.html"))[:limit]:
        cleaned = bench / "extraction-zh" / "cleaned" / f"{path.stem}.txt"
        wanted = identify_language(cleaned.read_text("utf-8")) if cleaned.exists() else None
        pages.append(("extraction-zh", path.stem, path.read_bytes(), wanted))
    return pages


def score_pages(
    pages: list[tuple[str, str, bytes, str | None]],
) -> tuple[dict, list[float], Counter]:
    """Per part: right, total, misses; the language stage's seconds per page; languages."""
    config = Config()
    scores = {part: [0, 0, []] for part in PARTS}
    seconds = []
    languages: Counter = Counter()
    for set_name, page_id, raw, wanted in pages:
        result = process_document(Document(page_id, raw=raw, media_type="html"), config)
        if not isinstance(result, Document) or wanted is None:
            continue
        languages[wanted] += 1
        entry = scores[part_of(set_name, page_id)]
        entry[1] += 1
        if result.lang == wanted:
            entry[0] += 1
        else:
            entry[2].append(f"{set_name}/{page_id}: {wanted}->{result.lang}")
        seconds.append(result.timings.get("language", 0.0))
    return scores, seconds, languages


def _line(name: str, right: int, total: int) -> str:
    share = right / total if total else 0.0
    return f"  {name:<7} {right:>4}/{total:<4} {share:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared bench directory")
    parser.add_argument("--limit", type=int, default=None, help="pages per set (tuning runs)")
    options = parser.parse_args(argv)
    rows = load_sentences()
    print(f"sentences ({len(rows)}, {len(Counter(row['lang'] for row in rows))} languages):")
    for part, (right, total, misses) in score_sentences(rows).items():
        print(_line(part, right, total))
        for miss in misses:
            print(f"    miss {miss}")
    page_scores, seconds, languages = score_pages(bench_pages(options.bench, options.limit))
    counts = ", ".join(f"{code} {count}" for code, count in languages.most_common())
    print(f"pages (extraction-en and extraction-zh; {counts}):")
    for part, (right, total, misses) in page_scores.items():
        print(_line(part, right, total))
        for miss in misses:
            print(f"    miss {miss}")
    if seconds:
        milliseconds = [value * 1000 for value in seconds]
        print(
            f"language stage: {statistics.mean(milliseconds):.2f} ms/page mean, "
            f"{statistics.median(milliseconds):.2f} median, {max(milliseconds):.2f} max "
            f"({len(seconds)} pages)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
