"""Benchmark of near-duplicate detection: pair quality, throughput, memory.

    python -m cleaner.bench.dedup /work/shared/bench [--docs 100000] [--seeds seeds]

Quality: a labelled pair set built from real text (the bench pages' ground-truth texts and
the seed pages): re-published copies made by the edits sites really make (dropped lead
paragraph, editor line, boilerplate, renamed company, Traditional script, re-wrapped
lines) must match; an excerpt inside its full story must be found as containment; two
different stories on one topic (the three Qingdao seed stories, two halves of one long
article, each text's most similar other text, two stories under the same site template)
must not match. Each pair is judged by a fresh index: the left text is added, then the
right one is checked. Then the partial reposts and rewrites of `dedup_reposts` (issue 21),
tuning and test parts apart.

Speed: synthetic ~1,500-character Chinese documents (characters drawn with the bench
texts' frequencies, one in ten an edited copy of an earlier one), single process.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import textwrap
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np
import opencc

from cleaner.stages.dedup import (
    DOCUMENTS_JUDGED_TOGETHER,
    DedupConfig,
    NearDuplicateIndex,
    Shingler,
)

T = TypeVar("T")

SAME_STORY = ("duplicate", "contains")


@dataclass(frozen=True)
class LabelledPair:
    """Two texts and what the index must say about the right one given the left one.

    label: "duplicate" (same story re-published), "contains" (one text is an excerpt of
    the other) or "different" (must not be flagged).
    """

    label: str
    kind: str
    left: str
    right: str
    source: str


@dataclass(frozen=True)
class SourceText:
    name: str
    text: str
    language: str  # "zh" or "en"


# --- Source texts ---------------------------------------------------------------------------


def bench_texts(bench: Path, minimum_characters: int = 400) -> list[SourceText]:
    """Ground-truth article texts of the extraction benchmarks (Chinese and English)."""
    texts = [
        SourceText(f"zh/{path.stem}", path.read_text(encoding="utf-8"), "zh")
        for path in sorted((bench / "extraction-zh" / "cleaned").glob("*.txt"))
    ]
    truth = json.loads((bench / "extraction-en" / "ground-truth.json").read_text("utf-8"))
    texts += [
        SourceText(f"en/{key[:12]}", value["articleBody"], "en")
        for key, value in sorted(truth.items())
    ]
    return [text for text in texts if len(text.text.strip()) >= minimum_characters]


# Where the three Qingdao high-tech zone stories of the seeds begin and end.
SEED_STORIES = {
    "001": ("seeds/001", "4月6日", None),
    "003-last": ("seeds/003", "5 月 12 日，科技日报记者走进青岛高新区看到", None),
    "004-first": ("seeds/004", "科创载体是实现创新成果孵化", "近日,总投资50亿元"),
}


def seed_stories(seeds: Path) -> list[SourceText]:
    """The three same-topic, different stories of issue 6, cut out of the seed pages."""
    stories = []
    for name, (prefix, start_marker, end_marker) in SEED_STORIES.items():
        path = next(seeds.glob(f"{Path(prefix).name}_*"))
        page = path.read_text(encoding="utf-8")
        start = page.index(start_marker)
        end = page.index(end_marker) if end_marker else len(page)
        stories.append(SourceText(f"seed/{name}", page[start:end], "zh"))
    return stories


# --- Edits a republishing site makes ---------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    return [part for part in re.split(r"\n\s*\n|\n", text) if part.strip()]


def drop_first_paragraph(text: str, language: str, rng: random.Random) -> str:
    parts = paragraphs(text)
    return "\n\n".join(parts[1:]) if len(parts) > 2 else text[len(text) // 6 :]


def add_editor_line(text: str, language: str, rng: random.Random) -> str:
    if language == "zh":
        source = rng.choice(["新华网", "人民网", "中国新闻网"])
        return f"来源：{source}\n\n{text}\n\n（责任编辑：王晓明）"
    return f"{text}\n\nEditing by {rng.choice(['Mark Porter', 'Jane Wardell'])}"


BOILERPLATE = {
    "zh": (
        "当前位置：首页 > 新闻中心 > 国内新闻 > 正文\n扫一扫 分享到微信 朋友圈 微博\n",
        "\n相关阅读\n热门推荐\n版权所有 © 2024 本网站 未经授权禁止转载\n"
        "关于我们 | 联系我们 | 广告服务 | 网站地图\n",
    ),
    "en": (
        "Home > World News > Article\nShare on Facebook Share on Twitter Email\n",
        "\nRelated stories\nMost read\nCopyright 2024 The Daily Example. All rights "
        "reserved.\nAbout us | Contact | Advertise | Terms of use | Privacy policy\n",
    ),
}


def add_boilerplate(text: str, language: str, rng: random.Random) -> str:
    header, footer = BOILERPLATE[language]
    return header + text + footer


def rename_company(text: str, language: str, rng: random.Random) -> str:
    """Replace every occurrence of the text's most repeated name with another name."""
    if language == "zh":
        names = Counter(re.findall(r"[\u4e00-\u9fff]{4}", text))
        replacement = "".join(rng.choice("华宇星辰恒达鑫源科技集团") for _ in range(4))
    else:
        names = Counter(re.findall(r"(?<=[a-z,] )[A-Z][a-z]{3,}", text))
        replacement = rng.choice(["Globex", "Initech", "Umbrella"])
    if not names:
        return text
    name, _ = names.most_common(1)[0]
    return text.replace(name, replacement)


