"""The spam block model: hashed character n-grams, words and block facts, one linear score.

The rules of `cleaner.rules.spam` catch the spam they were written for; this model catches
spam in phrasings nobody wrote a rule for, from what spam shares across phrasings: its
vocabulary in character n-grams and words (so it works for Chinese and English alike, and
Traditional text is folded to Simplified first), and the shape of the block (contacts,
links, keyword lists, flagged words, and how little it shares with the rest of its article).

A document is scored all at once: its blocks are normalised as one string, turned into one
array of code points, and every n-gram of every judged block is hashed into one of
2^`HASH_BITS` weights by array arithmetic (no vocabulary, no per-gram Python). The hash is
a fixed polynomial, so a block scores the same on every machine and in every process.

The weights come from `cleaner/bench/train_spam.py` (scikit-learn, a `train` extra),
trained on the tuning part of `fixtures/spam/labelled` and the tuning part of the shared
bench, and are shipped as `cleaner/models/spam_model.npz`: the non-negligible weights by
bucket, the named block facts' weights and a family guess used only to explain a removal.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from cleaner.rules.spam import BlockFacts
from cleaner.text import IDEOGRAPH, IDEOGRAPH_RANGES

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "spam_model.npz"
# The feature code and the weight file change together: a file of another version is
# refused rather than scored with features it was not trained on.
FEATURE_VERSION = 2

# 2^20 weights (4 MiB of float32 in memory): the tuning data holds about a million
# distinct n-grams and words, most seen once, so fewer buckets would make many share a
# weight. 2^18 was tried only together with other changes (0.79-0.81 cross-validated,
# against 0.84), so its own cost is not known.
HASH_BITS = 20
# Character n-gram sizes: single Han characters already carry meaning (赌, 贷), four
# characters hold most Chinese words and the stem of an English one.
GRAM_SIZES = (1, 2, 3, 4)
# Only a block's first characters give n-grams, so the cost stays bounded per block (the
# stage hands the model blocks of at most `SpamConfig.model_max_chars` anyway).
MAX_GRAM_CHARS = 600
# A block's n-grams weigh 1/sqrt(their count), but never more than for a block of this
# many: a one-word block ("Resources", "partners?") has too few n-grams to be judged on
# the weight of each.
MIN_GRAM_NORM = 60
# Below this many content tokens elsewhere in the document there is no article to be
# off-topic against (a block judged alone, a page of one paragraph).
MIN_CONTEXT_TOKENS = 30

# The named block facts, in the order of the model file's fact weights.
KINDS = ("paragraph", "caption", "list_item", "table", "metadata")
FACT_NAMES = (
    "log-chars",
    "short",
    "link-share",
    "phones",
    "messengers",
    "urls",
    "emails",
    "digit-share",
    "sentence-rate",
    "ends-sentence",
    "separators",
    "clause-rate",
    "flagged-share",
    "flagged-words",
    "sales-cues",
    "off-topic",
    "alone",
    "off-topic-commercial",
    *(f"kind-{kind}" for kind in KINDS),
)

# ---------------------------------------------------------------- normalising


_SEPARATOR = 10  # "\n" joins the blocks of a document (a block's own "\n" is a space)
_SPACE = 32
_ZERO = 48
OTHER, LETTER, WORD_INNER, HAN, SPACE = range(5)  # what a character is to the features
_PLANE = 0x10000  # the tables cover the Basic Multilingual Plane; other code points stay


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """(what each code point folds to, the class of what it folds to): one look-up per
    character does what `str.lower`, full-width folding, digit shapes, white space and a
    Traditional-to-Simplified pass would do one pass each. Built once per process (about
    30 ms), in the stage's `prepare`."""
    fold = np.array(
        [ord(low) if len(low := chr(code).lower()) == 1 else code for code in range(_PLANE)],
        dtype=np.int32,
    )
    fold[0xFF01:0xFF5F] = fold[0x21:0x7F]  # full-width forms, lowered as their ASCII
    fold[(fold >= ord("0")) & (fold <= ord("9"))] = _ZERO
    fold[[code for code in range(_PLANE) if chr(code).isspace() and code != _SEPARATOR]] = _SPACE
    han = np.concatenate(
        [
            np.arange(ord(span[0]), ord(span[2]) + 1)
            for span in re.findall(".-.", IDEOGRAPH_RANGES, re.S)
        ]
    )
    import opencc  # only here: character by character, Traditional to Simplified

    simplified = opencc.OpenCC("t2s").convert("\n".join(map(chr, han.tolist()))).split("\n")
    if len(simplified) == len(han):
        for code, form in zip(han.tolist(), simplified, strict=True):
            if len(form) == 1 and ord(form) < _PLANE:
                fold[code] = ord(form)
    classes = np.zeros(_PLANE, dtype=np.uint8)
    classes[han] = HAN
    classes[ord("a") : ord("z") + 1] = LETTER
    # Digits (all 0 once folded), apostrophes and the hyphen keep "24h", "don't" and
    # "e-mail" one word.
    classes[[ord(character) for character in "0'’-"]] = WORD_INNER
    classes[_SPACE] = SPACE
    return fold, classes[fold]


