"""Article-body extraction benchmark: cleaner against trafilatura on the same pages.

Usage::

    python -m cleaner.bench.extraction /work/shared/bench [--limit N] [--no-trafilatura]

Scoring follows scrapinghub/article-extraction-benchmark (see bench/README.md): each text
becomes a multiset of 4-token shingles (tokens are ``\\w+`` runs, every CJK character is a
token of its own); per page the shared, excess and missing shingle counts are normalised to
sum to one; precision is averaged over pages that produced output, recall over all pages.

trafilatura is a bench-only dependency: it is imported inside `run_trafilatura` only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.config import Config
from cleaner.document import Document
from cleaner.pipeline import process_document
from cleaner.stages import decode

SHINGLE_SIZE = 4
_TOKEN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
_DATE_IN_TEXT = re.compile(
    r"\b(?:19|20)\d\d[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,2}"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d"
    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (?:19|20)\d\d"
)


@dataclass(frozen=True)
class BenchPage:
    """One page of a benchmark set: raw bytes and the hand-made body text."""

    page_id: str
    raw: bytes
    truth: str
    url: str = ""


@dataclass(frozen=True)
class Extraction:
    text: str
    title: str | None = None
    published: str | None = None


@dataclass
class SetScore:
    """Running totals of one extractor over one set."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    titles_found: int = 0
    dates_found: int = 0
    pages_with_date: int = 0
    # Checks against the page URL (English set): the title holds most words of the URL's
    # slug; the date equals a /yyyy/mm/dd/ date in the URL.
    titles_checked: int = 0
    titles_matching_url: int = 0
    dates_checked: int = 0
    dates_matching_url: int = 0
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return sum(self.precisions) / len(self.precisions) if self.precisions else 0.0

    @property
    def recall(self) -> float:
        return sum(self.recalls) / len(self.recalls) if self.recalls else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


# ---------------------------------------------------------------- scoring


def tokens(text: str) -> list[str]:
    """`\\w+` runs, with each CJK character a token of its own.

    >>> tokens("Hello, world 青岛高新区2022")
    ['Hello', 'world', '青', '岛', '高', '新', '区', '2022']
    """
    return _TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    return Counter(tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1)))


def page_precision_recall(predicted: str, truth: str) -> tuple[float | None, float]:
    """Precision (None when nothing was predicted) and recall of one page."""
    predicted_shingles, truth_shingles = shingles(predicted), shingles(truth)
    shared = sum((predicted_shingles & truth_shingles).values())
    excess = sum((predicted_shingles - truth_shingles).values())
    missing = sum((truth_shingles - predicted_shingles).values())
    total = shared + excess + missing
    if total == 0:
        return 1.0, 1.0  # both empty: nothing to find, nothing wrongly found
    shared, excess, missing = shared / total, excess / total, missing / total
    precision = shared / (shared + excess) if predicted_shingles else None
    recall = shared / (shared + missing) if shared + missing else 1.0
    return precision, recall


