"""The spam block model: character n-grams and block facts, one linear score per block.

The rules of `cleaner.rules.spam` catch the spam they were written for; this model catches
spam in phrasings nobody wrote a rule for, from what spam shares across phrasings: its
vocabulary in character n-grams (so it works for Chinese and English alike, and Traditional
text is folded to Simplified first), and the shape of the block (contacts, links, keyword
lists, flagged words, and how little it shares with the rest of its article).

The weights come from `cleaner/bench/train_spam.py` (scikit-learn, a `train` extra),
trained on the tuning part of `fixtures/spam/labelled` and the tuning part of the shared
bench, and are shipped as `cleaner/models/spam_model.json`: a versioned table of named
weights. Scoring is plain Python over that table, so scikit-learn is never needed at run
time, and the same features give the same score on every machine (no hashing salted per
process).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cleaner.rules.spam import BlockFacts
from cleaner.text import IDEOGRAPH

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "spam_model.json"
# The feature code and the weight file change together: a file of another version is
# refused rather than scored with features it was not trained on.
FEATURE_VERSION = 1

# Character n-gram sizes: single Han characters already carry meaning (赌, 贷), four
# characters hold most Chinese words and the stem of an English one.
GRAM_SIZES = (1, 2, 3, 4)
# Only a block's first characters give n-grams, so the cost stays bounded per block (the
# stage hands the model blocks of at most `SpamConfig.model_max_chars` anyway).
MAX_GRAM_CHARS = 600
# The n-grams of a block weigh 1/sqrt(their count), but never more than for a block of
# this many: a one-word block ("Resources", "partners?") has too few n-grams to be judged
# on the weight of each.
MIN_GRAM_NORM = 60
# Below this many content tokens elsewhere in the document there is no article to be
# off-topic against (a block judged alone, a page of one paragraph).
MIN_CONTEXT_TOKENS = 30

_DIGITS = str.maketrans("0123456789", "0000000000")
_SPACE = re.compile(r"\s+")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9'’-]+")
_CONTENT_LATIN = re.compile(r"[a-z]{3,}")
_HAN_RUN = re.compile(f"{IDEOGRAPH.pattern}+")
_SPACED_HAN = re.compile(f"(?<={IDEOGRAPH.pattern})\\s+(?={IDEOGRAPH.pattern})")


@cache
def _to_simplified():
    import opencc  # one converter per process; only blocks with Han characters need it

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """The form features are read from: full-width folded (NFKC), lower case, Traditional
    Han as Simplified, every digit a 0 (a phone number is a shape, not a value), runs of
    white space one space.

    >>> normalise("午夜福利在線看 ＶＩＰ　１３８")
    '午夜福利在线看 vip 000'
    >>> normalise("百 家 乐 送 彩 金")
    '百家乐送彩金'
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(_DIGITS)
    if IDEOGRAPH.search(text):
        # Spaced-out Han ("百 家 乐") is an evasion of word filters; spaces mean nothing
        # between Han characters.
        text = _SPACED_HAN.sub("", _to_simplified().convert(text))
    return _SPACE.sub(" ", text).strip()


def grams_of(normalised: str) -> set[str]:
    """Character n-grams of the block's opening, and its Latin words (``w:`` prefix).

    >>> sorted(grams_of("ab"))
    ['a', 'ab', 'b', 'w:ab']
    """
    text = normalised[:MAX_GRAM_CHARS]
    grams: set[str] = set()
    length = len(text)
    for size in GRAM_SIZES:
        # Slices made by `map` run in C: a third of the time of a comprehension.
        grams.update(map(text.__getitem__, map(slice, range(length), range(size, length + 1))))
    grams.update(map("w:".__add__, _LATIN_WORD.findall(text)))
    return grams


def content_tokens(normalised: str) -> set[str]:
    """What two blocks on one subject share: Han bigrams and Latin words of 3+ letters."""
    tokens = set(_CONTENT_LATIN.findall(normalised))
    for run in _HAN_RUN.findall(normalised):
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


class DocumentVocabulary:
    """How many of a document's blocks hold each content token: the article a block is
    judged against when the model asks whether it is off-topic."""

    def __init__(self, token_sets: Sequence[set[str]]) -> None:
        self.block_counts: Counter[str] = Counter()
        for tokens in token_sets:
            self.block_counts.update(tokens)
        self.total = sum(len(tokens) for tokens in token_sets)

    def off_topic(self, tokens: set[str]) -> tuple[float, bool]:
        """(share of the block's tokens found in no other block, whether there is an
        article to compare with)."""
        if self.total - len(tokens) < MIN_CONTEXT_TOKENS or not tokens:
            return 0.0, False
        shared = sum(1 for token in tokens if self.block_counts[token] > 1)
        return 1.0 - shared / len(tokens), True


@dataclass(frozen=True)
class BlockInput:
    """What the model reads of one block: its text, markup facts and its article."""

    normalised: str
    tokens: set[str]
    kind: str
    link_chars: int
    hidden: bool


def block_input(text: str, kind: str, link_chars: int, hidden: bool) -> BlockInput:
    normalised = normalise(text)
    return BlockInput(normalised, content_tokens(normalised), kind, link_chars, hidden)


def _capped(value: float, cap: float) -> float:
    return min(value, cap) / cap


