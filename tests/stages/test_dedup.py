"""Near-duplicate detection (issue 6): normalisation, signatures, verification, the index
in memory, in a file across runs and in a real Redis server; labelled pairs from
fixtures/dedup/pairs.jsonl and the seed stories."""

from __future__ import annotations

import json
import random
import shutil
import socket
import subprocess
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
import opencc
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.bench.dedup import LabelledPair, excerpt, seed_stories
from cleaner.bench.dedup_reposts import in_chrome
from cleaner.stages.dedup import (
    DedupConfig,
    DedupIndexError,
    NearDuplicateIndex,
    Overlap,
    Shingler,
    Signer,
    band_keys_of,
    band_layout,
    estimate_overlap,
    index_fingerprint,
    mix32,
    normalised_tokens,
    overlaps_with,
    pack_record,
    redis_connection,
    relation_of,
    unpack_record,
)

ROOT = Path(__file__).resolve().parents[2]
PAIRS = [
    LabelledPair(**json.loads(line))
    for line in (ROOT / "fixtures" / "dedup" / "pairs.jsonl").read_text("utf-8").splitlines()
]
SEED_STORIES = seed_stories(ROOT / "seeds")
CONFIG = DedupConfig()
# Module-level: building the character tables and permutations once keeps the file fast.
SHINGLER = Shingler(CONFIG)
SIGNER = Signer(CONFIG.num_perm, CONFIG.seed)


def verdict_of(right: str, left: str, config: DedupConfig = CONFIG):
    index = NearDuplicateIndex(config)
    index.check_and_add("left", left)
    return index.check_and_add("right", right)


def exact_jaccard(left: str, right: str) -> float:
    a, b = set(SHINGLER.hashes(left).tolist()), set(SHINGLER.hashes(right).tolist())
    return len(a & b) / len(a | b)


# --- Normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "original", "why"),
    [
        ("青島市高新區", "青岛市高新区", "Traditional folds to Simplified"),
        ("ＡＢＣ１２３", "abc123", "full-width Latin and digits fold (NFKC) and lowercase"),
        ("生物医\n\n药，产业。", "生物医药产业", "line breaks and punctuation inside CJK vanish"),
        ("Hello,   World!", "hello world", "Latin punctuation and case are folded"),
        ("Cafe\u0301 au lait", "café au lait", "a combining accent composes (NFKC)"),
    ],
)
def test_variants_normalise_to_the_same_tokens(variant: str, original: str, why: str) -> None:
    assert normalised_tokens(variant) == normalised_tokens(original), why


@pytest.mark.parametrize(
    ("left", "right"),
    [("青岛高新区", "青岛开发区"), ("record profits", "record losses"), ("2022年", "2023年")],
)
def test_different_words_stay_different(left: str, right: str) -> None:
    assert normalised_tokens(left) != normalised_tokens(right)


def test_cjk_characters_are_tokens_and_latin_words_are_tokens() -> None:
    assert normalised_tokens("阿斯利康AstraZeneca投资4.5亿美元") == [
        "阿", "斯", "利", "康", "astrazeneca", "投", "资", "4", "5", "亿", "美", "元",
    ]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_normalises_like_nfkc_and_never_crashes(text: str) -> None:
    # The per-character fast path must agree with NFKC of the whole string.
    assert normalised_tokens(text) == normalised_tokens(unicodedata.normalize("NFKC", text))
    SHINGLER.hashes(text)


def test_characters_that_nfkc_makes_traditional_han_are_simplified_too() -> None:
    # A Kangxi radical, a compatibility ideograph and an enclosed ideograph.
    for character in ("\u2f92", "\uf900", "\u3294"):
        unified = unicodedata.normalize("NFKC", character)
        assert normalised_tokens(character) == normalised_tokens(unified)
    assert normalised_tokens("\u2f92") == ["见"]


