"""Spam stage benchmark: block-level precision and recall, and real paragraphs lost.

Usage::

    python -m cleaner.bench.spam fixtures/spam [/work/shared/bench]

A folder holding ``blocks.jsonl`` is a labelled set: one block per line with ``text``,
``label`` ("spam" | "keep"), ``rule_family``, ``comment``, ``source`` and optionally
``group`` (blocks sharing a group form one document, in file order, so context rules such
as ad markers see their neighbours), ``hidden``, ``kind`` and ``link_chars``. "spam" is the
positive class.

A folder holding ``extraction-en/`` and ``extraction-zh/`` (the shared bench) is a check on
real pages: every block the spam stage removes is looked up in the page's ground-truth
article text; a removed block found there and in no kept block is a real paragraph lost.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.config import Config
from cleaner.document import Block, Document
from cleaner.pipeline import process_document
from cleaner.stages import spam


@dataclass
class Confusion:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    def add(self, labelled_spam: bool, removed: bool) -> None:
        if labelled_spam and removed:
            self.true_positive += 1
        elif labelled_spam:
            self.false_negative += 1
        elif removed:
            self.false_positive += 1
        else:
            self.true_negative += 1

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        spam_total = self.true_positive + self.false_negative
        return self.true_positive / spam_total if spam_total else 1.0

    @property
    def kept_share(self) -> float:
        """Share of real ("keep") blocks that survive."""
        keep_total = self.true_negative + self.false_positive
        return self.true_negative / keep_total if keep_total else 1.0


@dataclass
class LabelledResult:
    overall: Confusion = field(default_factory=Confusion)
    by_family: dict[str, Confusion] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)
    rules_fired: Counter[str] = field(default_factory=Counter)


def read_labelled(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def grouped(rows: list[dict]) -> Iterator[list[dict]]:
    """Consecutive rows sharing a ``group`` form one document; others stand alone."""
    current: list[dict] = []
    for row in rows:
        if current and (row.get("group") is None or row.get("group") != current[0].get("group")):
            yield current
            current = []
        current.append(row)
    if current:
        yield current


def judge_labelled(rows: list[dict], config: Config) -> LabelledResult:
    result = LabelledResult()
    for group in grouped(rows):
        document = Document(source="labelled", blocks=[_block(row) for row in group])
        spam.apply(document, config.spam)
        for row, block in zip(group, document.blocks, strict=True):
            removed = not block.kept
            labelled_spam = row["label"] == "spam"
            result.overall.add(labelled_spam, removed)
            result.by_family.setdefault(row["rule_family"], Confusion()).add(labelled_spam, removed)
            if removed:
                result.rules_fired[block.removal.rule] += 1
            if removed != labelled_spam:
                why = f"{block.removal.rule}: {block.removal.detail}" if removed else "kept"
                result.mistakes.append(f"[{row['label']}] {row['text'][:70]!r} -> {why}")
    return result


def _block(row: dict) -> Block:
    return Block(
        row["text"],
        kind=row.get("kind", "paragraph"),
        hidden=bool(row.get("hidden", False)),
        link_chars=int(row.get("link_chars", 0)),
    )


def print_labelled(result: LabelledResult, path: Path) -> None:
    print(f"Labelled blocks: {path}")
    print(f"{'family':<14}{'blocks':>7}{'TP':>5}{'FP':>5}{'FN':>5}{'TN':>5}")
    for family, confusion in sorted(result.by_family.items()):
        total = sum(vars(confusion).values())
        counts = vars(confusion).values()
        print(f"{family:<14}{total:>7}" + "".join(f"{count:>5}" for count in counts))
    overall = result.overall
    print(
        f"\nprecision {overall.precision:.3f}  recall {overall.recall:.3f}  "
        f"real blocks kept {overall.kept_share:.3f} "
        f"({overall.true_negative}/{overall.true_negative + overall.false_positive})"
    )
    print("rules fired: " + ", ".join(f"{rule} {n}" for rule, n in result.rules_fired.items()))
    for mistake in result.mistakes:
        print("  miss " + mistake)


# ---------------------------------------------------------------- real pages


def ground_truth_pages(bench: Path) -> Iterator[tuple[str, bytes, str]]:
    """(name, page bytes, article text) for the two extraction benches."""
    english = bench / "extraction-en"
    truth = json.loads((english / "ground-truth.json").read_text(encoding="utf-8"))
    for page in sorted((english / "html").glob("*.html.gz")):
        page_id = page.name.split(".")[0]
        yield page.name, gzip.decompress(page.read_bytes()), truth[page_id]["articleBody"]
    chinese = bench / "extraction-zh"
    for page in sorted((chinese / "original").glob("*.html")):
        cleaned = chinese / "cleaned" / f"{page.stem}.txt"
        yield page.name, page.read_bytes(), cleaned.read_text(encoding="utf-8")


_SPACE = re.compile(r"\s+")


def lost_paragraphs(document: Document, truth: str) -> list[Block]:
    """Blocks the spam stage removed whose text is article text kept nowhere else."""
    truth_text = _SPACE.sub("", truth)
    kept_text = _SPACE.sub("", "".join(block.text for block in document.kept_blocks()))
    lost = []
    for block in document.blocks:
        if block.removal is None or block.removal.stage != spam.NAME:
            continue
        text = _SPACE.sub("", block.text)
        if len(text) >= 10 and text in truth_text and text not in kept_text:
            lost.append(block)
    return lost


def judge_truth_paragraphs(truths: list[str], config: Config) -> tuple[int, list[str]]:
    """Each line of the ground-truth article texts judged alone: all are real paragraphs."""
    paragraphs = [line.strip() for truth in truths for line in truth.splitlines() if line.strip()]
    removed = []
    for paragraph in paragraphs:
        document = Document(source="truth", blocks=[Block(paragraph)])
        spam.apply(document, config.spam)
        removal = document.blocks[0].removal
        if removal is not None:
            removed.append(f"{removal.rule} ({removal.detail}): {paragraph[:70]!r}")
    return len(paragraphs), removed


def check_real_pages(bench: Path, config: Config) -> None:
    pages = removed = 0
    lost: list[str] = []
    truths: list[str] = []
    started = time.perf_counter()
    spam_seconds = 0.0
    for name, raw, truth in ground_truth_pages(bench):
        truths.append(truth)
        document = process_document(Document(source=name, raw=raw, media_type="html"), config)
        if not isinstance(document, Document):
            continue
        pages += 1
        spam_seconds += document.timings.get(spam.NAME, 0.0)
        removed += sum(1 for b in document.blocks if b.removal and b.removal.stage == spam.NAME)
        lost += [
            f"{name}: {b.removal.rule} {b.text[:70]!r}" for b in lost_paragraphs(document, truth)
        ]
    elapsed = time.perf_counter() - started
    print(f"\nReal pages with ground truth: {bench} (extraction-en + extraction-zh)")
    print(f"pages {pages}  blocks removed by spam {removed}  article paragraphs lost {len(lost)}")
    print(f"spam stage {spam_seconds * 1000 / max(1, pages):.1f} ms/page (pipeline {elapsed:.1f}s)")
    for line in lost:
        print("  lost " + line)
    total, removed_paragraphs = judge_truth_paragraphs(truths, config)
    print(
        f"ground-truth paragraphs judged alone {total}  removed {len(removed_paragraphs)}  "
        f"kept share {1 - len(removed_paragraphs) / max(1, total):.4f}"
    )
    for line in removed_paragraphs:
        print("  removed " + line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="fixtures/spam and/or the bench")
    arguments = parser.parse_args(argv)
    config = Config()
    for path in arguments.paths:
        if (path / "blocks.jsonl").exists():
            print_labelled(judge_labelled(read_labelled(path / "blocks.jsonl"), config), path)
        elif (path / "extraction-en").is_dir() and (path / "extraction-zh").is_dir():
            check_real_pages(path, config)
        else:
            parser.error(f"{path}: neither blocks.jsonl nor extraction-en/ + extraction-zh/")


if __name__ == "__main__":
    main()