def normalised_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points the features are read from, and the class of each (`OTHER` ...),
    every block after the first preceded by one separator: lower case, Traditional Han as
    Simplified, full-width forms as ASCII, every digit a 0 (a phone number is a shape, not
    a value), white space one space, none at a block's edges or between two Han characters
    ("百 家 乐" is an evasion of word filters).

    >>> decoded = lambda texts: "".join(map(chr, normalised_codes(texts)[0]))
    >>> decoded(["午夜福利在線看 ＶＩＰ　１３８", " 百 家 乐 送 彩 金 "])
    '午夜福利在线看 vip 000\\n百家乐送彩金'
    """
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        joined = "\n".join([text.replace("\n", " ") for text in texts])
    raw = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    fold, fold_classes = _tables()
    plane = np.minimum(raw, _PLANE - 1)
    codes, classes = fold[plane], fold_classes[plane]
    beyond = np.flatnonzero(raw >= _PLANE)
    if len(beyond):
        codes[beyond], classes[beyond] = raw[beyond], OTHER
    spaces = np.flatnonzero(classes == SPACE)
    if not len(spaces):
        return codes, classes
    kept = np.ones(len(codes), dtype=bool)
    kept[spaces[~_kept_spaces(codes, classes, spaces)]] = False
    return codes[kept], classes[kept]


def _kept_spaces(codes: np.ndarray, classes: np.ndarray, spaces: np.ndarray) -> np.ndarray:
    """Of each run of white space one space (its last), unless the run starts or ends a
    block or lies between two Han characters."""
    after = spaces + 1
    inside = after < len(codes)
    following = np.where(inside, codes[np.minimum(after, len(codes) - 1)], _SEPARATOR)
    following_class = np.where(inside, classes[np.minimum(after, len(codes) - 1)], OTHER)
    run_starts = np.concatenate(([True], spaces[1:] != spaces[:-1] + 1))
    before = spaces[run_starts][np.cumsum(run_starts) - 1] - 1  # what precedes the run
    preceding = np.where(before >= 0, codes[np.maximum(before, 0)], _SEPARATOR)
    between_han = (classes[np.maximum(before, 0)] == HAN) & (following_class == HAN)
    return (
        (following_class != SPACE)
        & (following != _SEPARATOR)
        & (preceding != _SEPARATOR)
        & ~between_han
    )


# ---------------------------------------------------------------- hashing

_BASE = 0x100000001B3  # odd: the polynomial hash is invertible modulo 2^64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits are the bucket
# Words and word pairs are salted: a word's hash is its reversed n-gram's ("ba" ~ "ab").
_WORD_SALT = np.uint64(0x2545F4914F6CDD1D)
_WORD_PAIR_SALT = np.uint64(0x9FB21C651E98DF25)
_PAIR_BASE = np.uint64(0xC2B2AE3D27D4EB4F)


def _buckets(hashes: np.ndarray) -> np.ndarray:
    return ((hashes * _MIX) >> np.uint64(64 - HASH_BITS)).astype(np.int64)


class _Powers:
    """base^0, base^1 ... modulo 2^64, grown on demand and kept (read-only slices)."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.values = np.ones(1, dtype=np.uint64)

    def first(self, count: int) -> np.ndarray:
        if count > len(self.values):
            steps = np.full(max(count, 2 * len(self.values)), self.base, dtype=np.uint64)
            steps[0] = 1
            self.values = np.cumprod(steps, dtype=np.uint64)
        return self.values[:count]


_POWERS = _Powers(_BASE)
_INVERSE_POWERS = _Powers(_BASE_INVERSE)


# ---------------------------------------------------------------- words