def test_lone_surrogates_do_not_crash() -> None:
    assert normalised_tokens("新闻\udc80正文") == ["新", "闻", "正", "文"]


def test_shingle_size_follows_the_script() -> None:
    chinese = "青岛高新区不断集聚产业链上下游资源"
    english = "the quick brown fox jumps over the lazy dog"
    assert len(SHINGLER.hashes(chinese)) == len(chinese) - CONFIG.cjk_shingle_size + 1
    assert len(SHINGLER.hashes(english)) == 9 - CONFIG.latin_shingle_size + 1


def test_traditional_copy_raw_overlap_is_low_but_normalised_overlap_is_high() -> None:
    story = SEED_STORIES[2].text
    traditional = opencc.OpenCC("s2t").convert(story)
    raw = [set(s[i : i + 5] for i in range(len(s) - 4)) for s in (story, traditional)]
    assert len(raw[0] & raw[1]) / len(raw[0] | raw[1]) < 0.5
    assert exact_jaccard(story, traditional) > 0.95


# --- Signatures and LSH ------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=300))
def test_fast_signature_equals_datasketch_update_batch(hashes: list[int]) -> None:
    reference = MinHash(num_perm=CONFIG.num_perm, seed=CONFIG.seed, hashfunc=lambda value: value)
    reference.update_batch(hashes)
    fast = SIGNER.signature(mix32(np.array(hashes, dtype=np.uint32)))
    assert np.array_equal(fast, reference.hashvalues)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=300), st.integers(1, 50))
def test_signature_by_blocks_equals_signature_in_one_block(hashes: list[int], block: int) -> None:
    mixed = mix32(np.array(hashes, dtype=np.uint32))
    blocked = Signer(CONFIG.num_perm, CONFIG.seed, block=block)
    assert np.array_equal(blocked.signature(mixed), SIGNER.signature(mixed))


def test_band_layout_is_datasketchs_and_finds_what_the_threshold_promises() -> None:
    bands, rows = band_layout(CONFIG.candidate_threshold, CONFIG.num_perm)
    plain = MinHashLSH(threshold=CONFIG.candidate_threshold, num_perm=CONFIG.num_perm)
    assert (bands, rows) == (plain.b, plain.r)
    assert bands * rows <= CONFIG.num_perm

    def found(jaccard: float) -> float:
        return 1 - (1 - jaccard**rows) ** bands

    assert found(0.5) > 0.99 and found(0.02) < 0.001


def test_band_keys_agree_exactly_where_a_band_agrees() -> None:
    bands, rows = band_layout(CONFIG.candidate_threshold, CONFIG.num_perm)
    signature = SIGNER.signature(mix32(SHINGLER.hashes(SEED_STORIES[0].text)))
    changed = signature.copy()
    changed[rows * 5] += 1  # one value of band 5
    left, right = band_keys_of(signature, bands, rows), band_keys_of(changed, bands, rows)
    assert np.flatnonzero(left != right).tolist() == [5]
    stacked = band_keys_of(np.stack([signature, changed]), bands, rows)
    assert np.array_equal(stacked, np.stack([left, right]))  # as an index file loads them
    # Bands holding equal values still get different keys (one table holds all bands).
    flat = np.zeros(CONFIG.num_perm, np.uint32)
    assert len(set(band_keys_of(flat, bands, rows).tolist())) == bands


def test_index_fingerprint_names_the_permutation_table() -> None:
    assert index_fingerprint(CONFIG) == index_fingerprint(replace(CONFIG))
    assert (
        index_fingerprint(CONFIG)["permutations"]
        != index_fingerprint(replace(CONFIG, seed=CONFIG.seed + 1))["permutations"]
    )


