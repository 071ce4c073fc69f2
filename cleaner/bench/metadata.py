"""Metadata benchmark: title, author, date, site name and language against hand labels.

Usage::

    python -m cleaner.bench.metadata /work/shared/bench fixtures/metadata/labels.jsonl
        [--no-trafilatura] [--misses tuning|test|all] [--set NAME]

Each labelled page (see ``fixtures/metadata/README.md``) is run through the whole pipeline
as `cleaner run` would, and its first article record is compared with the labels; the same
decoded page goes to trafilatura (bench extra, imported only here) for comparison. Figures
are printed for the tuning and the test part apart; the test part is the one that counts.

How a field is judged (the same for both extractors):

- title: exact after Unicode NFKC, one kind of quote mark and collapsed white space; the
  label may list another accepted reading (``title_also``);
- author: the same set of names, each compared without case, white space or a leading
  "By"; an empty label is right only when nothing is predicted;
- published: the predicted date's day equals the label's (or ``published_also``); empty
  label, empty prediction;
- site_name: one contains the other once case, spaces and punctuation are dropped;
- lang: the ISO 639-1 code (``zh-Hant`` counts as ``zh``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.config import Config
from cleaner.document import Document
from cleaner.pipeline import process_document
from cleaner.records import article_records
from cleaner.stages import decode

FIELDS = ("title", "author", "published", "site_name", "lang")
PARTS = ("tuning", "test")


@dataclass(frozen=True)
class Labelled:
    """One labelled page: what a person read on it, and its bytes."""

    label: dict
    raw: bytes


@dataclass(frozen=True)
class Predicted:
    title: str = ""
    author: str = ""
    published: str = ""
    site_name: str = ""
    # None: the extractor does not tell (trafilatura leaves `language` empty unless it is
    # asked to filter by one), so the field is not scored for it.
    lang: str | None = ""


@dataclass
class FieldScore:
    right: int = 0
    seen: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.right / self.seen if self.seen else 0.0


# ---------------------------------------------------------------- loading


def load_labelled(bench: Path, labels: Path, set_name: str | None = None) -> list[Labelled]:
    pages = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        if set_name and label["set"] != set_name:
            continue
        raw = (bench / label["source"]).read_bytes()
        if label["source"].endswith(".gz"):
            raw = gzip.decompress(raw)
        pages.append(Labelled(label, raw))
    return pages


# ---------------------------------------------------------------- extractors


def run_cleaner(raw: bytes, source: str) -> Predicted:
    """The first article record of the page, as `cleaner run` writes it."""
    result = process_document(Document(source, raw=raw, media_type="html"), Config())
    if not isinstance(result, Document):
        return Predicted()
    records = article_records(result)
    if not records:
        return Predicted(lang=result.lang or "")
    record = records[0]
    return Predicted(
        title=record.title or "",
        author=record.author or "",
        published=record.published or "",
        site_name=record.site_name or "",
        lang=record.lang or "",
    )


def run_trafilatura(raw: bytes, source: str) -> Predicted:
    import trafilatura  # bench-only dependency

    text = decode.apply(Document("bench", raw=raw), Config().decode).text
    result = trafilatura.bare_extraction(text, with_metadata=True)
    if result is None:
        return Predicted(lang=None)  # nothing extracted; the language is still not its answer
    return Predicted(
        title=result.title or "",
        author=result.author or "",
        published=result.date or "",
        site_name=result.sitename or "",
        lang=None,
    )


# ---------------------------------------------------------------- judging

_QUOTES = str.maketrans({quote: '"' for quote in "“”„«»「」『』＂‘’'`"})
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;，；、/&|]|\band\b|\bund\b|\bet\b|和)\s*", re.I)
_LEADING_BY = re.compile(r"^(?:by|von|par|por)\s+", re.I)
_NOT_LETTERS = re.compile(r"[\W_]+")


def normal_text(text: str) -> str:
    """NFKC, one quote mark, collapsed white space.

    >>> normal_text("“Burned  Her Up”")
    '"Burned Her Up"'
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


