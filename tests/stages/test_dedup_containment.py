"""Containment of short reposts (issue 21): the anchor index finds an excerpt of a quarter
to a third of a story that the bands miss, keeps its posting lists bounded, and gives the
same verdicts in Redis as in memory (that test is in test_dedup.py, beside the server)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cleaner.bench.dedup import excerpt, seed_stories
from cleaner.bench.dedup_reposts import in_chrome, rewrite
from cleaner.stages.dedup import (
    DedupConfig,
    NearDuplicateIndex,
    PostingTable,
    Shingler,
    anchors_of,
    fingerprint_text,
    mix32,
)

ROOT = Path(__file__).resolve().parents[2]
CONFIG = DedupConfig()
SHINGLER = Shingler(CONFIG)
STORY = max(seed_stories(ROOT / "seeds"), key=lambda story: len(story.text)).text


def portal_excerpt(share: float) -> str:
    return in_chrome(excerpt(STORY, share), "zh", random.Random(3), "2024-05-12 08:30")


def test_anchors_are_the_smallest_distinct_shingle_hashes() -> None:
    hashes = np.unique(mix32(SHINGLER.hashes(STORY)))
    fingerprint = fingerprint_text(STORY, CONFIG)
    assert anchors_of(fingerprint, CONFIG).tolist() == hashes[: CONFIG.anchor_count].tolist()


@pytest.mark.parametrize("share", [0.3, 0.35])
def test_a_third_of_the_story_in_portal_chrome_is_contained(share: float) -> None:
    short = portal_excerpt(share)
    index = NearDuplicateIndex(CONFIG)
    index.check_and_add("story", STORY)
    verdict = index.check_and_add("excerpt", short)
    assert (verdict.relation, verdict.other) == ("contained_in", "story")
    reverse = NearDuplicateIndex(CONFIG)
    reverse.check_and_add("excerpt", short)
    assert reverse.check_and_add("story", STORY).relation == "contains"


def test_the_bands_alone_miss_the_quarter_excerpt_the_anchors_find() -> None:
    short = portal_excerpt(0.25)
    without_anchors = replace(CONFIG, anchor_min_shared=CONFIG.anchor_count + 1)
    for config, expected in ((without_anchors, None), (CONFIG, "contained_in")):
        index = NearDuplicateIndex(config)
        index.check_and_add("story", STORY)
        assert index.check_and_add("excerpt", short).relation == expected


def test_a_rewrite_is_a_duplicate() -> None:
    index = NearDuplicateIndex(CONFIG)
    index.check_and_add("story", STORY)
    verdict = index.check_and_add("rewrite", rewrite(STORY, "zh", random.Random(5)))
    assert (verdict.relation, verdict.cluster) == ("duplicate", "story")


def test_posting_lists_keep_only_the_earliest_records() -> None:
    table = PostingTable(cap=3, small_size=8)  # small buffer: postings in runs and buffer
    for number in range(10):
        table.insert(number, np.array([1, 2, 3, 4], np.uint32))
    assert table.query(np.array([1, 2, 3, 4], np.uint32), minimum=4).tolist() == [0, 1, 2]
    assert table.query(np.array([1, 9], np.uint32), minimum=2).tolist() == []


def test_posting_tables_keep_only_what_a_query_can_read() -> None:
    table = PostingTable(cap=3, small_size=8)
    for number in range(200):
        table.insert(number, np.array([7, 8, number + 100], np.uint32))
    assert table.query(np.array([7, 8], np.uint32), minimum=2).tolist() == [0, 1, 2]
    # Keys 7 and 8 keep 3 postings in each merged level (2) besides the small array (up
    # to 10 postings), not 200 each: memory stays bounded too.
    assert len(table) <= 200 + 2 * 2 * 3 + 10
    assert table.query(np.array([250], np.uint32), minimum=1).tolist() == [150]


def test_many_copies_still_point_at_the_first() -> None:
    config = replace(CONFIG, anchor_postings=4, max_candidates=4)
    index = NearDuplicateIndex(config)
    verdicts = [index.check_and_add(f"copy-{n}", STORY + f"\n编辑{n}号") for n in range(12)]
    assert {verdict.cluster for verdict in verdicts} == {"copy-0"}
    assert index.statistics.most_candidates == 4  # bounded, whatever the copies


def test_two_key_sets_share_a_table_without_mixing() -> None:
    table = PostingTable(cap=(2, 3), small_size=8)
    nothing = np.zeros(0, np.uint32)
    five = np.array([5], np.uint32)
    for number in range(3):
        table.insert(number, five, nothing)  # key 5 as a band key
    for number in range(3, 7):
        table.insert(number, nothing, five)  # the same value as an anchor
    for _in_small_array in (True, False):
        # Each set finds its own postings of key 5 only, at most its own cap of them.
        assert table.query_sets((five, nothing), (1, 1)).tolist() == [0, 1]
        assert table.query_sets((nothing, five), (1, 1)).tolist() == [3, 4, 5]
        assert table.query_sets((nothing, five), (1, 2)).tolist() == []
        for number in range(7, 17):  # other keys, until the postings leave the small array
            table.insert(number, np.array([number + 100], np.uint32), nothing)


def _stream_with_close_copies() -> list[tuple[str, str]]:
    """Seed stories with excerpts, rewrites and copies right after them (so they meet in
    one batch), texts too short to index, an id seen twice, and one story copied often
    enough to fill its keys' posting caps."""
    records: list[tuple[str, str]] = []
    for number, story in enumerate(seed_stories(ROOT / "seeds")):
        text = story.text
        records.append((f"s{number}", text))
        records.append((f"s{number}/excerpt", excerpt(text, 0.3)))
        records.append((f"s{number}/rewrite", rewrite(text, "zh", random.Random(number))))
        records.append(("too-short", "广告"))
        records.append((f"s{number}/copy", text + f"\n（编辑：{number}）"))
        records.append((f"s{number}", text))  # the same id again: judged as a known record
        records.append((f"hot-{number}", rewrite(STORY, "zh", random.Random(number))))
    # Runs of copies: the earlier ones fill a key's cap before a batch's later ones.
    records += [(f"hot-run-{n}", rewrite(STORY, "zh", random.Random(n))) for n in range(12)]
    return records


@pytest.mark.parametrize("batch", [2, 5, 64])
def test_batched_records_get_the_verdicts_of_one_by_one(batch: int) -> None:
    # Tight caps: the records of a batch compete with earlier ones for a key's postings.
    config = replace(CONFIG, band_postings=2, anchor_postings=3, max_candidates=8)
    records = _stream_with_close_copies()
    one_by_one = NearDuplicateIndex(config)
    expected = [one_by_one.check_and_add(record_id, text) for record_id, text in records]
    batched = NearDuplicateIndex(replace(config, lookup_batch=batch))
    verdicts = []
    for start in range(0, len(records), 2 * batch):  # calls longer than one batch, too
        chunk = records[start : start + 2 * batch]
        verdicts += batched.check_and_add_many([(rid, text, None) for rid, text in chunk])
    assert verdicts == expected
    assert batched.statistics == one_by_one.statistics
    assert sum(verdict.relation == "duplicate" for verdict in expected) >= 8