def test_candidates_verified_together_equal_pair_by_pair() -> None:
    texts = [pair.left for pair in PAIRS[:12]] + [story.text for story in SEED_STORIES]
    index = NearDuplicateIndex(CONFIG)
    for number, text in enumerate(texts):
        index.check_and_add(str(number), text)
    numbers = np.array(
        [index.store.number_of(str(n)) for n in range(len(texts)) if str(n) in index.store]
    )
    block = index.store.block(numbers)
    for text in [pair.right for pair in PAIRS[:12]] + [SEED_STORIES[0].text[:300]]:
        new = index.fingerprint(text)
        expected = [estimate_overlap(new, index.store.get(i).fingerprint) for i in block.record_ids]
        assert overlaps_with(new, block) == expected
        rows = np.array([len(block) - 1, 0])
        assert overlaps_with(new, block.take(rows)) == [expected[-1], expected[0]]


# --- Verification -------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: f"{pair.kind}-{pair.source[:14]}")
def test_sampled_overlap_is_close_to_the_exact_jaccard(pair: LabelledPair) -> None:
    index = NearDuplicateIndex(CONFIG)
    overlap = estimate_overlap(index.fingerprint(pair.right), index.fingerprint(pair.left))
    exact = exact_jaccard(pair.left, pair.right)
    # A sample of n shingles of the union estimates J within sqrt(J(1-J)/n) (one sigma).
    sigma = (max(exact * (1 - exact), 0.01) / overlap.evidence) ** 0.5
    assert overlap.jaccard == pytest.approx(exact, abs=3 * sigma)


@pytest.mark.parametrize(
    ("overlap", "expected", "why"),
    [
        (Overlap(0.95, 0.97, 0.97, 300), "duplicate", "a copy with an editor line"),
        (Overlap(0.7, 1.0, 0.7, 300), "duplicate", "a copy without its lead paragraph"),
        (Overlap(0.5, 1.0, 0.5, 300), "contained_in", "new text is half of the old one"),
        (Overlap(0.4, 0.4, 1.0, 300), "contains", "new text holds all of the old one"),
        (Overlap(0.3, 0.46, 0.46, 300), None, "a third shared: not the same story"),
        (Overlap(0.05, 0.1, 0.1, 300), None, "same topic, different story"),
        (Overlap(0.4, 0.59, 0.5, 300), None, "just under the containment threshold"),
    ],
)
def test_relation_of_overlap(overlap: Overlap, expected: str | None, why: str) -> None:
    assert relation_of(overlap, CONFIG)[0] == expected, why


# --- Labelled pairs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pair",
    [pair for pair in PAIRS if pair.label == "duplicate"],
    ids=lambda pair: f"{pair.kind}-{pair.source[:14]}",
)
def test_republished_copies_are_duplicates(pair: LabelledPair) -> None:
    verdict = verdict_of(pair.right, pair.left)
    assert (verdict.relation, verdict.other, verdict.cluster) == ("duplicate", "left", "left")
    assert verdict.similarity >= CONFIG.duplicate_threshold


@pytest.mark.parametrize(
    "pair",
    [pair for pair in PAIRS if pair.label == "different"],
    ids=lambda pair: f"{pair.kind}-{pair.source[:14]}",
)
def test_different_stories_are_not_flagged(pair: LabelledPair) -> None:
    verdict = verdict_of(pair.right, pair.left)
    assert (verdict.relation, verdict.cluster) == (None, "right")


@pytest.mark.parametrize(
    "pair",
    [pair for pair in PAIRS if pair.kind.startswith("excerpt_50pc")],
    ids=lambda pair: f"{pair.kind}-{pair.source[:14]}",
)
def test_half_story_excerpt_is_a_containment(pair: LabelledPair) -> None:
    verdict = verdict_of(pair.right, pair.left)
    expected = "contained_in" if len(pair.right) < len(pair.left) else "contains"
    assert (verdict.relation, verdict.other, verdict.cluster) == (expected, "left", "right")