def name_set(value: str) -> frozenset[str]:
    """The names in an author field, each without case, spaces or a leading "By".

    >>> sorted(name_set("By Jane Smith and JOHN DOE"))
    ['janesmith', 'johndoe']
    """
    names = _NAME_SEPARATORS.split(normal_text(value))
    names = (_LEADING_BY.sub("", name) for name in names)
    return frozenset(key for key in (_NOT_LETTERS.sub("", n.casefold()) for n in names) if key)


def title_right(label: dict, predicted: str) -> bool:
    wanted = [label["title"], *label.get("title_also", [])]
    return normal_text(predicted) in {normal_text(title) for title in wanted}


def author_right(label: dict, predicted: str) -> bool:
    return name_set(predicted) == name_set(label["author"])


def date_right(label: dict, predicted: str) -> bool:
    if not label["published"]:
        return not predicted
    return predicted[:10] in {label["published"], *label.get("published_also", [])}


def site_right(label: dict, predicted: str) -> bool:
    wanted, got = (_NOT_LETTERS.sub("", v.casefold()) for v in (label["site_name"], predicted))
    if not wanted or not got:
        return wanted == got
    return wanted in got or got in wanted


def lang_right(label: dict, predicted: str) -> bool:
    return predicted.split("-")[0].lower() == label["lang"]


JUDGES: dict[str, Callable[[dict, str], bool]] = {
    "title": title_right,
    "author": author_right,
    "published": date_right,
    "site_name": site_right,
    "lang": lang_right,
}


def score(
    pages: Iterable[Labelled], extractor: Callable[[bytes, str], Predicted]
) -> dict[str, dict[str, FieldScore]]:
    """Per part, per field: how many pages the extractor got right."""
    scores = {part: {name: FieldScore() for name in FIELDS} for part in PARTS}
    for page in pages:
        label = page.label
        predicted = extractor(page.raw, label["source"])
        for name in FIELDS:
            value = getattr(predicted, name)
            if value is None:
                continue
            field_score = scores[label["part"]][name]
            field_score.seen += 1
            if JUDGES[name](label, value):
                field_score.right += 1
            else:
                field_score.misses.append((label["source"], _wanted(label, name), value))
    return scores


def _wanted(label: dict, name: str) -> str:
    return label["lang"] if name == "lang" else label[name]


# ---------------------------------------------------------------- report


def format_table(results: dict[str, dict[str, dict[str, FieldScore]]]) -> str:
    lines = [f"{'extractor':<12} {'part':<7} {'pages':>5}  " + "  ".join(f"{f:>9}" for f in FIELDS)]
    for extractor, scores in results.items():
        for part in PARTS:
            row = scores[part]
            seen = row["title"].seen
            cells = "  ".join(
                f"{row[f].share:>9.3f}" if row[f].seen else f"{'n/a':>9}" for f in FIELDS
            )
            lines.append(f"{extractor:<12} {part:<7} {seen:>5}  {cells}")
    return "\n".join(lines)


def format_misses(scores: dict[str, dict[str, FieldScore]], parts: Iterable[str]) -> str:
    lines = []
    for part in parts:
        for name in FIELDS:
            for source, wanted, got in scores[part][name].misses:
                lines.append(f"[{part}] {name:<9} {source}\n    want {wanted!r}\n    got  {got!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared benchmark folder")
    parser.add_argument("labels", type=Path, help="fixtures/metadata/labels.jsonl")
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--set", help="only the pages of this set")
    parser.add_argument(
        "--misses", choices=("tuning", "test", "all"), help="list cleaner's wrong fields"
    )
    args = parser.parse_args(argv)
    pages = load_labelled(args.bench, args.labels, args.set)
    results = {"cleaner": score(pages, run_cleaner)}
    if not args.no_trafilatura:
        results["trafilatura"] = score(pages, run_trafilatura)
    print(format_table(results))
    if args.misses:
        parts = PARTS if args.misses == "all" else (args.misses,)
        print(format_misses(results["cleaner"], parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
