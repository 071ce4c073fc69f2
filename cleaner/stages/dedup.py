"""Dedup stage: near-duplicate stories across documents, sources and runs.

Unlike the per-document stages, dedup sees every record of the run, in input order. The
pipeline hands the records of a few consecutive documents to
`NearDuplicateIndex.check_and_add_many` (the verdicts of `check_and_add` on each in turn,
for a fraction of the numpy calls) and copies each verdict into its record.

How one text becomes something an index can compare (each step below has its own function):

1. **Normalise**: Traditional -> Simplified (OpenCC ``t2s``), then per character NFKC and
   lowercase, punctuation and white space folded away. A story and its Traditional copy
   share ~9% of their raw shingles and ~99% after this step.
2. **Shingle**: every CJK character is a token, every other run of letters/digits is a
   word token; a shingle is a run of consecutive tokens (5 characters for CJK text, 5 words
   for Latin text). Shingles are hashed to 32 bits in numpy, with no Python loop per
   shingle.
3. **Sign**: a 128-permutation MinHash computed in one vectorised step with datasketch's
   permutation table (`lsh_tables`; bit-identical to ``MinHash.update_batch`` given the
   same 32-bit hashes).
4. **Find candidates** in our own band table: the bands and rows datasketch's
   `MinHashLSH` chooses for a Jaccard of 0.25 (42 bands of 3 rows; `lsh_tables`), low
   enough that
   partial overlaps (a wire story inside a longer feature) are found too, each band
   hashed to a 32-bit key and posted as one uint64 in sorted numpy arrays with a
   directory (`PostingTable`).
   Beside the bands, an inverted index of **anchors** (each record's 64 smallest shingle
   hashes, a bottom-k sketch) finds texts that hold a small share of a longer one: an
   excerpt of a quarter of a story shares ~14 anchors with it but has a Jaccard of ~0.22,
   which 42x3 bands find only a third of the time. A query reads (and the tables keep)
   the earliest 32 records per band key and per anchor, and at most 32 candidates are
   verified, so 10,000 copies of one story cost a record no more than a few.
5. **Verify** every candidate on a consistent sample of shingle hashes kept per record
   (every hash below a fixed cut, about a quarter of them; all of them for short texts):
   Jaccard and the containment of each text in the other are counted exactly on the
   sample. Only a verified pair is reported: a `duplicate` when the Jaccard is high, else
   `contains` / `contained_in` when most of the shorter text is inside the longer.

The index stores signatures and samples, never texts. Per 1,500-character record: 512
bytes of signature, ~1.4 KB of sample, 8 bytes per band and anchor posting (0.8 KB) and the
id: ~3.3 KB in memory (columns of numpy arrays, `MemoryRecordStore`), 2 KB in the index
file. It persists to a file of our own format (numpy ``.npz`` read with
``allow_pickle=False``) or lives in Redis (a hash of packed records and one capped list
per band key and anchor), so several processes share one index. Figures and the pair set:
``python -m cleaner.bench.dedup ../shared/bench``; scale and memory:
``python -m cleaner.bench.dedup_scale ../shared/bench``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import struct
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, unquote, urlparse

import numpy as np

from cleaner.locks import LockedError, RunLock
from cleaner.stages.lsh_tables import band_layout, permutation_table

if TYPE_CHECKING:
    import opencc

# OpenCC and datasketch are imported where first used (`lsh_tables`): datasketch imports
# scipy (0.3-0.5 s), which a command that never indexes (diff, config) must not pay for.

NAME = "dedup"

# Bumped whenever normalisation or shingling changes: hashes made by another version are
# not comparable, so an index written by it must be rebuilt, not silently mixed.
FINGERPRINT_VERSION = 1


@dataclass(frozen=True)
class DedupConfig:
    # On by default: flagging copies drops nothing (--drop-duplicates does); --no-dedup
    # turns it off for runs that must not read or extend an index.
    enabled: bool = True
    # Shingle of 5 CJK characters (about three Chinese words): short enough that a changed
    # company name or a Traditional/Simplified variant character only spoils the 5 shingles
    # around it, long enough that different stories on one topic ("青岛高新区生物医药产业")
    # share few: seeds 001/003/004 have Jaccard 0.013-0.022 at 5, 0.038-0.047 at 3.
    cjk_shingle_size: int = 5
    # Shingle of 5 words for Latin-script text, the usual w-shingling size for news: each
    # English bench article and its most similar other article share <= 0.14 (0.17 at 3
    # words); a copy with a renamed company keeps >= 0.65 (0.76 at 3), far above 0.5.
    latin_shingle_size: int = 5
    # MinHash permutations. 128 gives a Jaccard estimate within +-0.045 (one standard
    # deviation at J=0.5) for the LSH; verification does not rely on it (see sample_*).
    num_perm: int = 128
    # Seed of datasketch's permutation table. Part of the index fingerprint.
    seed: int = 1
    # Jaccard the LSH is tuned for: datasketch derives 42 bands of 3 rows, which finds a
    # pair at J=0.33 with probability 0.78, J=0.45 0.97, J>=0.5 0.99, so a containment is
    # found when the shorter text is at least ~45% of the longer; unrelated texts (J~0.01)
    # collide with probability 4e-5. At 0.2 (28 bands of 2) a story would collide with 0.3%
    # of all unrelated ones: 300 candidates to verify per query in a 100,000-story index.
    candidate_threshold: float = 0.25
    # Verified Jaccard from which two texts are the same story. In the labelled pair set
    # (python -m cleaner.bench.dedup) a copy with one edit (dropped lead paragraph, editor
    # line, boilerplate, renamed company, Traditional script, re-wrapped lines) has exact
    # Jaccard >= 0.646; different stories on one topic <= 0.16, except the two halves of one
    # heavily templated meal-plan page (0.46).
    duplicate_threshold: float = 0.5
    # Share of the longer text a duplicate must share with the shorter one; below it the
    # longer text has too much of its own (an excerpt of half a story) and the pair is a
    # containment. A copy without its lead paragraph keeps >= 0.7 in the pair set.
    duplicate_coverage: float = 0.6
    # Share of the shorter text's shingles found in the longer one from which it is reported
    # as contained (a wire story inside a feature). A portal's excerpt of a third of a story
    # keeps 0.65-0.98 (its own chrome and notes are the rest); excerpts of another story of
    # the same topic, template and day score <= 0.38 (python -m cleaner.bench.dedup, tuning
    # part). The two halves of one meal-plan page, which repeat the same menus, reach 0.76.
    containment_threshold: float = 0.6
    # Share of shingle hashes kept per record for verification (every hash below one fixed
    # cut, so two records' samples are comparable). A quarter keeps ~375 hashes (1.5 KB)
    # for a 1,500-character article: a Jaccard estimate within +-0.03.
    sample_fraction: float = 0.25
    # Texts with at most this many shingles keep all their hashes: a quarter of a short
    # text is too few to verify with.
    keep_all_below: int = 256
    # Upper bound of hashes kept per record (the smallest ones), so one huge page cannot
    # dominate memory. 2,048 covers a ~8,000-character article at the quarter rate.
    max_sample: int = 2048
    # Containment anchors: each record's this many smallest shingle hashes (a bottom-k
    # sketch) are posted in an inverted index. An excerpt holding a share s of a longer
    # story shares about 0.9 * s * 64 of them with it whatever its length (14 at s = 0.25),
    # where the bands need a Jaccard the excerpt does not have (0.22 at s = 0.25: found by
    # 42x3 bands with probability 0.36).
    anchor_count: int = 64
    # Fewest anchors a record must share with an indexed one to be verified against it:
    # a 20% excerpt shares ~11 (P(< 4) < 0.1%); different stories on one topic ~2.
    anchor_min_shared: int = 4
    # Most records kept per anchor (the earliest): a story with 10,000 copies costs a
    # query at most anchor_count * anchor_postings ids, and the earliest copies, which
    # the cluster points at, stay findable.
    anchor_postings: int = 32
    # Most records a query reads per band key (the earliest), for the same reason: 10,000
    # copies of one story share every band key, and each later copy verifies at most 32 of
    # them. Only queries are bounded (the table keeps every posting, 8 bytes each), so the
    # value can change between runs over one index.
    band_postings: int = 32
    # Most candidates verified per query (the ones whose signatures agree most): bounds
    # the cost of a text that collides with a thousand boilerplate-heavy pages. As many
    # as one band key or anchor keeps: a new copy of a story with 10,000 copies verifies
    # 32 of them in 0.9 ms (100: 1.5 ms, a sixth of the whole run's time with one such
    # story among ten documents) and joins the same cluster. No bench pair has more.
    max_candidates: int = 32
    # Most new records looked up and posted in one step by `check_and_add_many` (the
    # verdicts do not depend on it). numpy's per-call overhead is most of a record's
    # look-up; past a few dozen records a batch saves little more (measured at 10,000
    # documents: 1 / 4 / 16 / 64 records, 142 / 62 / 43 / 38 microseconds per record).
    lookup_batch: int = 64
    # Texts with fewer shingles than this are neither compared nor indexed: one changed
    # word moves the Jaccard of a one-line text by more than any threshold.
    min_shingles: int = 10
    # Only the first this many characters of a text are fingerprinted: it bounds the work
    # arrays of one text (~30 bytes per character) and a 200,000-character "article" is a
    # dump, not a news story (the longest bench article has 53,000).
    max_characters: int = 200_000
    # Key prefix of everything the index writes to Redis.
    redis_namespace: str = "cleaner-dedup"


# Documents whose records the pipeline has the index judge in one call
# (`check_and_add_many`): the verdicts are those of one record at a time, and numpy's
# per-call overhead, most of a look-up's cost, is paid once per group. The pipeline
# writes a group's documents after it, so an interrupted run redoes at most this many
# when resumed. 16 (about 16 records) cuts a record's look-up from ~140 to ~45
# microseconds at 10,000 indexed documents; 64 gained ~5 more while holding four times
# as many documents in the parent.
DOCUMENTS_JUDGED_TOGETHER = 16


@dataclass(frozen=True)
class DedupVerdict:
    """What the index says about one record, relative to the records indexed before it.

    relation: None (no near duplicate), "duplicate", "contains" or "contained_in".
    other: the id of the earlier record the relation points at.
    similarity: verified Jaccard for a duplicate, containment of the contained text for
    "contains"/"contained_in".
    cluster: the id of the earliest record of this record's group (its own id when it
    starts a group; for a duplicate, the cluster of `other`).
    """

    relation: str | None = None
    other: str | None = None
    similarity: float | None = None
    cluster: str | None = None


class DedupIndexError(ValueError):
    """The index location cannot be used (wrong format, other settings, bad URL)."""


# --- 1. Normalisation ----------------------------------------------------------------------

# Character classes of the lookup table.
SEPARATOR, WORD_CHARACTER, CJK_CHARACTER = 0, 1, 2

# Scripts written without spaces, or whose syllables we shingle one by one: Han (with
# radicals and compatibility ideographs), kana, bopomofo, Hangul syllables.
CJK_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)

# Blocks where no code point changes under NFKC or lowercase (unified ideographs, Hangul
# syllables, private use, unassigned planes): identity without asking `unicodedata`.
STABLE_RANGES = ((0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xF8FF), (0x30000, 0x10FFFF))
# Above this, every code point is unassigned or private use: a separator.
_LAST_CLASSIFIED = 0x2FFFF


class CharacterTables:
    """Per code point: what it folds to, its class, and whether folding needs context.

    Filled lazily: a code point is worked out (`_fold_one`, `_character_class`) the first
    time a text holds it, then looked up in numpy. Building all 1.1 million entries up
    front took 0.25-0.7 s per process, more than folding a few hundred pages; a news
    corpus meets a few thousand distinct characters. Entries are the same either way.
    """

    def __init__(self) -> None:
        size = 0x110000
        self.folded = np.arange(size, dtype=np.uint32)  # lower(NFKC(c)) when one character
        self.character_class = np.zeros(size, dtype=np.uint8)  # SEPARATOR, WORD, CJK
        self.needs_string_folding = np.zeros(size, dtype=bool)  # expands, composes, compat
        self.known = np.zeros(size, dtype=bool)

    def learn(self, code_points: np.ndarray) -> None:
        """Work out the entries of the code points not seen before, and of what they fold
        to (so a folded text's classes can be looked up without learning it again)."""
        new = code_points[~self.known[code_points]]
        if len(new) == 0:
            return
        waiting = np.unique(new).tolist()
        while waiting:
            code = waiting.pop()
            if self.known[code]:
                continue
            if not _is_stable(code):
                _fold_one(code, self.folded, self.needs_string_folding)
            self.character_class[code] = _character_class(code)
            self.known[code] = True
            waiting.append(int(self.folded[code]))


# Process-wide on purpose: every entry is a pure function of its code point (Unicode's own
# tables), so whichever index or worker filled it, each lookup gives the same answer, and
# one 6 MB copy per process serves every index and every settings.
@cache
def character_tables() -> CharacterTables:
    """One lazily filled set of lookup tables per process (6 MB)."""
    return CharacterTables()


def _is_stable(code: int) -> bool:
    return any(start <= code <= end for start, end in STABLE_RANGES)


def _fold_one(code: int, folded: np.ndarray, needs_string: np.ndarray) -> None:
    if 0xD800 <= code <= 0xDFFF:  # surrogates cannot be normalised alone
        return
    character = chr(code)
    result = unicodedata.normalize("NFKC", character).lower()
    combines = any(unicodedata.combining(c) or 0x1100 <= ord(c) <= 0x11FF for c in result)
    # A compatibility ideograph, a Kangxi radical ("⾒" -> "見"), an enclosed ideograph
    # ("㊙" -> "秘"): what NFKC makes of it is Han, and may be Traditional.
    becomes_han = result != character and any(
        _character_class(ord(c)) == CJK_CHARACTER for c in result
    )
    if len(result) == 1 and not combines and not becomes_han:
        folded[code] = ord(result)
    elif result != character or combines:
        # NFKC of the whole string is needed: an expansion ("½" -> "1⁄2"), a combining
        # mark that composes with its neighbour, or a character that becomes Han and must
        # be unified before the Traditional -> Simplified conversion.
        needs_string[code] = True


def _character_class(code: int) -> int:
    """A letter or digit is a word character, a CJK one when in a CJK block."""
    if code == 0x3007:
        return CJK_CHARACTER  # 〇 (zero) is a Han numeral but not alphanumeric
    if code > _LAST_CLASSIFIED or not chr(code).isalnum():
        return SEPARATOR
    in_cjk = any(start <= code <= end for start, end in CJK_RANGES)
    return CJK_CHARACTER if in_cjk else WORD_CHARACTER


# Process-wide on purpose: the converter is a read-only dictionary loaded once (its
# conversion keeps no state between calls): one per process instead of one per index.
@cache
def _traditional_to_simplified() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def fold_text(text: str) -> np.ndarray:
    """Code points of `text` after t2s, NFKC and lowercase (separators still in place).

    The common case is one OpenCC call and two numpy lookups; a text holding a character
    whose NFKC form depends on its neighbours (or a compatibility ideograph, which must be
    unified before t2s) goes through `unicodedata.normalize` first.
    """
    tables = character_tables()
    code_points = _code_points(_simplified(text))
    tables.learn(code_points)
    if tables.needs_string_folding[code_points].any():
        code_points = _code_points(_simplified(unicodedata.normalize("NFKC", text)))
        tables.learn(code_points)
    return tables.folded[code_points]  # learnt with the code points they fold from


def _simplified(text: str) -> str:
    try:
        return _traditional_to_simplified().convert(text)
    except UnicodeEncodeError:
        # Lone surrogates (from a lenient decoder) cannot go through OpenCC: drop them.
        return _traditional_to_simplified().convert(text.encode("utf-8", "replace").decode())


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def normalised_tokens(text: str) -> list[str]:
    """The tokens shingles are made of, as text (for tests and for reading by eye)."""
    code_points, starts, ends = _tokens(fold_text(text))
    return ["".join(map(chr, code_points[s:e])) for s, e in zip(starts, ends, strict=True)]


def _tokens(folded: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kept code points and each token's [start, end) in them.

    A CJK character is a token by itself; a run of other letters/digits is one token.
    Separators are dropped, so a line break inside a CJK word (PDF-wrapped pages) or a
    different punctuation style changes nothing.
    """
    classes = character_tables().character_class[folded]
    positions = np.flatnonzero(classes != SEPARATOR)
    kept = folded[positions]
    kept_classes = classes[positions]
    if len(kept) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return kept, empty, empty
    is_start = np.ones(len(kept), dtype=bool)
    is_cjk = kept_classes == CJK_CHARACTER
    is_start[1:] = (positions[1:] != positions[:-1] + 1) | is_cjk[1:] | is_cjk[:-1]
    starts = np.flatnonzero(is_start)
    ends = np.append(starts[1:], len(kept))
    return kept, starts, ends


# --- 2. Shingles ---------------------------------------------------------------------------

# Polynomial hash over code points, modulo 2**64 (numpy's wrapping uint64 arithmetic); any
# span's hash comes from two prefix sums and one multiplication by an inverse power.
_HASH_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_HASH_BASE_INVERSE = pow(_HASH_BASE, -1, 1 << 64)
# Multiply-shift constant folding a 64-bit span hash to 32 bits.
_FOLD_MULTIPLIER = np.uint64(0xD6E8FEB86659FD93)


class Shingler:
    """Turns a text into the 32-bit hashes of its shingles."""

    def __init__(self, config: DedupConfig) -> None:
        self.cjk_size = config.cjk_shingle_size
        self.latin_size = config.latin_shingle_size
        self._powers = np.ones(1, dtype=np.uint64)
        self._inverse_powers = np.ones(1, dtype=np.uint64)

    def hashes(self, text: str) -> np.ndarray:
        """uint32 hash of every shingle, in text order (repeats kept)."""
        kept, starts, ends = _tokens(fold_text(text))
        if len(starts) == 0:
            return np.zeros(0, dtype=np.uint32)
        size = self.shingle_size(kept[starts])
        first_tokens = np.arange(max(1, len(starts) - size + 1))
        last_tokens = np.minimum(first_tokens + size, len(starts)) - 1
        return self._span_hashes(kept, starts[first_tokens], ends[last_tokens])

    def shingle_size(self, first_characters: np.ndarray) -> int:
        """CJK size when most tokens are CJK characters, else the word size."""
        classes = character_tables().character_class[first_characters]
        cjk_share = np.count_nonzero(classes == CJK_CHARACTER) / len(classes)
        return self.cjk_size if cjk_share >= 0.5 else self.latin_size

    def _span_hashes(self, kept: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        powers, inverse_powers = self._power_tables(len(kept))
        prefix = np.zeros(len(kept) + 1, dtype=np.uint64)
        np.cumsum(kept.astype(np.uint64) * powers, out=prefix[1:])
        spans = (prefix[ends] - prefix[starts]) * inverse_powers[starts]
        return ((spans * _FOLD_MULTIPLIER) >> np.uint64(32)).astype(np.uint32)

    def _power_tables(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self._powers) < length:
            size = max(length, 2 * len(self._powers))
            self._powers = _geometric(_HASH_BASE, size)
            self._inverse_powers = _geometric(_HASH_BASE_INVERSE, size)
        return self._powers[:length], self._inverse_powers[:length]


def _geometric(base: int, size: int) -> np.ndarray:
    """1, base, base**2, ... modulo 2**64."""
    factors = np.full(size, base, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors, dtype=np.uint64)


# --- 3. Signatures and samples -------------------------------------------------------------

_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_MAX_HASH = (1 << 32) - 1


def mix32(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, the pre-mix datasketch's ``affine32`` scheme applies."""
    shift1, multiplier1, shift2, multiplier2 = _FMIX32
    mixed = hashes ^ (hashes >> shift1)
    mixed = mixed * multiplier1
    mixed ^= mixed >> shift2
    mixed = mixed * multiplier2
    return mixed ^ (mixed >> shift1)


class Signer:
    """MinHash signatures with one permutation table, computed a block of shingles at a time.

    `block` bounds the work buffer (num_perm x block uint32: 4 MB at 128 x 8,192), so a
    megabyte-long page costs time, not memory; a news article fits in one block.
    """

    def __init__(self, num_perm: int, seed: int, block: int = 8192) -> None:
        # datasketch's own table, so signatures equal MinHash.update_batch's.
        multipliers, offsets = permutation_table(num_perm, seed)
        self.seed = seed
        self.block = block
        self._multipliers = multipliers[:, None]
        self._offsets = offsets[:, None]
        self._buffer = np.empty(0, dtype=np.uint32)

    def signature(self, mixed_hashes: np.ndarray) -> np.ndarray:
        """Minimum of a*h+b mod 2**32 per permutation over the (pre-mixed) hashes."""
        signature = self._block_minimum(mixed_hashes[: self.block])
        for start in range(self.block, len(mixed_hashes), self.block):
            block_minimum = self._block_minimum(mixed_hashes[start : start + self.block])
            np.minimum(signature, block_minimum, out=signature)
        return signature

    def _block_minimum(self, mixed_hashes: np.ndarray) -> np.ndarray:
        cells = len(self._multipliers) * len(mixed_hashes)
        if len(self._buffer) < cells:
            self._buffer = np.empty(cells, dtype=np.uint32)
        # One reused, contiguous block: a strided view of a wider one is 2x slower.
        permuted = self._buffer[:cells].reshape(len(self._multipliers), len(mixed_hashes))
        np.multiply(self._multipliers, mixed_hashes[None, :], out=permuted)
        np.add(permuted, self._offsets, out=permuted)
        return permuted.min(axis=1)


def verification_sample(mixed_hashes: np.ndarray, config: DedupConfig) -> tuple[np.ndarray, int]:
    """The sorted distinct hashes kept to verify candidates, and the cut they lie under.

    Every record keeps all its hashes below one global cut (or all of them when short, or
    its `max_sample` smallest when long), so for two records the hashes below the lower of
    their two cuts are an unbiased, comparable sample of both shingle sets.
    """
    if len(mixed_hashes) <= config.keep_all_below:
        return _sorted_distinct(mixed_hashes), _MAX_HASH
    limit = int(config.sample_fraction * _MAX_HASH)
    sample = _sorted_distinct(mixed_hashes[mixed_hashes <= limit])
    if len(sample) > config.max_sample:
        sample = sample[: config.max_sample]
        limit = int(sample[-1])
    return sample, limit


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2's hash-based unique is 5x slower on these sizes."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


@dataclass(frozen=True)
class Fingerprint:
    """What one text contributes to the index: no text, only hashes."""

    signature: np.ndarray  # uint32[num_perm]
    sample: np.ndarray  # sorted distinct uint32 mixed shingle hashes
    sample_limit: int
    shingle_count: int


@dataclass(frozen=True)
class StoredRecord:
    record_id: str
    sequence: int
    cluster: str
    fingerprint: Fingerprint


# --- 4. Verification -----------------------------------------------------------------------


@dataclass(frozen=True)
class Overlap:
    """Similarity of a new text and an indexed one, counted on their samples."""

    jaccard: float
    new_in_old: float  # share of the new text's sampled shingles found in the old one
    old_in_new: float
    evidence: int  # sampled shingles of the union the figures were counted on


# Below this many sampled shingles in the smaller restricted sample, containment is not
# estimated (8 shingles: one chance hit moves it by 0.125) and the Jaccard comes from the
# MinHash signatures instead.
MIN_EVIDENCE = 8


def estimate_overlap(new: Fingerprint, old: Fingerprint) -> Overlap:
    """Jaccard and both containments, exact on the common part of the two samples."""
    limit = min(new.sample_limit, old.sample_limit)
    new_sample = new.sample[: np.searchsorted(new.sample, limit, side="right")]
    old_sample = old.sample[: np.searchsorted(old.sample, limit, side="right")]
    if min(len(new_sample), len(old_sample)) < MIN_EVIDENCE:
        agreement = float(np.mean(new.signature == old.signature))
        return Overlap(agreement, 0.0, 0.0, 0)
    shared = len(np.intersect1d(new_sample, old_sample, assume_unique=True))
    union = len(new_sample) + len(old_sample) - shared
    return Overlap(shared / union, shared / len(new_sample), shared / len(old_sample), union)


def relation_of(overlap: Overlap, config: DedupConfig) -> tuple[str | None, float]:
    """("duplicate" | "contains" | "contained_in" | None, similarity) for a new text.

    A duplicate must also cover most of the longer text: an excerpt of half a story has a
    Jaccard of 0.5 with it but is a containment, not a copy.
    """
    shorter_inside = max(overlap.new_in_old, overlap.old_in_new)
    longer_inside = min(overlap.new_in_old, overlap.old_in_new)
    copy_like = overlap.jaccard >= config.duplicate_threshold
    if copy_like and longer_inside >= config.duplicate_coverage:
        return "duplicate", overlap.jaccard
    if shorter_inside >= config.containment_threshold:
        if overlap.new_in_old >= overlap.old_in_new:
            return "contained_in", overlap.new_in_old
        return "contains", overlap.old_in_new
    if copy_like:
        return "duplicate", overlap.jaccard
    return None, overlap.jaccard


# --- 4b. Verification of many candidates at once ------------------------------------------


@dataclass(frozen=True)
class CandidateBlock:
    """Indexed records to verify a new text against, as arrays with one row per record."""

    record_ids: list[str]
    clusters: list[str]
    sequences: np.ndarray  # int64[k]
    signatures: np.ndarray  # uint32[k, num_perm]
    sample_limits: np.ndarray  # int64[k]
    sample_offsets: np.ndarray  # int64[k + 1]: record i's sample is samples[o[i]:o[i + 1]]
    samples: np.ndarray  # uint32, the records' sorted distinct samples one after another

    def __len__(self) -> int:
        return len(self.record_ids)

    def take(self, rows: np.ndarray) -> CandidateBlock:
        """The block of these rows only."""
        starts, ends = self.sample_offsets[rows], self.sample_offsets[rows + 1]
        return CandidateBlock(
            record_ids=[self.record_ids[row] for row in rows.tolist()],
            clusters=[self.clusters[row] for row in rows.tolist()],
            sequences=self.sequences[rows],
            signatures=self.signatures[rows],
            sample_limits=self.sample_limits[rows],
            sample_offsets=np.cumsum(np.concatenate(([0], ends - starts)), dtype=np.int64),
            samples=self.samples[_ranges(starts, ends)],
        )

    @classmethod
    def of_records(cls, records: list[StoredRecord], num_perm: int) -> CandidateBlock:
        fingerprints = [record.fingerprint for record in records]
        lengths = [len(fingerprint.sample) for fingerprint in fingerprints]
        return cls(
            record_ids=[record.record_id for record in records],
            clusters=[record.cluster for record in records],
            sequences=np.array([record.sequence for record in records], np.int64),
            signatures=np.array([f.signature for f in fingerprints], np.uint32).reshape(
                len(records), num_perm
            ),
            sample_limits=np.array([f.sample_limit for f in fingerprints], np.int64),
            sample_offsets=np.cumsum([0, *lengths], dtype=np.int64),
            samples=np.concatenate([f.sample for f in fingerprints] or [np.zeros(0, np.uint32)]),
        )


# The block of a text with no earlier candidates (most texts): nothing to gather.
_NO_CANDIDATES = CandidateBlock(
    record_ids=[],
    clusters=[],
    sequences=np.zeros(0, np.int64),
    signatures=np.zeros((0, 0), np.uint32),
    sample_limits=np.zeros(0, np.int64),
    sample_offsets=np.zeros(1, np.int64),
    samples=np.zeros(0, np.uint32),
)


def overlaps_with(new: Fingerprint, block: CandidateBlock) -> list[Overlap]:
    """`estimate_overlap` of the new text with every candidate of the block, counted in one
    numpy pass over all their samples and signatures (no Python loop per candidate or per
    shingle): each sampled hash of a candidate is looked up in the new sample once."""
    count = len(block)
    if count == 0:
        return []
    limits = np.minimum(block.sample_limits, new.sample_limit)
    owner = np.repeat(np.arange(count), np.diff(block.sample_offsets))
    below = block.samples <= limits[owner]
    old_lengths = np.bincount(owner[below], minlength=count)
    new_lengths = np.searchsorted(new.sample, limits, side="right")
    slot = np.minimum(np.searchsorted(new.sample, block.samples), max(len(new.sample) - 1, 0))
    found = below & (new.sample[slot] == block.samples) if len(new.sample) else below & False
    shared = np.bincount(owner[found], minlength=count)
    union = new_lengths + old_lengths - shared
    agreement = np.count_nonzero(block.signatures == new.signature, axis=1)
    enough = np.minimum(new_lengths, old_lengths) >= MIN_EVIDENCE
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(enough, shared / union, agreement / len(new.signature))
        new_in_old = np.where(enough, shared / new_lengths, 0.0)
        old_in_new = np.where(enough, shared / old_lengths, 0.0)
    evidence = np.where(enough, union, 0)
    return [
        Overlap(float(j), float(n), float(o), int(e))
        for j, n, o, e in zip(jaccard, new_in_old, old_in_new, evidence, strict=True)
    ]


# Order of preference when a text relates to several indexed ones.
_RELATION_RANK = {"duplicate": 0, "contained_in": 1, "contains": 2}


# --- 5. Storage ----------------------------------------------------------------------------


class GrowingArray:
    """A numpy array rows are appended to. It grows by a quarter when full, so at most a
    fifth of it is slack (doubling leaves up to half: 25% more memory per record on
    average) while an append stays amortised constant time."""

    def __init__(self, dtype: type, width: int | None = None, capacity: int = 64) -> None:
        shape = (capacity,) if width is None else (capacity, width)
        self._data = np.empty(shape, dtype)
        self._length = 0

    def __len__(self) -> int:
        return self._length

    @property
    def values(self) -> np.ndarray:
        return self._data[: self._length]

    def extend(self, rows: np.ndarray) -> None:
        needed = self._length + len(rows)
        if needed > len(self._data):
            capacity = max(needed, len(self._data) + len(self._data) // 4 + 1)
            grown = np.empty((capacity, *self._data.shape[1:]), self._data.dtype)
            grown[: self._length] = self._data[: self._length]
            self._data = grown
        self._data[self._length : needed] = rows
        self._length = needed

    def append(self, row: object) -> None:
        if self._length == len(self._data):
            self.extend(np.asarray(row, self._data.dtype)[None])
            return
        self._data[self._length] = row  # the common case: room left, no array made
        self._length += 1


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(start, end) for each pair, without a Python loop."""
    lengths = ends - starts
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())


class RecordStore(Protocol):
    """Where the index keeps what it knows about each record (signature, sample, cluster)."""

    def get(self, record_id: str) -> StoredRecord | None: ...

    def next_sequence(self) -> int: ...


class MemoryRecordStore:
    """Records as columns of numpy arrays, numbered in the order they are added.

    Per record: its signature row (512 bytes), its sample in one shared array, 28 bytes of
    numbers, the id string and a dict entry (~150 bytes). A frozen dataclass per record with
    two arrays of its own cost ~450 bytes more. `save`/`load` write one `.npz` file.
    """

    def __init__(self, num_perm: int) -> None:
        self._numbers: dict[str, int] = {}
        self._record_ids: list[str] = []
        self._clusters: list[str] = []  # the cluster's own id string, shared, not copied
        self._sequences = GrowingArray(np.int64)
        self._shingle_counts = GrowingArray(np.int64)
        self._sample_limits = GrowingArray(np.int64)
        self._signatures = GrowingArray(np.uint32, num_perm)
        self._sample_ends = GrowingArray(np.int64)
        self._samples = GrowingArray(np.uint32, capacity=4096)
        self._next_sequence = 0

    def __len__(self) -> int:
        return len(self._record_ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._record_ids)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._numbers

    def number_of(self, record_id: str) -> int | None:
        return self._numbers.get(record_id)

    @property
    def sequences(self) -> np.ndarray:
        return self._sequences.values

    @property
    def signatures(self) -> np.ndarray:
        return self._signatures.values

    @property
    def samples(self) -> np.ndarray:
        return self._samples.values

    def sample_offsets(self) -> np.ndarray:
        return np.concatenate(([0], self._sample_ends.values))

    def get(self, record_id: str) -> StoredRecord | None:
        number = self._numbers.get(record_id)
        if number is None:
            return None
        block = self.block(np.array([number]))
        fingerprint = Fingerprint(
            block.signatures[0].copy(),
            block.samples.copy(),
            int(block.sample_limits[0]),
            int(self._shingle_counts.values[number]),
        )
        return StoredRecord(record_id, int(block.sequences[0]), block.clusters[0], fingerprint)

    def add(self, record: StoredRecord) -> int:
        """Add the record and return its number."""
        number = len(self._record_ids)
        cluster_number = self._numbers.get(record.cluster)
        self._numbers[record.record_id] = number
        self._record_ids.append(record.record_id)
        cluster = record.cluster if cluster_number is None else self._record_ids[cluster_number]
        self._clusters.append(cluster)
        fingerprint = record.fingerprint
        self._sequences.append(record.sequence)
        self._shingle_counts.append(fingerprint.shingle_count)
        self._sample_limits.append(fingerprint.sample_limit)
        self._signatures.append(fingerprint.signature)
        self._samples.extend(fingerprint.sample)
        self._sample_ends.append(len(self._samples))
        self._next_sequence = max(self._next_sequence, record.sequence + 1)
        return number

    def next_sequence(self) -> int:
        return self._next_sequence

    def block(self, numbers: np.ndarray) -> CandidateBlock:
        """The records of these numbers, gathered into arrays for `overlaps_with`."""
        ends = self._sample_ends.values[numbers]
        starts = np.where(numbers > 0, self._sample_ends.values[numbers - 1], 0)
        return CandidateBlock(
            record_ids=[self._record_ids[n] for n in numbers.tolist()],
            clusters=[self._clusters[n] for n in numbers.tolist()],
            sequences=self._sequences.values[numbers],
            signatures=self._signatures.values[numbers],
            sample_limits=self._sample_limits.values[numbers],
            sample_offsets=np.cumsum(np.concatenate(([0], ends - starts)), dtype=np.int64),
            samples=self._samples.values[_ranges(starts, ends)],
        )

    def save(self, path: Path, fingerprint: dict[str, object]) -> None:
        """Write atomically: a crash mid-write leaves the previous index intact."""
        os.replace(self.write_beside(path, fingerprint), path)

    def write_beside(self, path: Path, fingerprint: dict[str, object]) -> Path:
        """Write the index to `INDEX.tmp` next to `path` and return that file; a failed
        write (full disk) removes it and raises OSError."""
        temporary = path.with_name(path.name + ".tmp")
        try:
            with open(temporary, "wb") as stream:
                np.savez(stream, **self._arrays(fingerprint))
                stream.flush()
                os.fsync(stream.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        return temporary

    def _arrays(self, fingerprint: dict[str, object]) -> dict[str, np.ndarray]:
        # Records are numbered in sequence order (added as they are judged, loaded sorted).
        return {
            "fingerprint": np.frombuffer(json.dumps(fingerprint).encode("utf-8"), dtype=np.uint8),
            "record_ids": np.array(self._record_ids, dtype=str),
            "clusters": np.array(self._clusters, dtype=str),
            "sequences": self._sequences.values,
            "shingle_counts": self._shingle_counts.values,
            "sample_limits": self._sample_limits.values.astype(np.uint32),
            "sample_offsets": self.sample_offsets(),
            "samples": self._samples.values,
            "signatures": self._signatures.values,
        }

    @classmethod
    def load(cls, path: Path, fingerprint: dict[str, object]) -> MemoryRecordStore:
        try:
            with np.load(path, allow_pickle=False) as arrays:
                saved = json.loads(bytes(arrays["fingerprint"]).decode("utf-8"))
                if saved != fingerprint:
                    raise DedupIndexError(_mismatch_message(str(path), saved, fingerprint))
                return cls._from_arrays(arrays, int(fingerprint["num_perm"]))  # type: ignore[call-overload]
        except (OSError, ValueError, KeyError) as error:
            if isinstance(error, DedupIndexError):
                raise
            raise DedupIndexError(
                f"{path} is not a dedup index this version can read: {error}"
            ) from error

    @classmethod
    def _from_arrays(cls, arrays: np.lib.npyio.NpzFile, num_perm: int) -> MemoryRecordStore:
        store = cls(num_perm)
        sequences = arrays["sequences"].astype(np.int64)
        order = np.argsort(sequences, kind="stable")
        offsets = arrays["sample_offsets"].astype(np.int64)
        record_ids = [str(record_id) for record_id in arrays["record_ids"][order]]
        if len(set(record_ids)) != len(record_ids) or len(offsets) != len(record_ids) + 1:
            raise ValueError("record ids or sample offsets are inconsistent")
        store._record_ids = record_ids
        store._numbers = {record_id: n for n, record_id in enumerate(record_ids)}
        store._clusters = [
            record_ids[store._numbers[c]] if c in store._numbers else c
            for c in (str(cluster) for cluster in arrays["clusters"][order])
        ]
        store._sequences.extend(sequences[order])
        store._shingle_counts.extend(arrays["shingle_counts"][order])
        store._sample_limits.extend(arrays["sample_limits"][order])
        store._signatures.extend(arrays["signatures"].reshape(-1, num_perm)[order])
        starts, ends = offsets[:-1][order], offsets[1:][order]
        store._samples.extend(arrays["samples"][_ranges(starts, ends)])
        store._sample_ends.extend(np.cumsum(ends - starts))
        store._next_sequence = int(sequences.max()) + 1 if len(sequences) else 0
        return store


def _mismatch_message(where: str, saved: object, wanted: object) -> str:
    return (
        f"the dedup index at {where} was built with other settings ({saved}); this run uses "
        f"{wanted}. Use another --index location or the settings it was built with."
    )


# Packed layout of one record in Redis: sequence, shingle count, sample limit, signature
# length, sample length, then the cluster id (UTF-8), the signature and the sample.
_REDIS_HEADER = struct.Struct("<qqIII")


def pack_record(record: StoredRecord) -> bytes:
    fingerprint = record.fingerprint
    cluster = record.cluster.encode("utf-8")
    header = _REDIS_HEADER.pack(
        record.sequence,
        fingerprint.shingle_count,
        fingerprint.sample_limit,
        len(fingerprint.signature),
        len(fingerprint.sample),
    )
    return b"".join(
        [
            header,
            struct.pack("<I", len(cluster)),
            cluster,
            fingerprint.signature.astype("<u4").tobytes(),
            fingerprint.sample.astype("<u4").tobytes(),
        ]
    )


def unpack_record(record_id: str, packed: bytes) -> StoredRecord:
    sequence, count, limit, signature_length, sample_length = _REDIS_HEADER.unpack_from(packed)
    offset = _REDIS_HEADER.size
    (cluster_length,) = struct.unpack_from("<I", packed, offset)
    offset += 4
    cluster = packed[offset : offset + cluster_length].decode("utf-8")
    offset += cluster_length
    signature = np.frombuffer(packed, "<u4", signature_length, offset).astype(np.uint32)
    offset += 4 * signature_length
    sample = np.frombuffer(packed, "<u4", sample_length, offset).astype(np.uint32)
    return StoredRecord(record_id, sequence, cluster, Fingerprint(signature, sample, limit, count))


class RedisRecordStore:
    """Records in one Redis hash next to the band and anchor lists, shared by processes."""

    def __init__(
        self, client, namespace: str, fingerprint: dict[str, object], num_perm: int
    ) -> None:
        self._client = client
        self._num_perm = num_perm
        self._records_key = f"{namespace}:records"
        self._sequence_key = f"{namespace}:sequence"
        self._last_sequence = -1
        # Band lists are our own (`RedisPostings`), not datasketch's bucket keys: a
        # namespace written by a version that used datasketch's storage is refused.
        layout = {**fingerprint, "postings": "cleaner-lists"}
        self._check_fingerprint(f"{namespace}:fingerprint", layout)

    def _check_fingerprint(self, key: str, fingerprint: dict[str, object]) -> None:
        wanted = json.dumps(fingerprint, sort_keys=True)
        self._client.set(key, wanted, nx=True)
        saved = self._client.get(key).decode("utf-8")
        if saved != wanted:
            raise DedupIndexError(_mismatch_message(f"redis key {key}", saved, wanted))

    def get(self, record_id: str) -> StoredRecord | None:
        packed = self._client.hget(self._records_key, record_id)
        return None if packed is None else unpack_record(record_id, packed)

    def get_many(self, record_ids: list[str]) -> list[StoredRecord | None]:
        if not record_ids:
            return []
        values = self._client.hmget(self._records_key, record_ids)
        return [
            None if packed is None else unpack_record(record_id, packed)
            for record_id, packed in zip(record_ids, values, strict=True)
        ]

    def block(self, record_ids: list[str]) -> CandidateBlock:
        records = [record for record in self.get_many(record_ids) if record is not None]
        return CandidateBlock.of_records(records, self._num_perm)

    def add(self, record: StoredRecord) -> None:
        self._client.hset(self._records_key, record.record_id, pack_record(record))

    def next_sequence(self) -> int:
        # INCR is atomic, so processes sharing the index never hand out one number twice.
        sequence = int(self._client.incr(self._sequence_key)) - 1
        # The counter only grows, whoever else writes; a smaller number means the server
        # lost its data (restarted empty, flushed) while this run was using it, and every
        # record indexed before would silently be missing from the comparisons.
        if sequence <= self._last_sequence:
            raise DedupIndexError(
                "the Redis index was emptied while this run used it (restarted without "
                "its data?): the records indexed before are gone. Run again with --resume "
                "once it holds them, or start over with a fresh --index"
            )
        self._last_sequence = sequence
        return sequence

    def close(self) -> None:
        self._client.close()


# --- 6. The indexes ------------------------------------------------------------------------


# Multiplier of the band hash (the 64-bit golden ratio, odd) and a per-band offset, so one
# table holds every band and equal rows in two bands do not meet.
_BAND_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_BAND_OFFSET = np.uint64(0xBF58476D1CE4E5B9)


def band_keys_of(signature: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 32-bit key per band of the signature (its `rows` values hashed with the band
    number). Two records share a key when a band agrees, or by chance with probability
    2**-32 per pair of keys: a spurious candidate, which verification then rejects.
    Signatures stacked in rows (a record store's) give one row of keys each."""
    table = signature[..., : bands * rows].reshape(*signature.shape[:-1], bands, rows)
    table = table.astype(np.uint64)
    keys = (np.arange(bands, dtype=np.uint64) + np.uint64(1)) * _BAND_OFFSET
    for row in range(rows):
        keys = (keys ^ table[..., row]) * _BAND_MULTIPLIER
        keys ^= keys >> np.uint64(29)
    return (keys >> np.uint64(32)).astype(np.uint32)


def anchors_of(fingerprint: Fingerprint, config: DedupConfig) -> np.ndarray:
    """The record's `anchor_count` smallest shingle hashes (its sample starts with them:
    the sample is every hash below a cut, sorted)."""
    return fingerprint.sample[: config.anchor_count]


def shared_enough(posted: Iterable[list[str]], minimum: int) -> set[str]:
    """Records found in at least `minimum` of the posting lists."""
    counts: dict[str, int] = {}
    for records in posted:
        for record_id in records:
            counts[record_id] = counts.get(record_id, 0) + 1
    return {record_id for record_id, count in counts.items() if count >= minimum}


_LOW_32 = np.uint64(0xFFFFFFFF)
_SHIFT_32 = np.uint64(32)
# A posting is key << 31 | record number: a key has 33 bits (a 32-bit key and the number of
# its key set, so bands and anchors share one table and one look-up), a number 31.
_NUMBER_BITS = np.uint64(31)
_NUMBER_MASK = np.uint64((1 << 31) - 1)
_KEY_BITS = 33
MAX_RECORDS = 1 << 31
_SPREAD_MULTIPLIER = np.uint64(0x9E3779B1)  # odd: multiplying by it permutes 32-bit values


def spread_keys(keys: np.ndarray) -> np.ndarray:
    """The keys under a fixed permutation of the 32-bit values that scatters them evenly.

    Anchors are each record's smallest shingle hashes, so they crowd the bottom of the
    range, and the directory of `SortedPostings` (buckets by the top bits) put nearly all
    of them in its first buckets: a look-up then scanned thousands of postings. A
    permutation keeps every key distinct, so the answers are the same."""
    spread = (keys.astype(np.uint64) * _SPREAD_MULTIPLIER) & _LOW_32
    return spread ^ (spread >> np.uint64(16))


class SortedPostings:
    """One sorted array of postings (key << 31 | record number) with a directory: the
    offset of every bucket of keys sharing their top bits, about eight postings a bucket.
    A look-up reads the directory and one short bucket instead of binary-searching the
    whole array, whose ~20 steps each miss the cache once it holds millions of postings."""

    def __init__(self, postings: np.ndarray, cap: int) -> None:
        self.postings = _first_per_key(postings, cap)
        self.bits = int(np.clip(np.ceil(np.log2(max(len(self.postings), 1) / 8)), 1, 30))
        # Bucket numbers fit in 30 bits: viewed as int64 for bincount, not copied.
        bucket_of = (self.postings >> np.uint64(64 - self.bits)).view(np.int64)
        buckets = np.bincount(bucket_of, minlength=1 << self.bits)
        self.directory = np.concatenate(([0], np.cumsum(buckets)))

    def __len__(self) -> int:
        return len(self.postings)

    def earliest(self, wanted: np.ndarray, caps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(key position, record number) of the first `caps[i]` postings of wanted key i."""
        bucket = (wanted >> np.uint64(_KEY_BITS - self.bits)).astype(np.int64)
        starts, ends = self.directory[bucket], self.directory[bucket + 1]
        positions = _ranges(starts, ends)
        which = np.repeat(np.arange(len(wanted)), ends - starts)
        found = self.postings[positions]
        match = np.flatnonzero((found >> _NUMBER_BITS) == wanted[which])
        which, found = which[match], found[match]
        # Postings of one key are contiguous and by record number: keep the first few
        # (most look-ups find fewer postings than any cap, and skip the ranking).
        if len(which) > int(caps.min()):
            rank = np.arange(len(which)) - np.searchsorted(which, which)
            keep = rank < caps[which]
            which, found = which[keep], found[keep]
        return which, found & _NUMBER_MASK


def _first_per_key(postings: np.ndarray, cap: int) -> np.ndarray:
    """The sorted postings without those past the first `cap` of their key (no query reads
    them), so 10,000 copies of one story keep `cap` postings per key, not 10,000. In a
    sorted array a posting is past the cap exactly when the one `cap` places before it has
    the same key."""
    keys = postings >> _NUMBER_BITS
    past_cap = keys[cap:] == keys[:-cap]
    if not past_cap.any():
        return postings
    return postings[np.concatenate((np.zeros(cap, bool), past_cap)) == 0]


class PostingTable:
    """Inverted index of 32-bit keys -> the earliest record numbers holding them, in numpy
    arrays, for one or more key sets (the band keys of the LSH and the anchors): a record
    posts its keys of every set in one step, and a query reads every set in one look-up,
    which halves numpy's per-call overhead, most of a look-up's cost.

    Each posting is one uint64, key << 31 | record number, the key's top bit its set:
    8 bytes, where a bucket set of datasketch's dict storage cost ~300. Postings live in
    three sorted arrays: a small one new postings are inserted into, a middle one it is
    merged into when full, and a main one the middle is merged into when it reaches an
    eighth of it (each posting is copied a bounded number of times on average; numpy's
    stable sort merges two sorted runs in linear time). The middle and main arrays keep a
    directory (`SortedPostings`), so a query costs the same few steps whatever the index
    holds. A query reads, and the arrays keep, at most the set's cap of postings per key:
    10,000 copies of one story cost no more than the cap of them.
    """

    def __init__(
        self, cap: int | tuple[int, ...], small_size: int = 8192, middle_share: int = 8
    ) -> None:
        self._caps = np.array(cap if isinstance(cap, tuple) else (cap,), np.int64)
        if not 1 <= len(self._caps) <= 2:
            raise ValueError("a posting table holds one or two key sets")
        self._cap = int(self._caps.max())
        self._small_size = small_size
        self._middle_share = middle_share
        empty = np.zeros(0, np.uint64)
        self._main = self._middle = SortedPostings(empty, self._cap)
        self._small = empty

    def __len__(self) -> int:
        """Postings kept."""
        return len(self._main) + len(self._middle) + len(self._small)

    def insert(self, number: int, *key_sets: np.ndarray) -> None:
        if number >= MAX_RECORDS:
            raise DedupIndexError(f"an in-memory index holds at most {MAX_RECORDS:,} records")
        self.add_postings(np.sort((self.tagged(key_sets) << _NUMBER_BITS) | np.uint64(number)))

    def add_postings(self, postings: np.ndarray) -> None:
        """Sorted postings (tagged key << 31 | record number), of one record or many."""
        self._small = _inserted(self._small, postings)
        if len(self._small) < self._small_size:
            return
        middle = _merged(self._middle.postings, self._small)
        self._small = self._small[:0]
        if len(middle) * self._middle_share >= len(self._main):
            self._main = SortedPostings(_merged(self._main.postings, middle), self._cap)
            middle = middle[:0]
        self._middle = SortedPostings(middle, self._cap)

    def insert_all(self, numbers: np.ndarray, keys: np.ndarray, key_set: int = 0) -> None:
        """Postings of many records at once, keys of one set (loading an index file)."""
        if len(numbers) and int(numbers.max()) >= MAX_RECORDS:
            raise DedupIndexError(f"an in-memory index holds at most {MAX_RECORDS:,} records")
        tagged = spread_keys(keys) | (np.uint64(key_set) << _SHIFT_32)
        postings = (tagged << _NUMBER_BITS) | numbers.astype(np.uint64)
        self._main = SortedPostings(_merged(self._main.postings, np.sort(postings)), self._cap)

    def query(self, keys: np.ndarray, minimum: int) -> np.ndarray:
        """Distinct record numbers among the earliest of at least `minimum` keys (one set)."""
        return self.query_sets((keys,), (minimum,))

    def query_sets(self, key_sets: tuple[np.ndarray, ...], minimums: tuple[int, ...]) -> np.ndarray:
        """Distinct record numbers found by any set: among the earliest postings of at least
        that set's minimum of its keys."""
        wanted = self.tagged(key_sets)
        set_of = np.repeat(np.arange(len(key_sets)), [len(keys) for keys in key_sets])
        which, numbers = self.earliest(wanted, self._caps[set_of])
        if len(numbers) == 0:
            return np.zeros(0, np.int64)
        parts = []
        for key_set, minimum in enumerate(minimums):
            own = numbers[set_of[which] == key_set] if len(minimums) > 1 else numbers
            distinct, counts = np.unique(own, return_counts=True)
            parts.append(distinct if minimum <= 1 else distinct[counts >= minimum])
        result = parts[0] if len(parts) == 1 else np.union1d(*parts)
        return result.astype(np.int64)

    @property
    def caps(self) -> np.ndarray:
        """Most postings a query reads per key, by key set."""
        return self._caps

    def earliest(self, wanted: np.ndarray, caps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in `wanted`, record number) of the earliest `caps[i]` postings of each
        tagged key `wanted[i]` across the three arrays; many records' keys at once cost
        about what one record's do (numpy's per-call overhead is most of a look-up)."""
        found = [level.earliest(wanted, caps) for level in (self._main, self._middle) if len(level)]
        if len(self._small):
            found.append(self._earliest_in_small(wanted, caps))
        if not found or len(wanted) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.uint64)
        which, numbers = (np.concatenate(parts) for parts in zip(*found, strict=True))
        # With no more postings than the smallest cap in all, no key exceeds its cap.
        if len(found) > 1 and len(numbers) > int(caps.min()):
            which, numbers = self._earliest_per_key(which, numbers, caps)
        return which, numbers

    def tagged(self, key_sets: tuple[np.ndarray, ...]) -> np.ndarray:
        """The keys of every set, spread, with their set's number as the 33rd bit."""
        if len(key_sets) != len(self._caps):
            raise ValueError(f"this table holds {len(self._caps)} key set(s)")
        tagged = [
            spread_keys(keys) | (np.uint64(key_set) << _SHIFT_32)
            for key_set, keys in enumerate(key_sets)
        ]
        return tagged[0] if len(tagged) == 1 else np.concatenate(tagged)

    def _earliest_in_small(
        self, wanted: np.ndarray, caps: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        low = np.searchsorted(self._small, wanted << _NUMBER_BITS)
        high = np.searchsorted(self._small, (wanted << _NUMBER_BITS) | _NUMBER_MASK, "right")
        counts = np.minimum(high - low, caps)
        which = np.repeat(np.arange(len(wanted)), counts)
        return which, self._small[_ranges(low, low + counts)] & _NUMBER_MASK

    def _earliest_per_key(
        self, which: np.ndarray, numbers: np.ndarray, caps: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(key position, record number) of the earliest of each key, across the levels."""
        keys = np.sort((which.astype(np.uint64) << _SHIFT_32) | numbers)
        group = keys >> _SHIFT_32
        first = np.searchsorted(group, group)
        keep = np.arange(len(keys)) - first < caps[group.astype(np.int64)]
        return group[keep].astype(np.int64), keys[keep] & _LOW_32


def _inserted(ordered: np.ndarray, new: np.ndarray) -> np.ndarray:
    """`ordered` with the sorted `new` values in their places (np.insert, without its
    per-call overhead, which was most of an insert's cost)."""
    places = np.searchsorted(ordered, new) + np.arange(len(new))
    result = np.empty(len(ordered) + len(new), ordered.dtype)
    result[places] = new
    kept = np.ones(len(result), bool)
    kept[places] = False
    result[kept] = ordered
    return result


def _merged(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Two sorted arrays as one, in linear time (timsort merges the two runs it finds)."""
    if len(left) == 0:
        return right.copy()
    return np.sort(np.concatenate([left, right]), kind="stable")


class RedisPostings:
    """The same inverted index as Redis lists of record ids (one list per key), trimmed to
    the cap when written, so a list never grows past it."""

    def __init__(self, client, prefix: str, cap: int) -> None:
        self._client = client
        self._prefix = prefix
        self._cap = cap

    def query(self, keys: np.ndarray, minimum: int) -> set[str]:
        pipeline = self._client.pipeline(transaction=False)
        for key in keys.tolist():
            pipeline.lrange(f"{self._prefix}{key}", 0, self._cap - 1)
        posted = [[member.decode("utf-8") for member in found] for found in pipeline.execute()]
        return shared_enough(posted, minimum)

    def add_to(self, pipeline, record_id: str, keys: np.ndarray) -> None:
        """Queue the writes in `pipeline` (the record's transaction)."""
        for key in keys.tolist():
            name = f"{self._prefix}{key}"
            pipeline.rpush(name, record_id)
            pipeline.ltrim(name, 0, self._cap - 1)


@dataclass
class IndexStatistics:
    """What verification has cost so far: the work per record must stay bounded however
    many records the index holds (`cleaner.bench.dedup_scale` prints these)."""

    queries: int = 0
    candidates_verified: int = 0
    most_candidates: int = 0  # verified for one record

    def add(self, candidates: int) -> None:
        self.queries += 1
        self.candidates_verified += candidates
        self.most_candidates = max(self.most_candidates, candidates)


@dataclass(frozen=True)
class FoundPerRecord:
    """What one batched look-up found for each record of the batch."""

    numbers: list[np.ndarray]  # distinct record numbers found (bands, or enough anchors)
    postings_read: np.ndarray  # per key: postings read from the table (at most its cap)


def _found_per_record(
    which: np.ndarray,
    numbers: np.ndarray,
    owners: np.ndarray,
    key_sets: np.ndarray,
    count: int,
    config: DedupConfig,
) -> FoundPerRecord:
    """Split a batched look-up's postings by record: a record is a candidate of a batch
    record when one band key finds it, or `anchor_min_shared` anchors do."""
    postings_read = np.bincount(which, minlength=len(owners))
    if len(which) == 0:
        return FoundPerRecord([_NO_NUMBERS] * count, postings_read)
    # One code per (batch position, record number) pair, so one unique serves the batch.
    codes = (owners[which].astype(np.uint64) << _SHIFT_32) | numbers
    by_anchor = key_sets[which] == 1
    bands = np.unique(codes[~by_anchor])
    anchored, shared = np.unique(codes[by_anchor], return_counts=True)
    codes = np.union1d(bands, anchored[shared >= config.anchor_min_shared])
    bounds = np.searchsorted(codes >> _SHIFT_32, np.arange(count + 1, dtype=np.uint64))
    found = (codes & _LOW_32).astype(np.int64)
    return FoundPerRecord(
        [found[start:end] for start, end in itertools.pairwise(bounds.tolist())], postings_read
    )


_NO_NUMBERS = np.zeros(0, np.int64)


def _found_in_batch(
    keys: np.ndarray,
    owners: np.ndarray,
    key_sets: np.ndarray,
    caps: np.ndarray,
    found: FoundPerRecord,
    config: DedupConfig,
) -> list[list[int]]:
    """Per batch record, the earlier records of the same batch it finds, as the table
    would once they were posted: a key's postings are read in record order up to its cap,
    so a batch record is seen only while the key's postings from before the batch and
    those of earlier batch records leave room."""
    count = int(owners.max()) + 1 if len(owners) else 0
    earlier: list[list[int]] = [[] for _ in range(count)]
    order = np.argsort(keys, kind="stable")  # equal keys stay in batch order
    ordered = keys[order]
    repeated = np.flatnonzero(ordered[1:] == ordered[:-1])
    if len(repeated) == 0:  # no key shared inside the batch: the common case
        return earlier
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    sizes = np.diff(np.append(starts, len(ordered)))
    anchor_counts: list[dict[int, int]] = [{} for _ in range(count)]
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        positions = order[start : start + size]
        first = int(positions[0])
        room = int(caps[first]) - int(found.postings_read[first])
        if room <= 0:
            continue
        holders = owners[positions].tolist()
        by_anchor = bool(key_sets[first])
        for rank in range(1, size):
            reader = holders[rank]
            for holder in holders[: min(rank, room)]:
                if holder == reader:
                    continue
                if by_anchor:
                    anchor_counts[reader][holder] = anchor_counts[reader].get(holder, 0) + 1
                elif holder not in earlier[reader]:
                    earlier[reader].append(holder)
    for reader, counts in enumerate(anchor_counts):
        for holder, shared in counts.items():
            if shared >= config.anchor_min_shared and holder not in earlier[reader]:
                earlier[reader].append(holder)
    return earlier


@dataclass(frozen=True)
class IndexKeys:
    """Where one record is posted: its band keys and its anchors (uint32 arrays)."""

    bands: np.ndarray
    anchors: np.ndarray


class NearDuplicateIndex:
    """Flags each new text against every text indexed before it (this run and earlier ones).

    `location`: None keeps the index in memory only; a path persists it to that file
    (read at start, written by `close`); ``redis://host:port/db`` shares it in Redis.
    """

    def __init__(self, config: DedupConfig, location: str | Path | None = None) -> None:
        self.config = config
        self.fingerprinter = Fingerprinter(config)
        self.bands, self.rows = band_layout(config.candidate_threshold, config.num_perm)
        self._path: Path | None = None
        self._redis_store: RedisRecordStore | None = None
        self._lock: RunLock | None = None
        self._saved_by_caller = False
        self.statistics = IndexStatistics()
        fingerprint = index_fingerprint(config)
        if is_redis_url(location):
            self._open_redis(location, fingerprint)
        else:
            self._open_memory(None if location is None else Path(location), fingerprint)

    def _open_memory(self, path: Path | None, fingerprint: dict[str, object]) -> None:
        self._path = path
        self._fingerprint = fingerprint
        if path is not None:
            self._lock = lock_index_file(path)
        store = MemoryRecordStore(self.config.num_perm)
        if path is not None and path.exists():
            try:
                store = MemoryRecordStore.load(path, fingerprint)
            except DedupIndexError:
                self._lock.release()  # the caller never gets this index to close
                raise
        self.store: MemoryRecordStore | RedisRecordStore = store
        # Band keys are key set 0, anchors key set 1.
        self.postings = PostingTable((self.config.band_postings, self.config.anchor_postings))
        if len(store):
            self._index_loaded(store)

    def _index_loaded(self, store: MemoryRecordStore) -> None:
        """Band and anchor postings of every record read from the file, in one step each."""
        numbers = np.arange(len(store))
        keys = band_keys_of(store.signatures, self.bands, self.rows)
        self.postings.insert_all(np.repeat(numbers, self.bands), keys.reshape(-1), key_set=0)
        offsets = store.sample_offsets()
        counts = np.minimum(np.diff(offsets), self.config.anchor_count)
        anchors = store.samples[_ranges(offsets[:-1], offsets[:-1] + counts)]
        self.postings.insert_all(np.repeat(numbers, counts), anchors, key_set=1)

    def _open_redis(self, url: str, fingerprint: dict[str, object]) -> None:
        import redis  # only needed for a shared index

        client = redis.Redis(**redis_connection(url))
        namespace = self.config.redis_namespace
        self._redis_store = RedisRecordStore(client, namespace, fingerprint, self.config.num_perm)
        self.store = self._redis_store
        self._client = client
        self.band_table = RedisPostings(client, f"{namespace}:band:", self.config.band_postings)
        self.anchor_table = RedisPostings(
            client, f"{namespace}:anchor:", self.config.anchor_postings
        )

    @property
    def shingler(self) -> Shingler:
        return self.fingerprinter.shingler

    def fingerprint(self, text: str) -> Fingerprint:
        """Signature and verification sample of one text (no state is changed)."""
        return self.fingerprinter.fingerprint(text)

    def check_and_add(
        self, record_id: str, text: str, fingerprint: Fingerprint | None = None
    ) -> DedupVerdict:
        """The record's relation to earlier records; then index it for later ones.

        `fingerprint` may be computed beforehand (`fingerprint_text`, in a worker
        process); it must come from the same text and settings.
        """
        if isinstance(self.store, MemoryRecordStore):
            return self.check_and_add_many([(record_id, text, fingerprint)])[0]
        fingerprint = fingerprint or self.fingerprint(text)
        if fingerprint.shingle_count < self.config.min_shingles:
            return DedupVerdict(cluster=record_id)
        keys = IndexKeys(
            band_keys_of(fingerprint.signature, self.bands, self.rows),
            anchors_of(fingerprint, self.config),
        )
        known = self.store.get(record_id)
        if known is not None:
            # Seen in an earlier run: judge it against what came before it then, so a
            # second run over the same input gives the same verdicts.
            return self._verdict(record_id, fingerprint, keys, known.sequence)
        sequence = self.store.next_sequence()
        verdict = self._verdict(record_id, fingerprint, keys, sequence)
        record = StoredRecord(record_id, sequence, verdict.cluster or record_id, fingerprint)
        self._insert(record, keys)
        return verdict

    def check_and_add_many(
        self, records: Iterable[tuple[str, str, Fingerprint | None]]
    ) -> list[DedupVerdict]:
        """`check_and_add` of each (record id, text, fingerprint or None), in order: the
        same verdicts, but the band and anchor keys of consecutive new records are looked
        up and posted in one step, and each record also finds the records of the batch
        before it. numpy's per-call overhead, most of a look-up's cost, is paid once per
        batch instead of once per record."""
        if not isinstance(self.store, MemoryRecordStore):
            return [self.check_and_add(*record) for record in records]
        verdicts: list[DedupVerdict] = []
        batch: list[tuple[int, str, Fingerprint]] = []
        batch_ids: set[str] = set()
        for record_id, text, fingerprint in records:
            fingerprint = fingerprint or self.fingerprint(text)
            verdicts.append(DedupVerdict(cluster=record_id))
            if fingerprint.shingle_count < self.config.min_shingles:
                continue
            # A second occurrence of an id is judged as a record the index knows.
            if record_id in batch_ids or len(batch) == self.config.lookup_batch:
                self._add_batch(batch, verdicts)
                batch, batch_ids = [], set()
            known = self.store.get(record_id)
            if known is None:
                batch.append((len(verdicts) - 1, record_id, fingerprint))
                batch_ids.add(record_id)
                continue
            # Seen in an earlier run: judge it against what came before it then, so a
            # second run over the same input gives the same verdicts. The batch so far
            # came after it and cannot change that.
            keys = IndexKeys(
                band_keys_of(fingerprint.signature, self.bands, self.rows),
                anchors_of(fingerprint, self.config),
            )
            verdicts[-1] = self._verdict(record_id, fingerprint, keys, known.sequence)
        self._add_batch(batch, verdicts)
        return verdicts

    def _add_batch(
        self, batch: list[tuple[int, str, Fingerprint]], verdicts: list[DedupVerdict]
    ) -> None:
        """Judge and index new records (distinct ids, none known), in order."""
        if not batch:
            return
        store = self.store
        assert isinstance(store, MemoryRecordStore)
        first_number = len(store)
        if first_number + len(batch) > MAX_RECORDS:
            raise DedupIndexError(f"an in-memory index holds at most {MAX_RECORDS:,} records")
        fingerprints = [fingerprint for _, _, fingerprint in batch]
        keys, owners, key_sets = self._batch_keys(fingerprints)
        caps = self.postings.caps[key_sets]
        found = _found_per_record(
            *self.postings.earliest(keys, caps), owners, key_sets, len(batch), self.config
        )
        earlier_in_batch = _found_in_batch(keys, owners, key_sets, caps, found, self.config)
        for position, (verdict_at, record_id, fingerprint) in enumerate(batch):
            numbers = found.numbers[position]
            if earlier_in_batch[position]:
                own = [first_number + earlier for earlier in earlier_in_batch[position]]
                numbers = np.union1d(numbers, np.array(own, np.int64))
            sequence = store.next_sequence()
            block = self._strongest(numbers, fingerprint, sequence)
            verdict = self._best_verdict(record_id, fingerprint, block)
            record = StoredRecord(record_id, sequence, verdict.cluster or record_id, fingerprint)
            if store.add(record) != first_number + position:
                raise AssertionError("records are numbered in the order they are added")
            verdicts[verdict_at] = verdict
        numbers = owners.astype(np.uint64) + np.uint64(first_number)
        self.postings.add_postings(np.sort((keys << _NUMBER_BITS) | numbers))

    def _batch_keys(
        self, fingerprints: list[Fingerprint]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Tagged keys of every record of a batch (all band keys, then all anchors), the
        batch position of the record each belongs to, and its key set (0 bands, 1 anchors)."""
        count = len(fingerprints)
        signatures = (
            fingerprints[0].signature[None]
            if count == 1
            else np.stack([fingerprint.signature for fingerprint in fingerprints])
        )
        bands = band_keys_of(signatures, self.bands, self.rows).reshape(-1)
        anchor_parts = [anchors_of(fingerprint, self.config) for fingerprint in fingerprints]
        anchors = anchor_parts[0] if count == 1 else np.concatenate(anchor_parts)
        keys = self.postings.tagged((bands, anchors))
        anchor_counts = [len(part) for part in anchor_parts]
        owners = np.concatenate(
            (np.repeat(np.arange(count), self.bands), np.repeat(np.arange(count), anchor_counts))
        )
        key_sets = np.zeros(len(keys), np.int64)
        key_sets[len(bands) :] = 1
        return keys, owners, key_sets

    def _strongest(self, numbers: np.ndarray, fingerprint: Fingerprint, sequence: int):
        """The candidates of these numbers indexed before `sequence`: the `max_candidates`
        whose signatures agree most with this one (the earliest first among equals)."""
        store = self.store
        assert isinstance(store, MemoryRecordStore)
        if len(numbers) == 0:  # most texts: nothing to gather
            return _NO_CANDIDATES
        numbers = numbers[store.sequences[numbers] < sequence]
        if len(numbers) == 0:
            return _NO_CANDIDATES
        if len(numbers) > self.config.max_candidates:
            agreement = np.count_nonzero(store.signatures[numbers] == fingerprint.signature, axis=1)
            order = np.lexsort((store.sequences[numbers], -agreement))
            numbers = np.sort(numbers[order[: self.config.max_candidates]])
        return store.block(numbers)

    def _insert(self, record: StoredRecord, keys: IndexKeys) -> None:
        store = self.store
        if isinstance(store, MemoryRecordStore):
            number = store.add(record)
            self.postings.insert(number, keys.bands, keys.anchors)
            return
        # Bands and anchors first, in one MULTI/EXEC, record last: a record the store
        # knows always has its postings, so a run killed between the two writes and
        # resumed does not take a record without postings for a complete one.
        pipeline = self._client.pipeline(transaction=True)
        self.band_table.add_to(pipeline, record.record_id, keys.bands)
        self.anchor_table.add_to(pipeline, record.record_id, keys.anchors)
        pipeline.execute()
        store.add(record)

    def _verdict(
        self, record_id: str, fingerprint: Fingerprint, keys: IndexKeys, sequence: int
    ) -> DedupVerdict:
        block = self._earlier_candidates(record_id, fingerprint, keys, sequence)
        return self._best_verdict(record_id, fingerprint, block)

    def _best_verdict(
        self, record_id: str, fingerprint: Fingerprint, block: CandidateBlock
    ) -> DedupVerdict:
        """The verified relation to the candidate it ranks first: a duplicate before a
        containment, then the most similar, then the earliest."""
        self.statistics.add(len(block))
        best: tuple[tuple[int, float, int], DedupVerdict] | None = None
        for row, overlap in enumerate(overlaps_with(fingerprint, block)):
            relation, similarity = relation_of(overlap, self.config)
            if relation is None:
                continue
            rank = (_RELATION_RANK[relation], -similarity, int(block.sequences[row]))
            cluster = block.clusters[row] if relation == "duplicate" else record_id
            other = block.record_ids[row]
            verdict = DedupVerdict(relation, other, round(similarity, 4), cluster)
            if best is None or rank < best[0]:
                best = (rank, verdict)
        return best[1] if best is not None else DedupVerdict(cluster=record_id)

    def _earlier_candidates(
        self, record_id: str, fingerprint: Fingerprint, keys: IndexKeys, sequence: int
    ) -> CandidateBlock:
        """Candidates of the bands (similar texts) and of the anchors (a text inside a
        longer one) indexed before `sequence`: the `max_candidates` whose signatures agree
        most with this one (the earliest first among equals)."""
        minimum = self.config.anchor_min_shared
        if isinstance(self.store, MemoryRecordStore):
            numbers = self.postings.query_sets((keys.bands, keys.anchors), (1, minimum))
            return self._strongest(numbers, fingerprint, sequence)
        found = self.band_table.query(keys.bands, 1) | self.anchor_table.query(
            keys.anchors, minimum
        )
        found.discard(record_id)
        block = self.store.block(sorted(found))
        rows = np.flatnonzero(block.sequences < sequence)
        if len(rows) > self.config.max_candidates:
            agreement = np.count_nonzero(block.signatures[rows] == fingerprint.signature, axis=1)
            order = np.lexsort((block.sequences[rows], -agreement))
            rows = rows[order[: self.config.max_candidates]]
        return block.take(rows)

    def save_pending(self) -> tuple[Path, Path] | None:
        """Write a file index beside its place and return (written file, place), for the
        caller to publish in one step with the run's outputs; None when nothing is
        persisted here (in memory, or Redis). `close` then does not save it again."""
        if self._path is None or not isinstance(self.store, MemoryRecordStore):
            return None
        self._path.parent.mkdir(parents=True, exist_ok=True)
        written = self.store.write_beside(self._path, self._fingerprint)
        self._saved_by_caller = True
        return written, self._path

    def close(self) -> None:
        """Persist the index (if persistent and not `save_pending`) and release connections."""
        if (
            self._path is not None
            and isinstance(self.store, MemoryRecordStore)
            and not self._saved_by_caller
        ):
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self.store.save(self._path, self._fingerprint)
        self.release()

    def release(self) -> None:
        """Release connections and the file lock without saving (a failed run)."""
        if self._redis_store is not None:
            self._redis_store.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def lock_index_file(path: Path) -> RunLock:
    """One writer per index file: two runs saving one file would each drop the other's
    records (the last to save wins). The lock sits beside it, as `INDEX.lock`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return RunLock(path.with_name(path.name + ".lock"), f"the near-duplicate index {path}")
    except LockedError as error:
        raise DedupIndexError(f"{error} (use redis:// for concurrent runs)") from None
    except OSError as error:
        raise DedupIndexError(f"cannot lock {path}: {error.strerror or error}") from error


def index_fingerprint(config: DedupConfig) -> dict[str, object]:
    """The settings that must match for two runs to share one index."""
    return {
        "version": FINGERPRINT_VERSION,
        "num_perm": config.num_perm,
        "seed": config.seed,
        "cjk_shingle_size": config.cjk_shingle_size,
        "latin_shingle_size": config.latin_shingle_size,
        "candidate_threshold": config.candidate_threshold,
        "sample_fraction": config.sample_fraction,
        "keep_all_below": config.keep_all_below,
        "max_sample": config.max_sample,
        "anchor_count": config.anchor_count,
        "anchor_postings": config.anchor_postings,
        # The permutation table itself: a change to it (or to numpy's seeded legacy
        # generator it is drawn from) would make signatures incomparable with the index's,
        # so the index is refused, not mixed.
        "permutations": permutation_digest(config.num_perm, config.seed),
    }


@functools.cache  # a pure function of two numbers, asked for by every index opened
def permutation_digest(num_perm: int, seed: int) -> str:
    multipliers, offsets = permutation_table(num_perm, seed)
    return hashlib.sha256(multipliers.tobytes() + offsets.tobytes()).hexdigest()[:16]


class Fingerprinter:
    """Turns texts into fingerprints for one set of settings: a shingler and a permutation
    table, reused for every text. Both keep scratch buffers (power tables, the signature
    work block), so an object is used by one thread at a time; the index owns one."""

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.shingler = Shingler(config)
        self.signer = Signer(config.num_perm, config.seed)

    def fingerprint(self, text: str) -> Fingerprint:
        """Signature and verification sample of one text (a pure function of the text)."""
        config = self.config
        mixed = mix32(self.shingler.hashes(text[: config.max_characters]))
        if len(mixed) == 0:
            return Fingerprint(np.zeros(0, np.uint32), mixed, _MAX_HASH, 0)
        sample, limit = verification_sample(mixed, config)
        return Fingerprint(self.signer.signature(mixed), sample, limit, len(mixed))


# Pool workers receive the settings with each task, not an object built for them, so each
# process keeps the fingerprinter of the last settings it saw. Safe as process-wide state:
# it holds only tables derived from the settings and scratch buffers, never anything of a
# text, so which task built it changes no result (tests compare --workers 1 and 2 outputs).
@functools.lru_cache(maxsize=1)
def _process_fingerprinter(config: DedupConfig) -> Fingerprinter:
    return Fingerprinter(config)


def fingerprint_text(text: str, config: DedupConfig) -> Fingerprint:
    """Signature and verification sample of one text: pure, so workers can compute it."""
    return _process_fingerprinter(config).fingerprint(text)


REDIS_SCHEMES = ("redis", "rediss")
# Query parameters of a rediss:// URL passed to the TLS connection (the CA file that
# signed a private server's certificate; "none" to skip checking it).
_TLS_PARAMETERS = ("ssl_ca_certs", "ssl_cert_reqs", "ssl_certfile", "ssl_keyfile")


def is_redis_url(location: object) -> bool:
    """``redis://`` or ``rediss://`` (TLS), in any letter case."""
    return isinstance(location, str) and location.lower().startswith(
        tuple(f"{scheme}://" for scheme in REDIS_SCHEMES)
    )


def masked_url(url: str) -> str:
    """`url` with its password replaced by ``***``, for messages."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    user = f"{parsed.username}:" if parsed.username else ":"
    host = parsed.netloc.rpartition("@")[2]
    return parsed._replace(netloc=f"{user}***@{host}").geturl()


def redis_connection(url: str) -> dict[str, object]:
    """``redis[s]://[user:password@]host:port/db`` -> keyword arguments of `redis.Redis`."""
    parsed = urlparse(url)
    shown = masked_url(url)
    if parsed.scheme not in REDIS_SCHEMES or not parsed.hostname:
        raise DedupIndexError(f"not a redis URL: {shown!r} (expected redis://host:port/db)")
    try:
        port = parsed.port or 6379
    except ValueError:
        raise DedupIndexError(f"the port in {shown!r} must be a number") from None
    database = parsed.path.strip("/") or "0"
    if not database.isdigit():
        raise DedupIndexError(f"the database in {shown!r} must be a number")
    connection: dict[str, object] = {"host": parsed.hostname, "port": port, "db": int(database)}
    if parsed.username:
        connection["username"] = unquote(parsed.username)
    if parsed.password is not None:
        connection["password"] = unquote(parsed.password)
    if parsed.scheme == "rediss":
        connection["ssl"] = True
        query = parse_qs(parsed.query)
        connection.update({key: query[key][-1] for key in _TLS_PARAMETERS if key in query})
    return connection