@pytest.mark.parametrize("pair", PAIRS[::3], ids=lambda pair: f"{pair.kind}-{pair.source[:14]}")
def test_verdicts_are_symmetric(pair: LabelledPair) -> None:
    mirror = {"contains": "contained_in", "contained_in": "contains"}
    forward = verdict_of(pair.right, pair.left).relation
    backward = verdict_of(pair.left, pair.right).relation
    assert mirror.get(backward, backward) == forward


def test_seed_stories_on_one_topic_stay_apart_and_their_copies_join_them() -> None:
    index = NearDuplicateIndex(CONFIG)
    for story in SEED_STORIES:
        assert index.check_and_add(story.name, story.text).relation is None
    for story in SEED_STORIES:
        copy = (
            "来源：科技日报\n" + opencc.OpenCC("s2t").convert(story.text) + "\n（责任编辑：李明）"
        )
        verdict = index.check_and_add(story.name + "/traditional-copy", copy)
        assert (verdict.relation, verdict.other, verdict.cluster) == (
            "duplicate",
            story.name,
            story.name,
        )


def test_a_copy_of_a_copy_joins_the_cluster_of_the_earliest() -> None:
    story = SEED_STORIES[1].text
    index = NearDuplicateIndex(CONFIG)
    index.check_and_add("first", story)
    index.check_and_add("second", story + "\n（责任编辑：李明）")
    verdict = index.check_and_add("third", "来源：新华网\n" + story + "\n（责任编辑：李明）")
    assert verdict.relation == "duplicate" and verdict.cluster == "first"


@pytest.mark.parametrize("text", ["", "广告", "扫一扫 分享", "  \n\n  ", "Read more"])
def test_texts_too_short_to_compare_are_not_indexed(text: str) -> None:
    index = NearDuplicateIndex(CONFIG)
    assert index.check_and_add("a", text).relation is None
    assert index.check_and_add("b", text).relation is None
    assert index.check_and_add("b", text).cluster == "b"


# --- Persistence -------------------------------------------------------------------------------


def test_file_index_flags_a_later_run_against_an_earlier_one(tmp_path: Path) -> None:
    path = tmp_path / "out" / "dedup-index.npz"
    first_run = NearDuplicateIndex(CONFIG, path)
    first_run.check_and_add("monday/story", SEED_STORIES[0].text)
    first_run.check_and_add("monday/other", SEED_STORIES[1].text)
    first_run.close()
    second_run = NearDuplicateIndex(CONFIG, path)
    verdict = second_run.check_and_add("tuesday/copy", SEED_STORIES[0].text + "\n（编辑：王）")
    assert (verdict.relation, verdict.other, verdict.cluster) == (
        "duplicate",
        "monday/story",
        "monday/story",
    )
    assert second_run.check_and_add("tuesday/new", SEED_STORIES[2].text).relation is None


def test_rerunning_the_same_input_gives_the_same_verdicts(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    records = [("a", SEED_STORIES[0].text), ("b", SEED_STORIES[0].text + " 编辑：王")]
    records += [("c", SEED_STORIES[1].text)]
    runs = []
    for _ in range(2):
        index = NearDuplicateIndex(CONFIG, path)
        runs.append([index.check_and_add(record_id, text) for record_id, text in records])
        index.close()
    assert runs[0] == runs[1]
    assert [verdict.relation for verdict in runs[0]] == [None, "duplicate", None]


def test_index_file_holds_no_text(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    index = NearDuplicateIndex(CONFIG, path)
    index.check_and_add("story", SEED_STORIES[0].text)
    index.close()
    raw = path.read_bytes()
    assert "青岛高新区".encode() not in raw and "青岛高新区".encode("utf-32-le") not in raw


def test_index_built_with_other_settings_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    index = NearDuplicateIndex(CONFIG, path)
    index.check_and_add("story", SEED_STORIES[0].text)
    index.close()
    with pytest.raises(DedupIndexError, match="other settings"):
        NearDuplicateIndex(replace(CONFIG, cjk_shingle_size=3), path)


def test_unreadable_index_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    path.write_bytes(b"not an index")
    with pytest.raises(DedupIndexError, match="not a dedup index"):
        NearDuplicateIndex(CONFIG, path)


def test_record_packing_round_trips() -> None:
    index = NearDuplicateIndex(CONFIG)
    index.check_and_add("新闻/1", SEED_STORIES[0].text)
    record = index.store.get("新闻/1")
    back = unpack_record("新闻/1", pack_record(record))
    assert (back.sequence, back.cluster) == (record.sequence, record.cluster)
    assert np.array_equal(back.fingerprint.sample, record.fingerprint.sample)
    assert np.array_equal(back.fingerprint.signature, record.fingerprint.signature)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6390/2", {"host": "127.0.0.1", "port": 6390, "db": 2}),
        ("redis://localhost", {"host": "localhost", "port": 6379, "db": 0}),
    ],
)
def test_redis_url_is_parsed(url: str, expected: dict) -> None:
    assert redis_connection(url) == expected