def rewrap_lines(text: str, language: str, rng: random.Random) -> str:
    """Hard line breaks (every 38 characters, between words for Latin text) and the other
    punctuation style: what a PDF edition or a plain-text feed does to a story."""
    swapped = text.translate(str.maketrans("，。：；！？,.:;!?", ",.:;!?，。：；！？"))
    if language == "en":
        return textwrap.fill(swapped, width=38)
    return "\n".join(swapped[i : i + 38] for i in range(0, len(swapped), 38))


@cache
def _simplified_to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str, language: str, rng: random.Random) -> str:
    return _simplified_to_traditional().convert(text)


def republished_everywhere(text: str, language: str, rng: random.Random) -> str:
    """Several edits at once: what a portal does to a wire story."""
    text = add_boilerplate(
        add_editor_line(drop_first_paragraph(text, language, rng), language, rng), language, rng
    )
    return (
        to_traditional(text, language, rng)
        if language == "zh"
        else rename_company(text, language, rng)
    )


Edit = Callable[[str, str, random.Random], str]

DUPLICATE_EDITS: dict[str, tuple[Edit, tuple[str, ...]]] = {
    "dropped_first_paragraph": (drop_first_paragraph, ("zh", "en")),
    "editor_line": (add_editor_line, ("zh", "en")),
    "boilerplate": (add_boilerplate, ("zh", "en")),
    "renamed_company": (rename_company, ("zh", "en")),
    "traditional_script": (to_traditional, ("zh",)),
    "rewrapped_lines": (rewrap_lines, ("zh", "en")),
    "several_edits": (republished_everywhere, ("zh", "en")),
}


def excerpt(text: str, share: float) -> str:
    """The paragraphs making up the first `share` of the characters (at least one): a
    short wire version inside the full story."""
    parts = paragraphs(text)
    kept: list[str] = []
    for part in parts:
        if kept and sum(map(len, kept)) + len(part) / 2 > share * len(text):
            break
        kept.append(part)
    if len(kept) == len(parts):
        return text[: int(len(text) * share)]
    return "\n\n".join(kept)


def halves(text: str) -> tuple[str, str]:
    parts = paragraphs(text)
    middle = len(parts) // 2
    return "\n\n".join(parts[:middle]), "\n\n".join(parts[middle:])


def repeats_itself(first_half: str, second_half: str) -> bool:
    """Whether half of the second half's paragraphs are the first half's, word for word.

    Such a page (a meal plan printing the same menu for every plan, say) is one text said
    twice, so its halves are not two different stories, and labelling them "different" would
    count a true containment as a false match. Exact paragraph repetition is judged apart
    from the shingles the index uses, so the label does not follow from what is measured.
    """
    earlier = {paragraph.strip() for paragraph in paragraphs(first_half)}
    later = [paragraph.strip() for paragraph in paragraphs(second_half)]
    return bool(later) and sum(paragraph in earlier for paragraph in later) >= len(later) / 2


# --- The pair set -----------------------------------------------------------------------------


def labelled_pairs(
    sources: list[SourceText], seeds: list[SourceText], seed: int = 6
) -> list[LabelledPair]:
    rng = random.Random(seed)
    pairs = list(_duplicate_pairs(sources, rng))
    pairs += list(_containment_pairs(sources, rng))
    pairs += list(_different_pairs(sources, seeds, rng))
    return pairs