def block_facts(item: BlockInput, facts: BlockFacts, vocabulary: DocumentVocabulary):
    """Named facts of a block, each scaled to about [0, 1] so one weight reads alike."""
    chars = max(1, facts.chars)
    kinds = Counter(kind for kind, _ in facts.contacts)
    phones = kinds["mobile"] + kinds["service"] + kinds["landline"] + kinds["phone"]
    messengers = kinds["wechat"] + kinds["qq"]
    off_topic, has_article = vocabulary.off_topic(item.tokens)
    commercial = min(1.0, len(facts.flagged) + len(facts.contacts) + len(facts.sales_cues))
    digits = item.normalised.count("0")  # every digit is a 0 once normalised
    values = {
        "f:log-chars": _capped(math.log1p(chars), math.log(2000)),
        "f:short": float(chars < 20),
        "f:link-share": min(1.0, item.link_chars / chars),
        "f:hidden": float(item.hidden),
        "f:phones": _capped(phones, 3),
        "f:messengers": _capped(messengers, 2),
        "f:urls": _capped(kinds["url"], 3),
        "f:emails": _capped(kinds["email"], 2),
        "f:digit-share": min(1.0, 3 * digits / chars),
        "f:sentence-rate": _capped(facts.sentence_ends * 100 / chars, 5),
        "f:ends-sentence": float(facts.ends_like_sentence),
        "f:separators": _capped(facts.separators, 20),
        "f:clause-rate": _capped(facts.clauses * 100 / chars, 10),
        "f:flagged-share": min(1.0, facts.flagged_share),
        "f:flagged-words": _capped(len(set(facts.flagged)), 5),
        "f:sales-cues": _capped(len(facts.sales_cues), 3),
        "f:off-topic": off_topic,
        "f:alone": float(not has_article),
        "f:off-topic-commercial": off_topic * commercial,
        "f:kind-" + item.kind: 1.0,
    }
    return {name: value for name, value in values.items() if value}


def features(item: BlockInput, facts: BlockFacts, vocabulary: DocumentVocabulary):
    """(n-grams, each worth `gram_scale`; named facts with their values)."""
    return grams_of(item.normalised), block_facts(item, facts, vocabulary)


@dataclass(frozen=True)
class Verdict:
    probability: float
    family: str
    evidence: tuple[str, ...]


class SpamModel:
    """Named weights of a binary spam score and of a family guess, read from JSON."""

    def __init__(self, data: dict) -> None:
        if data.get("feature_version") != FEATURE_VERSION:
            raise ValueError(
                f"spam model features v{data.get('feature_version')}, code v{FEATURE_VERSION}"
            )
        self.version: str = data["model_version"]
        self.threshold: float = data["threshold"]
        self.bias: float = data["bias"]
        self.weights: dict[str, float] = data["weights"]
        self.family_bias: dict[str, float] = data["family_bias"]
        self.family_weights: dict[str, dict[str, float]] = data["family_weights"]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SpamModel:
        with path.open(encoding="utf-8") as file:
            return cls(json.load(file))

    def logit(self, grams: set[str], facts: dict[str, float]) -> float:
        weights = self.weights
        gram_sum = sum(map(weights.__getitem__, weights.keys() & grams))
        gram_sum *= gram_scale(grams)
        fact_sum = sum(weights.get(name, 0.0) * value for name, value in facts.items())
        return self.bias + gram_sum + fact_sum

    def probability(self, grams: set[str], facts: dict[str, float]) -> float:
        return _sigmoid(self.logit(grams, facts))

    def verdict(self, grams: set[str], facts: dict[str, float]) -> Verdict:
        """The probability, the likeliest family and the features that weighed most."""
        scale = gram_scale(grams)
        contributions = {gram: self.weights[gram] * scale for gram in self.weights.keys() & grams}
        contributions.update(
            (name, self.weights[name] * value)
            for name, value in facts.items()
            if name in self.weights
        )
        top = sorted(
            ((name, weight) for name, weight in contributions.items() if _explains(name)),
            key=lambda item: (-item[1], item[0]),
        )
        evidence = tuple(_readable(name) for name, weight in top[:4] if weight > 0)
        return Verdict(self.probability(grams, facts), self._family(grams, facts, scale), evidence)

    def _family(self, grams: set[str], facts: dict[str, float], scale: float) -> str:
        def score(family: str) -> float:
            weights = self.family_weights[family]
            total = self.family_bias[family]
            total += scale * sum(weights[gram] for gram in weights.keys() & grams)
            return total + sum(weights.get(name, 0.0) * value for name, value in facts.items())

        return max(sorted(self.family_weights), key=score)


def gram_scale(grams: set[str]) -> float:
    """What each n-gram of the block counts: the block's n-grams have unit length, unless
    the block is too short for that to mean anything."""
    return 1 / math.sqrt(max(MIN_GRAM_NORM, len(grams)))


def _sigmoid(value: float) -> float:
    if value < -30:
        return 0.0
    return 1 / (1 + math.exp(-value))


def _explains(feature: str) -> bool:
    """A fact, a word, or an n-gram a reader can read: two or more letters or Han."""
    return feature.startswith(("f:", "w:")) or len(_READABLE.findall(feature)) >= 2


_READABLE = re.compile(f"[a-z]|{IDEOGRAPH.pattern}")


def _readable(feature: str) -> str:
    return feature.removeprefix("w:") if not feature.startswith("f:") else feature[2:]


@cache
def shipped_model() -> SpamModel:
    """The shipped model file, read once per process."""
    return SpamModel.load()
