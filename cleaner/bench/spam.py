"""Spam benchmark: spam removed and real text kept, by any judge, on tuning and test parts.

Usage::

    python -m cleaner.bench.spam fixtures/spam/labelled /work/shared/bench \
        [--judge module:factory] [--per-set 60] [--seed 15] [--limit N] [--misses]
    python -m cleaner.bench.spam fixtures/spam            # the first labelled set (issue 4)

A folder whose ``blocks.jsonl`` rows carry ``family`` and ``part`` is the labelled set of
issue 15 (`fixtures/spam/labelled/README.md`): spam removed per family, real look-alike
paragraphs kept, for the tuning and the test part. A bench folder (``extraction-en/``,
``extraction-zh/``, ``extraction-web/``) gives two more measurements: the injection set
(`cleaner.bench.spam_injection`: bench articles with labelled spam of the same part put in,
as HTML and as text) and the real pages (the share of ground-truth paragraphs the judge
removes, HTML and text, with the judge's seconds per page). Without a labelled folder on
the command line the injection draws from ``fixtures/spam/labelled`` of this checkout.

The judge (`cleaner.bench.spam_judge`) is the spam stage unless ``--judge`` names another
``module:factory``; every figure is about text kept, so any judge is scored alike. Misses
are printed for the tuning part only: the test part is for the final figure.

A folder whose rows carry ``rule_family`` is the first labelled set (issue 4): one block per
line with ``text``, ``label`` ("spam" | "keep"), ``rule_family``, ``comment``, ``source`` and
optionally ``group`` (blocks sharing a group form one document, in file order, so context
rules such as ad markers see their neighbours), ``hidden``, ``kind`` and ``link_chars``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.bench.spam_injection import (
    DEFAULT_SEED,
    bench_pages,
    injected_documents,
    sample_articles,
)
from cleaner.bench.spam_judge import DEFAULT_JUDGE, Judge, load_judge
from cleaner.bench.spam_measures import (
    PARTS,
    InjectionScores,
    KeepCount,
    LabelledScores,
    PageScores,
    SpamCount,
    read_rows,
    score_injection,
    score_labelled,
    score_pages,
    totals,
)
from cleaner.config import Config
from cleaner.document import Block, Document
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


# ---------------------------------------------------------------- real pages: one block


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


# ---------------------------------------------------------------- printing (issue 15)


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.3f})" if whole else "0/0 (-)"


def print_labelled_set(scores: LabelledScores, path: Path, judge: Judge, misses: bool) -> None:
    print(f"Labelled set: {path}  (judge: {judge.name})")
    families = sorted({family for _, family in [*scores.spam, *scores.keep]})
    for part in PARTS:
        print(
            f"\n[{part}] {'family':<13} {'spam removed':>20} {'front':>6}   "
            f"{'look-alikes kept':>20}"
        )
        for family in families:
            spam_count = scores.spam.get((part, family), SpamCount())
            keep_count = scores.keep.get((part, family), KeepCount())
            print(
                f"{'':<{len(part) + 3}}{family:<13} "
                f"{_ratio(spam_count.removed, spam_count.total):>20} {spam_count.by_front:>6}   "
                f"{_ratio(keep_count.kept, keep_count.judged):>20}"
            )
        spam_total, keep_total = totals(scores.spam, part), totals(scores.keep, part)
        print(
            f"{'':<{len(part) + 3}}{'all':<13} {_ratio(spam_total.removed, spam_total.total):>20}"
            f" {spam_total.by_front:>6}   {_ratio(keep_total.kept, keep_total.judged):>20}"
            f"   (look-alikes lost before the judge: {keep_total.total - keep_total.judged})"
        )
    print(f"\njudge {scores.judge_seconds * 1000 / max(1, _rows(scores)):.2f} ms/block")
    for failure in scores.failures:
        print("  failed " + failure)
    _print_tuning_misses(scores, misses)


def _rows(scores: LabelledScores) -> int:
    return sum(count.total for count in [*scores.spam.values(), *scores.keep.values()])


def _print_tuning_misses(scores: LabelledScores, every: bool) -> None:
    """Tuning part only: the groups whose spam got through most, then (with --misses)
    every miss. The test part's misses are not printed: it is not for tuning."""
    tuning = scores.misses.get("tuning", [])
    spam_misses = Counter(miss.group for miss in tuning if miss.why == "kept")
    print("\ntuning part, spam groups missed most (missed/rows):")
    for group, missed in spam_misses.most_common(25):
        print(f"  {missed}/{scores.group_totals[group]}  {group}")
    removed = [miss for miss in tuning if miss.why != "kept"]
    print(f"tuning part, look-alikes removed by the judge: {len(removed)}")
    for miss in removed if every else removed[:10]:
        print(f"  {miss.row_id} [{miss.why}] {miss.text[:70]!r}")
    if every:
        for miss in tuning:
            if miss.why == "kept":
                print(f"  missed {miss.row_id} {miss.text[:70]!r}")