def _duplicate_pairs(sources: list[SourceText], rng: random.Random) -> Iterator[LabelledPair]:
    for source in sources:
        for kind, (edit, languages) in DUPLICATE_EDITS.items():
            if source.language in languages:
                edited = edit(source.text, source.language, rng)
                yield LabelledPair("duplicate", kind, source.text, edited, source.name)


def _containment_pairs(sources: list[SourceText], rng: random.Random) -> Iterator[LabelledPair]:
    for source in sources:
        for share in (0.5, 0.33):
            short = excerpt(source.text, share)
            kind = f"excerpt_{round(share * 100)}pc"
            yield LabelledPair("contains", f"{kind}_first", short, source.text, source.name)
            yield LabelledPair("contains", f"{kind}_last", source.text, short, source.name)


def _different_pairs(
    sources: list[SourceText], seeds: list[SourceText], rng: random.Random
) -> Iterator[LabelledPair]:
    for index, first in enumerate(seeds):
        for second in seeds[index + 1 :]:
            yield LabelledPair(
                "different",
                "seed_same_topic",
                first.text,
                second.text,
                f"{first.name}+{second.name}",
            )
    for source in sources:
        if len(source.text) >= 2000:
            first_half, second_half = halves(source.text)
            if not repeats_itself(first_half, second_half):
                yield LabelledPair("different", "two_halves", first_half, second_half, source.name)
    for source, neighbour in _most_similar_other(sources):
        yield LabelledPair(
            "different",
            "nearest_topic",
            source.text,
            neighbour.text,
            f"{source.name}+{neighbour.name}",
        )
        left = add_boilerplate(source.text, source.language, rng)
        right = add_boilerplate(neighbour.text, neighbour.language, rng)
        yield LabelledPair(
            "different", "same_template", left, right, f"{source.name}+{neighbour.name}"
        )


def _most_similar_other(sources: list[SourceText]) -> Iterator[tuple[SourceText, SourceText]]:
    """Each text with the other text of its language sharing the most words/characters."""
    vocabularies = [_topic_words(source) for source in sources]
    for index, source in enumerate(sources):
        best, best_score = None, -1.0
        for other_index, other in enumerate(sources):
            if other_index == index or other.language != source.language:
                continue
            shared = len(vocabularies[index] & vocabularies[other_index])
            score = shared / (len(vocabularies[index] | vocabularies[other_index]) or 1)
            if score > best_score:
                best, best_score = other, score
        if best is not None:
            yield source, best


def _topic_words(source: SourceText) -> set[str]:
    if source.language == "zh":
        return set(re.findall(r"[\u4e00-\u9fff]{2}", source.text))
    return {word.lower() for word in re.findall(r"[A-Za-z]{4,}", source.text)}


# --- Judging ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairResult:
    pair: LabelledPair
    relation: str | None
    similarity: float | None
    exact_jaccard: float


def judge(pair: LabelledPair, config: DedupConfig) -> PairResult:
    index = NearDuplicateIndex(config)
    index.check_and_add("left", pair.left)
    verdict = index.check_and_add("right", pair.right)
    return PairResult(
        pair, verdict.relation, verdict.similarity, exact_jaccard(index.shingler, pair)
    )


def exact_jaccard(shingler: Shingler, pair: LabelledPair) -> float:
    left = set(shingler.hashes(pair.left).tolist())
    right = set(shingler.hashes(pair.right).tolist())
    return len(left & right) / (len(left | right) or 1)


def quality_table(results: list[PairResult]) -> list[str]:
    flagged = [r for r in results if r.relation is not None]
    positives = [r for r in results if r.pair.label in SAME_STORY]
    true_positives = [r for r in flagged if r.pair.label in SAME_STORY]
    precision = len(true_positives) / (len(flagged) or 1)
    recall = len(true_positives) / (len(positives) or 1)
    right_relation = [r for r in true_positives if _relation_matches(r)]
    lines = [
        f"pairs: {len(results)} ({len(positives)} same story, "
        f"{len(results) - len(positives)} different)",
        f"pair precision: {precision:.4f}   recall: {recall:.4f}",
        "relation right among found pairs (duplicate vs contains): "
        f"{len(right_relation)}/{len(true_positives)}",
        "",
        f"{'label':<10} {'kind':<24} {'pairs':>5} {'flagged':>7} {'exact J min':>11} "
        f"{'exact J max':>11}",
    ]
    for (label, kind), group in _groups(results).items():
        jaccards = [r.exact_jaccard for r in group]
        count = sum(r.relation is not None for r in group)
        lines.append(
            f"{label:<10} {kind:<24} {len(group):>5} {count:>7} {min(jaccards):>11.3f} "
            f"{max(jaccards):>11.3f}"
        )
    return lines