@pytest.mark.parametrize("url", ["redis://", "redis://host:1/db", "http://127.0.0.1/0"])
def test_bad_redis_url_is_refused(url: str) -> None:
    with pytest.raises(DedupIndexError):
        redis_connection(url)


# --- Redis ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    """A throw-away redis-server on a free loopback port (never any other address)."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        pytest.skip("redis-server is not installed (the CI script installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("redis-server did not start")


def test_processes_share_one_redis_index(redis_url: str) -> None:
    config = replace(CONFIG, redis_namespace="test-share")
    first = NearDuplicateIndex(config, redis_url + "/0")
    second = NearDuplicateIndex(config, redis_url + "/0")
    assert first.check_and_add("worker1/story", SEED_STORIES[0].text).relation is None
    assert first.check_and_add("worker1/other", SEED_STORIES[1].text).relation is None
    copy = opencc.OpenCC("s2t").convert(SEED_STORIES[0].text)
    verdict = second.check_and_add("worker2/copy", copy)
    assert (verdict.relation, verdict.other, verdict.cluster) == (
        "duplicate",
        "worker1/story",
        "worker1/story",
    )
    assert second.check_and_add("worker2/new", SEED_STORIES[2].text).relation is None
    first.close()
    second.close()


def test_redis_posting_lists_stay_within_their_caps(redis_url: str) -> None:
    config = replace(CONFIG, redis_namespace="test-caps", band_postings=2, anchor_postings=3)
    index = NearDuplicateIndex(config, redis_url + "/3")
    verdicts = [
        index.check_and_add(f"copy-{n}", SEED_STORIES[1].text + f"\n编辑{n}号") for n in range(6)
    ]
    client = index._client
    lengths = {key: client.llen(key) for key in client.scan_iter("test-caps:*:*")}
    index.close()
    assert {verdict.cluster for verdict in verdicts} == {"copy-0"}
    bands = [n for key, n in lengths.items() if key.startswith(b"test-caps:band:")]
    anchors = [n for key, n in lengths.items() if key.startswith(b"test-caps:anchor:")]
    assert bands and max(bands) == 2 and anchors and max(anchors) == 3


def test_redis_index_persists_and_rerun_is_stable(redis_url: str) -> None:
    config = replace(CONFIG, redis_namespace="test-rerun")
    records = [("a", SEED_STORIES[2].text), ("b", "导语\n" + SEED_STORIES[2].text)]
    runs = []
    for _ in range(2):
        index = NearDuplicateIndex(config, redis_url + "/1")
        runs.append([index.check_and_add(record_id, text) for record_id, text in records])
        index.close()
    assert runs[0] == runs[1]
    assert runs[0][1].relation == "duplicate" and runs[0][1].cluster == "a"