@dataclass(frozen=True)
class Words:
    """The Latin words of a normalised document: runs of letters, digits (all 0 by now),
    apostrophes and hyphens, two or more long, holding a letter."""

    starts: np.ndarray
    ends: np.ndarray
    hashes: np.ndarray  # uint64, position-free polynomial hashes

    @classmethod
    def of(cls, codes: np.ndarray, classes: np.ndarray) -> Words:
        letter = classes == LETTER
        inner = letter | (classes == WORD_INNER)
        edges = np.diff(inner.view(np.int8), prepend=0, append=0)
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        letters = np.concatenate(([0], np.cumsum(letter)))
        keep = (ends - starts >= 2) & (letters[ends] > letters[starts])
        starts, ends = starts[keep], ends[keep]
        if not len(starts):
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty.astype(np.uint64))
        # Prefix sums of c[j] * BASE^j: a word's hash is its slice times BASE^-start.
        length = int(ends[-1])
        prefix = np.zeros(length + 1, dtype=np.uint64)
        np.cumsum(codes[:length].astype(np.uint64) * _POWERS.first(length), out=prefix[1:])
        hashes = (prefix[ends] - prefix[starts]) * _INVERSE_POWERS.first(length)[starts]
        return cls(starts, ends, hashes)


# ---------------------------------------------------------------- off-topic


def _opens_run(values: np.ndarray) -> np.ndarray:
    """Which values of a sorted array differ from the one before (the first does)."""
    opens = np.ones(len(values), dtype=bool)
    opens[1:] = values[1:] != values[:-1]
    return opens