def _relation_matches(result: PairResult) -> bool:
    if result.pair.label == "duplicate":
        return result.relation == "duplicate"
    return result.relation in ("contains", "contained_in")


def _groups(results: list[PairResult]) -> dict[tuple[str, str], list[PairResult]]:
    groups: dict[tuple[str, str], list[PairResult]] = {}
    for result in results:
        groups.setdefault((result.pair.label, result.pair.kind), []).append(result)
    return groups


def mistakes(results: list[PairResult]) -> list[str]:
    wrong = [r for r in results if (r.relation is not None) != (r.pair.label in SAME_STORY)]
    return [
        f"  {r.pair.label}/{r.pair.kind} {r.pair.source}: got {r.relation} "
        f"(similarity {r.similarity}, exact J {r.exact_jaccard:.3f})"
        for r in wrong
    ]


# --- Speed and memory -------------------------------------------------------------------------


def synthetic_documents(
    sources: list[SourceText], count: int, length: int = 1500, seed: int = 7
) -> Iterator[str]:
    """Chinese-like text: characters drawn with the bench texts' frequencies and punctuation.

    One document in ten is an edited copy of one of the previous hundred (5% of its
    characters changed), so the candidate and verification paths are exercised.
    """
    characters = Counter("".join(s.text for s in sources if s.language == "zh"))
    alphabet = np.array([c for c in characters if "\u4e00" <= c <= "\u9fff"])
    weights = np.array([characters[c] for c in alphabet], dtype=float)
    weights /= weights.sum()
    generator = np.random.default_rng(seed)
    recent: list[np.ndarray] = []
    for number in range(count):
        if number % 10 == 9 and recent:
            document = recent[generator.integers(len(recent))].copy()
            changed = generator.integers(0, length, length // 20)
            document[changed] = generator.choice(alphabet, len(changed), p=weights)
        else:
            document = generator.choice(alphabet, length, p=weights)
            document[generator.integers(0, length, length // 25)] = "，"
            recent = (recent + [document])[-100:]
        yield "".join(document.tolist())


@dataclass(frozen=True)
class Throughput:
    """Documents per second by the wall clock and by this process's CPU time (the machine
    is shared: CPU time is the steadier figure when other jobs run)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:,.0f} docs/s (wall), {self.cpu:,.0f} docs/s (CPU time)"


def throughput(
    work: Callable[[int, T], object], items: list[T], documents: int | None = None
) -> Throughput:
    """Documents per second of `work` over the items (documents, unless said otherwise)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for number, item in enumerate(items):
        work(number, item)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    documents = len(items) if documents is None else documents
    return Throughput(documents / wall, documents / cpu)


def speed_table(
    sources: list[SourceText], count: int, config: DedupConfig, redis_url: str | None
) -> list[str]:
    documents = list(synthetic_documents(sources, count))
    shingler = Shingler(config)
    shingling = throughput(lambda number, document: shingler.hashes(document), documents)
    index = NearDuplicateIndex(config)
    verdicts: list[str | None] = []
    one_by_one = throughput(
        lambda number, document: verdicts.append(
            index.check_and_add(str(number), document).relation
        ),
        documents,
    )
    flagged = sum(relation is not None for relation in verdicts)
    # As the pipeline's parent calls it: the records of DOCUMENTS_JUDGED_TOGETHER
    # documents in one call (one record per synthetic document).
    grouped = NearDuplicateIndex(config)
    records = [(str(number), document, None) for number, document in enumerate(documents)]
    groups = [
        records[start : start + DOCUMENTS_JUDGED_TOGETHER]
        for start in range(0, len(records), DOCUMENTS_JUDGED_TOGETHER)
    ]
    grouped_verdicts: list[str | None] = []
    in_groups = throughput(
        lambda number, group: grouped_verdicts.extend(
            verdict.relation for verdict in grouped.check_and_add_many(group)
        ),
        groups,
        len(documents),
    )
    if grouped_verdicts != verdicts:
        raise AssertionError("grouped and one-by-one verdicts differ")
    reference = _datasketch_reference_speed(documents[:2000], config)
    lines = [
        f"documents: {count:,} x ~{len(documents[0])} characters, single process",
        f"shingling only (normalise + tokens + hashes): {shingling}",
        "fingerprint + band/anchor query + verification + insert, "
        f"{DOCUMENTS_JUDGED_TOGETHER} documents per call (as the pipeline): {in_groups}",
        f"  = {in_groups.cpu / shingling.cpu:.0%} of shingling speed (CPU); flagged {flagged}"
        f" (synthetic copies: {count // 10})",
        f"  one document per call (check_and_add), same verdicts: {one_by_one}",
        f"reference, datasketch update_batch over Python char 5-grams: {reference}",
    ]
    if redis_url:
        shared = NearDuplicateIndex(config, redis_url)
        on_redis = throughput(
            lambda number, document: shared.check_and_add(f"r{number}", document),
            documents[:2000],
        )
        shared.close()
        lines.append(f"check_and_add with the index in Redis ({redis_url}, 2,000 docs): {on_redis}")
    return lines


def _datasketch_reference_speed(documents: list[str], config: DedupConfig) -> Throughput:
    from datasketch import MinHash

    def sign(number: int, document: str) -> None:
        minhash = MinHash(num_perm=config.num_perm)
        minhash.update_batch(
            [document[i : i + 5].encode("utf-8") for i in range(len(document) - 4)]
        )

    return throughput(sign, documents)


def memory_table(
    sources: list[SourceText], count: int, config: DedupConfig, index_path: Path
) -> list[str]:
    documents = list(synthetic_documents(sources, count, seed=8))
    # A fresh index each time: one left by an earlier run (or another version) would be
    # added to, or refused for its settings.
    index_path.unlink(missing_ok=True)
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    index = NearDuplicateIndex(config, index_path)
    for number, document in enumerate(documents):
        index.check_and_add(str(number), document)
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    index.close()
    samples = len(index.store.samples)  # type: ignore[union-attr]
    return [
        f"memory per indexed document (tracemalloc, {count} docs): "
        f"{(after - before) / count:,.0f} bytes",
        f"  of which verification sample: {4 * samples / count:,.0f} bytes, "
        f"signature: {4 * config.num_perm} bytes",
        f"index file per document: {index_path.stat().st_size / count:,.0f} bytes",
    ]


# Sources of the test fixture: short texts (to keep the fixture small) of both languages.
FIXTURE_SOURCES = (
    "zh/9890f458-7af7-4e96-a507-6eb1b359d675",
    "zh/59562291-5657-476d-9902-ad76b53ef82b",
    "en/432362af0be4",
    "en/c467d507551a",
)


def write_fixture(bench: Path, path: Path) -> int:
    """Write the labelled pairs of a few short sources as JSON lines (the seed stories are
    in the repository already: tests cut them out of seeds/ with `seed_stories`)."""
    sources = [s for s in bench_texts(bench) if s.name in FIXTURE_SOURCES]
    pairs = labelled_pairs(sources, [])
    with open(path, "w", encoding="utf-8") as stream:
        for pair in pairs:
            stream.write(json.dumps(pair.__dict__, ensure_ascii=False) + "\n")
    return len(pairs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared bench folder")
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[2] / "seeds")
    parser.add_argument("--docs", type=int, default=100_000, help="synthetic documents for speed")
    parser.add_argument("--memory-docs", type=int, default=20_000)
    parser.add_argument("--index-file", type=Path, default=Path("/tmp/cleaner-bench-dedup.npz"))
    parser.add_argument("--redis", help="also time a Redis index: redis://host:port/db")
    parser.add_argument("--write-fixture", type=Path, help="write the test pair fixture and stop")
    arguments = parser.parse_args(argv)
    if arguments.write_fixture:
        count = write_fixture(arguments.bench, arguments.write_fixture)
        print(f"wrote {count} pairs to {arguments.write_fixture}")
        return
    config = DedupConfig()
    sources = bench_texts(arguments.bench)
    pairs = labelled_pairs(sources, seed_stories(arguments.seeds))
    results = [judge(pair, config) for pair in pairs]
    print("\n".join(quality_table(results)))
    print("\n".join(["", "mistakes:"] + (mistakes(results) or ["  none"])))
    # Imported here: the repost set builds on this module's edits.
    from cleaner.bench.dedup_reposts import judge_parts, report

    print("\n".join([""] + report(judge_parts(sources, config))))
    if arguments.docs:
        print("\n".join([""] + speed_table(sources, arguments.docs, config, arguments.redis)))
    if arguments.memory_docs:
        print(
            "\n".join(
                [""] + memory_table(sources, arguments.memory_docs, config, arguments.index_file)
            )
        )


if __name__ == "__main__":
    main()