def test_redis_index_with_other_settings_is_refused(redis_url: str) -> None:
    config = replace(CONFIG, redis_namespace="test-settings")
    NearDuplicateIndex(config, redis_url + "/2").close()
    with pytest.raises(DedupIndexError, match="other settings"):
        NearDuplicateIndex(replace(config, num_perm=64), redis_url + "/2")


def test_lazily_filled_character_tables_match_tables_filled_up_front() -> None:
    from cleaner.stages.dedup import CharacterTables, fold_text

    # Latin ... kana, unified and compatibility ideographs, ligatures, fullwidth forms.
    ranges = [(0x0, 0x3100), (0x4E00, 0xA000), (0xF900, 0xFB50), (0xFF00, 0xFFF0)]
    eager = CharacterTables()
    for start, end in ranges:
        eager.learn(np.arange(start, end, dtype=np.uint32))
    lazy = CharacterTables()
    text = "Ｈｅｌｌｏ ½ Ǆ 臺灣 ｶﾀｶﾅ café\u0301 ﬁ"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    lazy.learn(codes)
    for table in ("folded", "character_class", "needs_string_folding"):
        assert (getattr(lazy, table)[codes] == getattr(eager, table)[codes]).all()
    assert not lazy.known[0x3041]  # only what a text held was worked out
    assert eager.folded[ord("Ａ")] == ord("a") and eager.needs_string_folding[ord("½")]
    assert fold_text("ＡＢ").tolist() == [ord("a"), ord("b")]


# Issue 16 item 8: the URL forms a user writes.
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("REDIS://127.0.0.1:6390/2", {"host": "127.0.0.1", "port": 6390, "db": 2}),
        (
            "redis://:s3cret@127.0.0.1:6390/1",
            {"host": "127.0.0.1", "port": 6390, "db": 1, "password": "s3cret"},
        ),
        (
            "redis://reader:p%40ss@h/0",
            {"host": "h", "port": 6379, "db": 0, "username": "reader", "password": "p@ss"},
        ),
        (
            "rediss://h:6380/0?ssl_ca_certs=/etc/ca.pem",
            {"host": "h", "port": 6380, "db": 0, "ssl": True, "ssl_ca_certs": "/etc/ca.pem"},
        ),
    ],
)
def test_redis_url_forms(url: str, expected: dict) -> None:
    assert redis_connection(url) == expected


def test_redis_and_rediss_in_any_case_are_not_file_paths() -> None:
    from cleaner.stages.dedup import is_redis_url

    assert all(map(is_redis_url, ["redis://h/0", "REDIS://h/0", "rediss://h/0", "Rediss://h"]))
    assert not any(map(is_redis_url, ["rediss:", "redis.index", "./redis://x"]))


def test_a_bad_port_is_a_message_without_the_password() -> None:
    with pytest.raises(DedupIndexError, match="port") as raised:
        redis_connection("redis://:s3cret@127.0.0.1:six/0")
    assert "s3cret" not in str(raised.value)


def test_masked_url_hides_only_the_password() -> None:
    from cleaner.stages.dedup import masked_url

    assert masked_url("redis://user:s3cret@h:1/2") == "redis://user:***@h:1/2"
    assert masked_url("redis://:s3cret@h/0") == "redis://:***@h/0"
    assert masked_url("redis://h:1/2") == "redis://h:1/2"


def test_redis_index_finds_the_same_excerpt(redis_url: str) -> None:
    config = replace(CONFIG, redis_namespace="test-anchors")
    story = max(SEED_STORIES, key=lambda s: len(s.text)).text
    short = in_chrome(excerpt(story, 0.25), "zh", random.Random(3), "2024-05-12 08:30")
    verdicts = []
    for location in (None, redis_url + "/4"):
        index = NearDuplicateIndex(config, location)
        verdicts.append([index.check_and_add("story", story), index.check_and_add("x", short)])
        index.close()
    assert verdicts[0] == verdicts[1]
    assert verdicts[1][1].relation == "contained_in"