def off_topic_shares(text: _DocumentText, judged: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each judged block: the share of its content tokens (Han bigrams, Latin words of
    3+ characters) found in no other block of the document, and whether there is an
    article to compare with (`MIN_CONTEXT_TOKENS` tokens elsewhere, one of its own)."""
    codes, block_of, words = text.codes, text.block_of, text.words
    han = text.classes == HAN
    pair_at = np.flatnonzero(han[:-1] & han[1:])
    long_word = words.ends - words.starts >= 3
    # Han code points are below 2^16, so a Han bigram is exact in 32 bits; a word's hash
    # keeps 46 bits and a flag bit above them (with the block below, 63 bits in all).
    tokens = np.concatenate(
        (
            (codes[pair_at].astype(np.int64) << 16) | codes[pair_at + 1],
            (words.hashes[long_word] >> np.uint64(18)).astype(np.int64) | (1 << 46),
        )
    )
    owners = np.concatenate((block_of[pair_at], block_of[words.starts[long_word]]))
    blocks = len(text.starts)
    if not len(tokens):
        return np.zeros(len(judged)), np.zeros(len(judged), dtype=bool)
    if blocks <= 1 << 16:
        pairs = np.sort((tokens << 16) | owners)
        pairs = pairs[_opens_run(pairs)]
        tokens, owners = pairs >> 16, pairs & 0xFFFF
    else:  # a page of 65,536+ blocks: the slower sort of two keys
        order = np.lexsort((owners, tokens))
        tokens, owners = tokens[order], owners[order]
        distinct = (tokens[1:] != tokens[:-1]) | (owners[1:] != owners[:-1])
        tokens, owners = tokens[np.append(True, distinct)], owners[np.append(True, distinct)]
    first = np.flatnonzero(_opens_run(tokens))
    holders = np.diff(first, append=len(tokens))
    shared = np.repeat(holders > 1, holders)
    own = np.bincount(owners, minlength=blocks)[judged]
    own_shared = np.bincount(owners, weights=shared, minlength=blocks)[judged]
    has_article = (own > 0) & (len(tokens) - own >= MIN_CONTEXT_TOKENS)
    share = np.where(has_article, 1.0 - own_shared / np.maximum(own, 1), 0.0)
    return share, has_article


def shared_token_shares(texts: Sequence[str], judged: np.ndarray) -> np.ndarray:
    """For each judged block, the share of its content tokens that another of `texts`
    holds (0 where the others hold fewer than `MIN_CONTEXT_TOKENS`): how far the rest of
    a story carries the block's topic on."""
    off_topic, has_article = off_topic_shares(_DocumentText.of(texts, judged), judged)
    return np.where(has_article, 1.0 - off_topic, 0.0)


# ---------------------------------------------------------------- features


@dataclass(frozen=True)
class Candidate:
    """A block the model judges: where it is among the document's texts, the facts the
    rules measured on it and its markup."""

    index: int
    facts: BlockFacts
    kind: str
    link_chars: int


@dataclass(frozen=True)
class DocumentFeatures:
    """The judged blocks of one document as model input: every hashed feature occurrence
    (its block's row and its bucket) and a row of named facts per block."""

    rows: np.ndarray  # judged block of each occurrence
    buckets: np.ndarray
    scale: np.ndarray  # what one occurrence weighs in its block
    facts: np.ndarray  # (judged blocks, len(FACT_NAMES))
    text: _DocumentText  # to read an occurrence's text back

    def row_features(self, row: int) -> list[tuple[str, int]]:
        """(readable text, bucket) of every feature occurrence of one judged block."""
        parts = self.text.occurrences(np.array([self.text.judged[row]]), with_spans=True)
        hashes = np.concatenate([part[1] for part in parts])
        starts = np.concatenate([part[2] for part in parts]).tolist()
        ends = np.concatenate([part[3] for part in parts]).tolist()
        codes = self.text.codes
        return [
            ("".join(map(chr, codes[start:end].tolist())), bucket)
            for start, end, bucket in zip(starts, ends, _buckets(hashes).tolist(), strict=True)
        ]


# rows, hashes (uint64), and with spans: where each occurrence's text starts and ends
Occurrences = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class _DocumentText:
    """A normalised document: its code points, where its blocks are, its words."""

    codes: np.ndarray
    classes: np.ndarray
    block_of: np.ndarray  # the block of each code point (a separator opens its block)
    starts: np.ndarray  # of each block
    ends: np.ndarray
    words: Words
    judged: np.ndarray  # the blocks the model judges, one row each

    @classmethod
    def of(cls, texts: Sequence[str], judged: np.ndarray) -> _DocumentText:
        codes, classes = normalised_codes(texts)
        is_separator = codes == _SEPARATOR
        separators = np.flatnonzero(is_separator)
        starts = np.concatenate(([0], separators + 1))
        ends = np.append(separators, len(codes))
        words = Words.of(codes, classes)
        return cls(codes, classes, np.cumsum(is_separator), starts, ends, words, judged)

    def occurrences(self, blocks: np.ndarray, with_spans: bool = False) -> list[Occurrences]:
        return [
            *_gram_occurrences(self.codes, self.starts[blocks], self.ends[blocks], with_spans),
            *_word_occurrences(self, blocks, with_spans),
        ]


def document_features(texts: Sequence[str], candidates: Sequence[Candidate]) -> DocumentFeatures:
    """Features of the candidate blocks, judged against all `texts` of the document."""
    judged = np.array([candidate.index for candidate in candidates], dtype=np.int64)
    text = _DocumentText.of(texts, judged)
    parts = text.occurrences(judged)
    rows = np.concatenate([part[0] for part in parts])
    buckets = _buckets(np.concatenate([part[1] for part in parts]))
    # A feature counts once in a block, however often it recurs: a table row of digits
    # repeats "0000" ten times, a phone number once, and the two must not add up alike.
    keys = np.sort((rows << HASH_BITS) | buckets)
    keys = keys[_opens_run(keys)]
    rows, buckets = keys >> HASH_BITS, keys & ((1 << HASH_BITS) - 1)
    counts = np.bincount(rows, minlength=len(judged))
    scale = 1.0 / np.sqrt(np.maximum(counts, MIN_GRAM_NORM))
    zeros = np.bincount(text.block_of[text.codes == _ZERO], minlength=len(texts))[judged]
    off_topic, has_article = off_topic_shares(text, judged)
    facts = fact_matrix(candidates, zeros, off_topic, has_article)
    return DocumentFeatures(rows, buckets, scale[rows], facts, text)


def _gram_occurrences(
    codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, with_spans: bool
) -> list[Occurrences]:
    """Character n-grams of each judged block's first `MAX_GRAM_CHARS` code points."""
    lengths = np.minimum(ends - starts, MAX_GRAM_CHARS)
    row = np.repeat(np.arange(len(starts)), lengths)
    position = np.arange(len(row)) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    text = codes[position].astype(np.uint64)
    hashes = text
    parts: list[Occurrences] = []
    for size in GRAM_SIZES:
        if size > 1:
            hashes = hashes[:-1] * np.uint64(_BASE) + text[size - 1 :]
        whole = row[: len(hashes)] == row[size - 1 :]
        if with_spans:
            at = position[: len(hashes)][whole]
            parts.append((row[: len(hashes)][whole], hashes[whole], at, at + size))
        else:
            parts.append((row[: len(hashes)][whole], hashes[whole]))
    return parts


def _word_occurrences(
    text: _DocumentText, blocks: np.ndarray, with_spans: bool
) -> list[Occurrences]:
    """Words of the given blocks (within their first `MAX_GRAM_CHARS`) and each pair of
    consecutive words: whole-word features the n-grams can only approximate."""
    words = text.words
    row_of_block = np.full(len(text.starts), -1, dtype=np.int64)
    row_of_block[blocks] = np.arange(len(blocks))
    owners = text.block_of[words.starts]
    rows = row_of_block[owners]
    inside = (rows >= 0) & (words.ends - text.starts[owners] <= MAX_GRAM_CHARS)
    rows, hashes = rows[inside], words.hashes[inside]
    together = np.flatnonzero(rows[1:] == rows[:-1])
    pair_hashes = hashes[together] * _PAIR_BASE + hashes[together + 1]
    single = (rows, hashes ^ _WORD_SALT)
    pairs = (rows[together], pair_hashes ^ _WORD_PAIR_SALT)
    if with_spans:
        word_starts, word_ends = words.starts[inside], words.ends[inside]
        single += (word_starts, word_ends)
        pairs += (word_starts[together], word_ends[together + 1])
    return [single, pairs]


_PHONES = frozenset(("mobile", "service", "landline", "phone"))
_MESSENGERS = frozenset(("wechat", "qq"))
_KIND_COLUMNS = {kind: FACT_NAMES.index(f"kind-{kind}") for kind in KINDS}
_BLOCK_FACTS = FACT_NAMES.index("off-topic")  # the facts of a block alone come first
# Each of those is capped (then divided by its cap), some counted per 100 characters:
# (cap, per 100 characters?).
_FACT_SCALES = {
    "log-chars": (1.0, False),  # replaced by the log below
    "short": (1.0, False),
    "link-share": (100, True),  # a share: 100 per 100 characters is all of it
    "phones": (3, False),
    "messengers": (2, False),
    "urls": (3, False),
    "emails": (2, False),
    "digit-share": (100 / 3, True),  # a block one third digits counts as all digits
    "sentence-rate": (5, True),
    "ends-sentence": (1.0, False),
    "separators": (20, False),
    "clause-rate": (10, True),
    "flagged-share": (100, True),
    "flagged-words": (5, False),
    "sales-cues": (3, False),
}
_CAPS = np.array([_FACT_SCALES[name][0] for name in FACT_NAMES[:_BLOCK_FACTS]])
_PER_100_CHARS = np.array([_FACT_SCALES[name][1] for name in FACT_NAMES[:_BLOCK_FACTS]])
_LOG_CHARS_CAP = math.log(2000)


def fact_matrix(
    candidates: Sequence[Candidate],
    zeros: np.ndarray,
    off_topic: np.ndarray,
    has_article: np.ndarray,
) -> np.ndarray:
    """The named facts of each judged block, each scaled to about [0, 1] so one weight
    reads alike (columns in `FACT_NAMES` order): counts capped, shares of the block's
    characters (rates per 100 characters) capped."""
    raw = np.array([_block_counts(candidate) for candidate in candidates], dtype=np.float64)
    raw = raw.reshape(len(candidates), _BLOCK_FACTS + 2)
    chars = raw[:, 0]
    counts = raw[:, :_BLOCK_FACTS]
    counts[:, FACT_NAMES.index("digit-share")] = zeros
    counts = np.where(_PER_100_CHARS, counts * (100 / chars)[:, None], counts)
    matrix = np.zeros((len(candidates), len(FACT_NAMES)), dtype=np.float32)
    matrix[:, :_BLOCK_FACTS] = np.minimum(counts, _CAPS) / _CAPS
    matrix[:, 0] = np.minimum(np.log1p(chars), _LOG_CHARS_CAP) / _LOG_CHARS_CAP
    matrix[:, _BLOCK_FACTS] = off_topic
    matrix[:, _BLOCK_FACTS + 1] = ~has_article
    matrix[:, _BLOCK_FACTS + 2] = off_topic * np.minimum(1.0, raw[:, -2])
    matrix[np.arange(len(candidates)), raw[:, -1].astype(np.int64)] = 1.0
    return matrix


def _block_counts(candidate: Candidate) -> tuple[float, ...]:
    """What the block alone gives, uncapped, in `FACT_NAMES` order up to sales-cues (the
    characters stand in log-chars' place; digit-share's is the document's to fill), then
    how many commercial cues it holds (flagged words, contacts, sales cues) and the
    column of its kind."""
    facts = candidate.facts
    chars = max(1, facts.chars)
    phones = messengers = urls = emails = 0
    for kind, _ in facts.contacts:
        phones += kind in _PHONES
        messengers += kind in _MESSENGERS
        urls += kind == "url"
        emails += kind == "email"
    flagged = facts.flagged
    cues = facts.sales_cues
    return (
        chars,
        chars < 20,
        candidate.link_chars,
        phones,
        messengers,
        urls,
        emails,
        0,
        facts.sentence_ends,
        facts.ends_like_sentence,
        facts.separators,
        facts.clauses,
        sum(len(word.replace(" ", "")) for word in flagged) if flagged else 0,
        len(set(flagged)),
        len(cues),
        len(flagged) + len(facts.contacts) + len(cues),
        _KIND_COLUMNS.get(candidate.kind, _KIND_COLUMNS["paragraph"]),
    )


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Verdict:
    probability: float
    family: str
    evidence: tuple[str, ...]


class SpamModel:
    """Hashed weights of a binary spam score, named fact weights, and a family guess."""

    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        if meta.get("feature_version") != FEATURE_VERSION or meta.get("hash_bits") != HASH_BITS:
            raise ValueError(
                f"spam model features v{meta.get('feature_version')}, code v{FEATURE_VERSION}"
            )
        if tuple(meta["fact_names"]) != FACT_NAMES:
            raise ValueError("spam model facts differ from the code's FACT_NAMES")
        self.version: str = meta["model_version"]
        self.threshold: float = meta["threshold"]
        self.bias: float = meta["bias"]
        self.families: tuple[str, ...] = tuple(meta["families"])
        self.gram_weights = np.zeros(1 << HASH_BITS, dtype=np.float32)
        self.gram_weights[arrays["gram_buckets"]] = arrays["gram_weights"]
        self.fact_weights = arrays["fact_weights"].astype(np.float32)
        self.family_bias = arrays["family_bias"].astype(np.float64)
        self.family_buckets = arrays["family_buckets"]  # sorted
        self.family_gram_weights = arrays["family_gram_weights"].astype(np.float32)
        self.family_fact_weights = arrays["family_fact_weights"].astype(np.float32)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SpamModel:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files if name != "meta"}
            meta = json.loads(str(data["meta"]))
        return cls(meta, arrays)

    def logits(self, features: DocumentFeatures) -> np.ndarray:
        gram_sums = np.bincount(
            features.rows,
            weights=self.gram_weights[features.buckets] * features.scale,
            minlength=len(features.facts),
        )
        return self.bias + gram_sums + features.facts @ self.fact_weights

    def probabilities(self, features: DocumentFeatures) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(features), -30.0, 30.0)))

    def verdict(self, features: DocumentFeatures, row: int) -> Verdict:
        """The probability, the likeliest family and the features that weighed most."""
        occurrences = features.row_features(row)
        scale = float(features.scale[features.rows == row][0]) if occurrences else 0.0
        contributions: dict[str, float] = {}
        for text, bucket in occurrences:
            contributions[text] = float(self.gram_weights[bucket]) * scale
        facts = features.facts[row]
        for name, weight, value in zip(FACT_NAMES, self.fact_weights, facts, strict=True):
            if value:
                contributions["f:" + name] = float(weight * value)
        top = sorted(
            ((name, weight) for name, weight in contributions.items() if _explains(name)),
            key=lambda item: (-item[1], item[0]),
        )
        evidence = tuple(name.removeprefix("f:") for name, weight in top[:4] if weight > 0)
        probability = float(self.probabilities(features)[row])
        return Verdict(probability, self._family(occurrences, scale, facts), evidence)

    def _family(self, occurrences: list[tuple[str, int]], scale: float, facts) -> str:
        scores = self.family_bias + facts @ self.family_fact_weights.T
        known = self.family_buckets
        buckets = np.array([bucket for _, bucket in occurrences], dtype=np.int64)
        if len(known) and len(buckets):
            places = np.minimum(np.searchsorted(known, buckets), len(known) - 1)
            found = places[known[places] == buckets]
            scores = scores + scale * self.family_gram_weights[found].sum(axis=0)
        return self.families[int(np.argmax(scores))]


def _explains(feature: str) -> bool:
    """A fact, or a gram or word a reader can read: two or more letters or Han."""
    return feature.startswith("f:") or len(_READABLE.findall(feature)) >= 2


_READABLE = re.compile(f"[a-z]|{IDEOGRAPH.pattern}")


@cache
def shipped_model() -> SpamModel:
    """The shipped model file, read once per process (with the character tables)."""
    _tables()
    return SpamModel.load()