def print_injection(scores: InjectionScores, documents: int) -> None:
    print(f"\nInjection set: {documents} documents (bench articles with labelled spam put in)")
    for part in PARTS:
        spam_total = totals(scores.spam, part)
        layouts = "  ".join(
            f"{layout} {_ratio(count.removed, count.total)}"
            for (count_part, layout), count in sorted(scores.by_layout.items())
            if count_part == part
        )
        paragraphs = "  ".join(
            f"{layout} {_ratio(count.kept, count.judged)}"
            for (count_part, layout), count in sorted(scores.paragraphs.items())
            if count_part == part
        )
        print(f"[{part}] {scores.documents[part]} documents")
        print(f"  spam removed {_ratio(spam_total.removed, spam_total.total)}  ({layouts})")
        print(f"  article paragraphs kept by the judge: {paragraphs}")
        ways = "  ".join(
            f"{way} {_ratio(count.removed, count.total)}"
            for (count_part, way), count in sorted(scores.by_way.items())
            if count_part == part
        )
        print(f"  by way: {ways}")
        families = "  ".join(
            f"{family} {count.removed}/{count.total}"
            for (count_part, family), count in sorted(scores.spam.items())
            if count_part == part
        )
        print(f"  by family: {families}")
    for line in scores.lost["tuning"][:10]:
        print("  tuning paragraph lost " + line)
    for failure in scores.failures:
        print("  failed " + failure)


def print_pages(scores: PageScores) -> None:
    print("\nReal pages: ground-truth paragraphs the judge removes (HTML page; truth as text)")
    for part in PARTS:
        for layout in ("html", "text"):
            count = scores.paragraphs.get((part, layout), KeepCount())
            lost = count.judged - count.kept
            share = lost / count.judged if count.judged else 0.0
            print(
                f"[{part}] {layout:<4} pages {scores.pages[part, layout]:>5}  paragraphs "
                f"{count.total:>6}  present before the judge {count.judged:>6}  "
                f"removed {lost:>4} ({share:.4%})  "
                f"blocks removed {scores.blocks_removed[part, layout]}"
            )
    print(
        "by set (both parts): "
        + "  ".join(
            f"{name}/{layout} {count.judged - count.kept}/{count.judged}"
            for (name, layout), count in sorted(scores.by_set.items())
        )
    )
    _print_seconds(scores)
    for line in scores.lost[:30]:
        print("  tuning paragraph removed " + line)
    if len(scores.lost) > 30:
        print(f"  ... {len(scores.lost) - 30} more")
    for failure in scores.failures:
        print("  failed " + failure)


def _print_seconds(scores: PageScores) -> None:
    """The judge's time per page: on the two news sets (the README's figure) and all."""
    for label, sets in (
        ("extraction-en + extraction-zh", ("extraction-en", "extraction-zh")),
        ("all sets", None),
    ):
        times = [
            seconds
            for (name, layout), values in scores.seconds.items()
            if layout == "html" and (sets is None or name in sets)
            for seconds in values
        ]
        if times:
            print(
                f"judge on HTML pages, {label}: {sum(times) * 1000 / len(times):.2f} ms/page mean, "
                f"{statistics.median(times) * 1000:.2f} median ({len(times)} pages)"
            )


# ---------------------------------------------------------------- main


DEFAULT_LABELLED = Path(__file__).resolve().parents[2] / "fixtures" / "spam" / "labelled"


def _is_bench(path: Path) -> bool:
    return any((path / name).is_dir() for name in ("extraction-en", "extraction-zh"))


def _is_blind_set(path: Path) -> bool:
    """The issue-15 labelled set: rows name their `family` and `part`."""
    with (path / "blocks.jsonl").open(encoding="utf-8") as lines:
        first = json.loads(next(line for line in lines if line.strip()))
    return "family" in first and "part" in first


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="labelled folders and/or the bench")
    parser.add_argument("--judge", default=DEFAULT_JUDGE, help="module:factory of a Judge")
    parser.add_argument("--per-set", type=int, default=60, help="injection articles per set")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="injection seed")
    parser.add_argument("--limit", type=int, default=0, help="real pages per set (0: all)")
    parser.add_argument("--misses", action="store_true", help="print every tuning miss")
    arguments = parser.parse_args(argv)
    config = Config()
    judge = load_judge(arguments.judge, config)
    blind_rows: list[dict] | None = None
    for path in arguments.paths:
        if (path / "blocks.jsonl").exists() and _is_blind_set(path):
            blind_rows, contexts = read_rows(path)
            scores = score_labelled(blind_rows, contexts, config, judge)
            print_labelled_set(scores, path, judge, arguments.misses)
        elif (path / "blocks.jsonl").exists():
            print_labelled(judge_labelled(read_labelled(path / "blocks.jsonl"), config), path)
        elif _is_bench(path):
            if blind_rows is None and (DEFAULT_LABELLED / "blocks.jsonl").exists():
                blind_rows, _ = read_rows(DEFAULT_LABELLED)
            check_bench(path, blind_rows or [], config, judge, arguments)
        else:
            parser.error(f"{path}: neither a labelled folder (blocks.jsonl) nor the bench")


def check_bench(bench: Path, rows: list[dict], config: Config, judge: Judge, arguments) -> None:
    pages = list(bench_pages(bench))
    if rows:
        articles = sample_articles(pages, arguments.per_set, arguments.seed)
        documents = injected_documents(articles, rows, arguments.seed)
        print_injection(score_injection(documents, config, judge), len(documents))
    if arguments.limit:
        per_set: Counter[str] = Counter()
        limited = []
        for page in pages:
            per_set[page.set_name] += 1
            if per_set[page.set_name] <= arguments.limit:
                limited.append(page)
        pages = limited
    print_pages(score_pages(pages, config, judge))


if __name__ == "__main__":
    main()
