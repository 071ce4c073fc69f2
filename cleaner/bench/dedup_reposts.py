"""Labelled set of partial reposts and editors' rewrites (issue 21), split tuning/test.

Built from the bench stories (extraction-zh cleaned texts, extraction-en ground truth; never
the seeds), each story in one part by `part_of("dedup-reposts", name)`:

- excerpts: the paragraphs making up the first 25/35/45/60% of the story, in a portal's
  chrome (breadcrumb, date line, share buttons, footer) with an abridgement note;
- rewrites: 10-25% of the sentences dropped, some neighbouring sentences swapped, common
  words swapped for synonyms, a "（组图）"/"(photos)" title suffix;
- Traditional versions of both (Chinese stories);
- hard negatives: a story and the most similar other story of its part and language, both
  in the same portal chrome with the same date, as whole texts and as an excerpt of one
  against the other.

Each pair is judged by a fresh index (left added, right checked), as in `dedup.py`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from cleaner.bench.dedup import (
    SAME_STORY,
    LabelledPair,
    PairResult,
    SourceText,
    _most_similar_other,
    excerpt,
    judge,
    paragraphs,
    to_traditional,
)
from cleaner.bench.holdout import part_of
from cleaner.stages.dedup import DedupConfig

SET_NAME = "dedup-reposts"
EXCERPT_SHARES = (0.25, 0.35, 0.45, 0.6)

CHROME = {
    "zh": (
        "首页 > {section} > 正文\n{date} 来源：{site} 字号：大 中 小\n",
        "\n（本文有删节）\n责任编辑：{editor}\n分享到：微信 微博 QQ空间\n"
        "相关新闻\n24小时热榜\n{site} 版权所有 未经许可不得转载\n",
    ),
    "en": (
        "Home > {section} > Story\n{date} | {site} | Text size: A A A\n",
        "\n(This article has been abridged.)\nEdited by {editor}\nShare: Facebook Twitter "
        "Email\nMore from {site}\nTrending now\n© {site}. All rights reserved.\n",
    ),
}
SITES = {
    "zh": ("东方资讯网", "南方门户", "北国新闻网", "西部在线"),
    "en": ("Daily Herald Online", "Metro Portal", "The Example Times", "Newswire Hub"),
}
SECTIONS = {"zh": ("国内", "财经", "社会"), "en": ("World", "Business", "Local")}
EDITORS = {"zh": ("李明", "张华", "陈静"), "en": ("Ann Lee", "Tom Hart", "Ravi Das")}

# Common words and the synonym an editor puts in their place.
SYNONYMS = {
    "zh": (
        ("表示", "称"),
        ("今天", "今日"),
        ("进行", "开展"),
        ("已经", "已"),
        ("目前", "当前"),
        ("但是", "不过"),
        ("因为", "由于"),
        ("非常", "十分"),
        ("重要", "关键"),
        ("发展", "推进"),
    ),
    "en": (
        (" said", " stated"),
        (" also ", " as well "),
        (" but ", " yet "),
        (" big ", " large "),
        (" about ", " around "),
        (" help ", " assist "),
        (" people ", " residents "),
        (" new ", " fresh "),
        (" show ", " indicate "),
        (" many ", " numerous "),
    ),
}
TITLE_SUFFIX = {"zh": "（组图）", "en": " (photos)"}

_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”」』）)]*|[^。！？!?]+$")
_LATIN_SENTENCE = re.compile(r".+?(?:[.!?][\"')]*(?=\s|$)|$)\s*", re.S)


def in_chrome(text: str, language: str, rng: random.Random, date: str) -> str:
    header, footer = CHROME[language]
    fields = {
        "section": rng.choice(SECTIONS[language]),
        "site": rng.choice(SITES[language]),
        "editor": rng.choice(EDITORS[language]),
        "date": date,
    }
    return header.format(**fields) + text + footer.format(**fields)


def sentences(paragraph: str, language: str) -> list[str]:
    pattern = _LATIN_SENTENCE if language == "en" else _SENTENCE
    return [part for part in pattern.findall(paragraph) if part.strip()]


def rewrite(text: str, language: str, rng: random.Random) -> str:
    """An editor's rewrite: sentences dropped and swapped, words swapped, title suffix."""
    parts = paragraphs(text)
    split = [sentences(part, language) for part in parts]
    everything = [(p, s) for p, group in enumerate(split) for s in range(len(group))]
    dropped = set(rng.sample(everything, int(len(everything) * rng.uniform(0.10, 0.25))))
    rewritten = []
    for p, group in enumerate(split):
        kept = [sentence for s, sentence in enumerate(group) if (p, s) not in dropped]
        for s in range(0, len(kept) - 1, 2):
            if rng.random() < 0.3:
                kept[s], kept[s + 1] = kept[s + 1], kept[s]
        if kept:
            rewritten.append(("" if language == "zh" else " ").join(k.strip() for k in kept))
    result = "\n\n".join(rewritten)
    for word, synonym in SYNONYMS[language]:
        if rng.random() < 0.7:
            result = result.replace(word, synonym)
    lines = result.split("\n", 1)
    return lines[0] + TITLE_SUFFIX[language] + ("\n" + lines[1] if len(lines) > 1 else "")


