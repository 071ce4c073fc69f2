"""The paragraph-join benchmark's own parts: breaks keep the text, boundaries are scored."""

from __future__ import annotations

import random
import re

from cleaner.bench.reflow import (
    Scores,
    _score_page,
    already_wrapped,
    break_paragraph,
    kept_boundaries,
    laid_out,
)
from cleaner.config import Config
from cleaner.stages.reflow import ReflowConfig

ZH = ["针对医疗器械领域准入门槛高、资本投入大的问题,青岛高新区积极为企业拓展融资渠道。"] * 3
EN = ["The council approved the new budget on Monday after a long debate about the works."]


def test_a_break_keeps_every_character() -> None:
    rng = random.Random(3)
    for _ in range(50):
        head, tail = break_paragraph(ZH[0], False, rng)
        assert head and tail and head + tail == ZH[0]
        head, tail = break_paragraph(EN[0], True, rng)
        assert re.sub(r"[\s-]", "", head + tail) == re.sub(r"\s", "", EN[0])


def test_layout_marks_inserted_breaks_as_not_true() -> None:
    pieces, truth = laid_out(ZH, False, 1.0, random.Random(1))
    assert len(pieces) == 6
    assert truth == [False, True, False, True, False]


def test_joined_breaks_and_kept_boundaries_are_told_apart() -> None:
    pieces = [
        "针对医疗器械领域准入门槛高、资本投入大的问",
        "题,青岛高新区积极为企业拓展融资渠道。",
        ZH[0],
    ]
    assert kept_boundaries(pieces, Config()) == [False, True]
    off = Config(reflow=ReflowConfig(join_broken_paragraphs=False))
    assert kept_boundaries(pieces, off) == [True, True]


def test_a_wrong_join_is_counted_and_shown() -> None:
    scores = Scores()
    _score_page("page", ["甲乙丙，", "丁戊己。", "庚辛。"], [True, False], [False, True], scores)
    assert (scores.boundaries, scores.boundaries_joined, scores.broken_truth_joined) == (1, 1, 1)
    assert (scores.breaks, scores.breaks_joined) == (1, 0)
    assert scores.pages_wrongly_joined == 1 and "truth broken" in scores.wrong_joins[0]


def test_a_hard_wrapped_truth_is_recognised() -> None:
    assert already_wrapped(["一九八九年四月，我在湖南", "开一个全省教学研究", "会议。"])
    assert not already_wrapped(ZH)