def score_sample(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """(F1, precision, recall) of predicted/truth text pairs, as the benchmark averages."""
    score = SetScore()
    for predicted, truth in pairs:
        precision, recall = page_precision_recall(predicted, truth)
        if precision is not None:
            score.precisions.append(precision)
        score.recalls.append(recall)
    return score.f1, score.precision, score.recall


# ---------------------------------------------------------------- pages


def english_pages(root: Path) -> Iterator[BenchPage]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        raw = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        yield BenchPage(page_id, raw, truth[page_id]["articleBody"], truth[page_id]["url"])


def chinese_pages(root: Path) -> Iterator[BenchPage]:
    for path in sorted((root / "original").glob("*.html")):
        truth = (root / "cleaned" / f"{path.stem}.txt").read_text(encoding="utf-8")
        yield BenchPage(path.stem, path.read_bytes(), truth)


# ---------------------------------------------------------------- extractors


def run_cleaner(raw: bytes, page_id: str) -> Extraction:
    """Feed the page exactly as the pipeline does and join the kept blocks."""
    result = process_document(Document(page_id, raw=raw, media_type="html"), Config())
    if not isinstance(result, Document):
        return Extraction("")
    text = "\n\n".join(block.text for block in result.kept_blocks())
    return Extraction(text, result.metadata.get("title"), result.metadata.get("published"))


def decoded_text(raw: bytes) -> str:
    """The page decoded by cleaner's decode stage, so both extractors read the same text."""
    return decode.apply(Document("bench", raw=raw), Config().decode).text


def run_trafilatura(raw: bytes, page_id: str) -> Extraction:
    import trafilatura  # bench-only dependency

    result = trafilatura.bare_extraction(decoded_text(raw), with_metadata=True)
    if result is None:
        return Extraction("")
    text = result.text or ""
    if result.comments:
        text += "\n" + result.comments  # what trafilatura.extract() returns by default
    return Extraction(text, result.title, result.date)


def page_shows_date(raw: bytes) -> bool:
    """A page shows a date when one is written in its markup (meta tag or visible text)."""
    return bool(_DATE_IN_TEXT.search(decoded_text(raw)))


def score_set(
    pages: list[BenchPage], extractor: Callable[[bytes, str], Extraction], dated: set[str]
) -> SetScore:
    score = SetScore()
    for page in pages:
        started = time.perf_counter()
        extraction = extractor(page.raw, page.page_id)
        score.seconds += time.perf_counter() - started
        precision, recall = page_precision_recall(extraction.text, page.truth)
        if precision is not None:
            score.precisions.append(precision)
        score.recalls.append(recall)
        score.titles_found += bool(extraction.title and extraction.title.strip())
        if page.page_id in dated:
            score.pages_with_date += 1
            score.dates_found += bool(extraction.published)
        check_against_url(score, page.url, extraction)
    return score


_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
_SLUG_WORD = re.compile(r"[a-z]{3,}")


def check_against_url(score: SetScore, url: str, extraction: Extraction) -> None:
    """Title and date correctness where the URL gives them away (no other truth exists)."""
    slug = url.rstrip("/").rsplit("/", 1)[-1].lower()
    slug_words = set(_SLUG_WORD.findall(slug.split(".")[0]))
    if len(slug_words) >= 3:
        score.titles_checked += 1
        title_words = set(_SLUG_WORD.findall((extraction.title or "").lower()))
        score.titles_matching_url += len(slug_words & title_words) >= len(slug_words) / 2
    url_date = _URL_DATE.search(url)
    if url_date:
        score.dates_checked += 1
        expected = "-".join(url_date.groups())
        score.dates_matching_url += (extraction.published or "").startswith(expected)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def format_row(set_name: str, extractor: str, score: SetScore, pages: int) -> str:
    return (
        f"| {set_name:<13} | {extractor:<11} | {score.f1:.4f} | {score.precision:.4f} | "
        f"{score.recall:.4f} | {_share(score.titles_found, pages)} | "
        f"{_share(score.titles_matching_url, score.titles_checked)} | "
        f"{_share(score.dates_found, score.pages_with_date)} | "
        f"{_share(score.dates_matching_url, score.dates_checked)} | "
        f"{pages / score.seconds if score.seconds else 0.0:7.1f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared bench folder")
    parser.add_argument("--limit", type=int, default=0, help="pages per set (0 = all)")
    parser.add_argument("--no-trafilatura", action="store_true", help="score cleaner only")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst cleaner pages")
    options = parser.parse_args(argv)
    sets = {
        "extraction-en": list(english_pages(options.bench / "extraction-en")),
        "extraction-zh": list(chinese_pages(options.bench / "extraction-zh")),
    }
    extractors: dict[str, Callable[[bytes, str], Extraction]] = {"cleaner": run_cleaner}
    if not options.no_trafilatura:
        extractors["trafilatura"] = run_trafilatura
    print(
        "| set           | extractor   | F1     | prec.  | recall | title  | t~url  | date   "
        "| d~url  | pages/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for set_name, pages in sets.items():
        pages = pages[: options.limit] if options.limit else pages
        dated = {page.page_id for page in pages if page_shows_date(page.raw)}
        for extractor_name, extractor in extractors.items():
            score = score_set(pages, extractor, dated)
            print(format_row(set_name, extractor_name, score, len(pages)), flush=True)
        if options.worst:
            print_worst(pages, options.worst)
    return 0


def print_worst(pages: list[BenchPage], count: int) -> None:
    """The pages where cleaner scores lowest, for reading by eye."""
    rows = []
    for page in pages:
        precision, recall = page_precision_recall(
            run_cleaner(page.raw, page.page_id).text, page.truth
        )
        rows.append((min(precision or 0.0, recall), precision or 0.0, recall, page.page_id))
    for _, precision, recall, page_id in sorted(rows)[:count]:
        print(
            f"  worst: {page_id}  precision {precision:.3f}  recall {recall:.3f}", file=sys.stderr
        )


if __name__ == "__main__":
    sys.exit(main())