def _date(rng: random.Random) -> str:
    day = f"2024-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"
    return f"{day} {rng.randint(6, 22)}:{rng.randint(10, 59)}"


def _variants(text: str, language: str) -> Iterator[tuple[str, str]]:
    yield "", text
    if language == "zh":
        yield "_traditional", to_traditional(text, language, random.Random(0))


def positive_pairs(source: SourceText, rng: random.Random) -> Iterator[LabelledPair]:
    date = _date(rng)
    for share in EXCERPT_SHARES:
        short = in_chrome(excerpt(source.text, share), source.language, rng, date)
        for suffix, variant in _variants(short, source.language):
            kind = f"excerpt_{round(share * 100)}pc{suffix}"
            yield LabelledPair("contains", kind, source.text, variant, source.name)
            yield LabelledPair("contains", kind + "_first", variant, source.text, source.name)
    edited = rewrite(source.text, source.language, rng)
    for suffix, variant in _variants(edited, source.language):
        yield LabelledPair("duplicate", f"rewrite{suffix}", source.text, variant, source.name)


def negative_pairs(
    source: SourceText, neighbour: SourceText, rng: random.Random
) -> Iterator[LabelledPair]:
    """Different stories, same topic, same chrome, same day."""
    date = _date(rng)
    names = f"{source.name}+{neighbour.name}"
    left = in_chrome(source.text, source.language, random.Random(names), date)
    right = in_chrome(neighbour.text, neighbour.language, random.Random(names), date)
    yield LabelledPair("different", "same_topic_template_day", left, right, names)
    for share in (0.25, 0.45):
        short = excerpt(neighbour.text, share)
        wrapped = in_chrome(short, neighbour.language, random.Random(names), date)
        kind = f"excerpt_{round(share * 100)}pc_of_other"
        yield LabelledPair("different", kind, left, wrapped, names)


def repost_pairs(sources: list[SourceText], seed: int = 21) -> dict[str, list[LabelledPair]]:
    """The labelled pairs of each part ("tuning", "test")."""
    parts: dict[str, list[LabelledPair]] = {"tuning": [], "test": []}
    for part, pairs in parts.items():
        rng = random.Random(f"{seed}-{part}")
        members = [s for s in sources if part_of(SET_NAME, s.name) == part]
        for source in members:
            pairs.extend(positive_pairs(source, rng))
        for source, neighbour in _most_similar_other(members):
            pairs.extend(negative_pairs(source, neighbour, rng))
    return parts


def report(results_by_part: dict[str, list[PairResult]]) -> list[str]:
    """Recall per kind and precision over all pairs, one column per part."""
    lines = [f"{'reposts and rewrites (issue 21)':<36} {'tuning':>14} {'test':>14}"]
    kinds = sorted({(r.pair.label, r.pair.kind) for rs in results_by_part.values() for r in rs})
    for label, kind in kinds:
        cells = []
        for part in ("tuning", "test"):
            group = [
                r for r in results_by_part[part] if (r.pair.label, r.pair.kind) == (label, kind)
            ]
            flagged = sum(r.relation is not None for r in group)
            cells.append(f"{flagged:>4}/{len(group):<4} flagged")
        lines.append(f"{label + ' ' + kind:<36} " + " ".join(f"{c:>14}" for c in cells))
    for name, wanted in (("recall excerpts >= 30%", _excerpt_30), ("recall rewrites", _rewrite)):
        cells = [f"{_recall(results_by_part[p], wanted):>14.3f}" for p in ("tuning", "test")]
        lines.append(f"{name:<36} " + " ".join(cells))
    cells = [f"{_precision(results_by_part[p]):>14.3f}" for p in ("tuning", "test")]
    lines.append(f"{'precision over all pairs':<36} " + " ".join(cells))
    return lines


def _excerpt_30(pair: LabelledPair) -> bool:
    share = re.match(r"excerpt_(\d+)pc", pair.kind)
    return pair.label == "contains" and share is not None and int(share.group(1)) >= 30


def _rewrite(pair: LabelledPair) -> bool:
    return pair.label == "duplicate" and pair.kind.startswith("rewrite")


def _recall(results: list[PairResult], wanted) -> float:
    group = [r for r in results if wanted(r.pair)]
    return sum(r.relation is not None for r in group) / (len(group) or 1)


def _precision(results: list[PairResult]) -> float:
    flagged = [r for r in results if r.relation is not None]
    return sum(r.pair.label in SAME_STORY for r in flagged) / (len(flagged) or 1)


def judge_parts(sources: list[SourceText], config: DedupConfig) -> dict[str, list[PairResult]]:
    return {
        part: [judge(p, config) for p in pairs] for part, pairs in repost_pairs(sources).items()
    }
