"""The spam block model: its features, its shipped weight file, and the stage applying it."""

from __future__ import annotations

import dataclasses
import doctest
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.bench import train_spam
from cleaner.config import Config
from cleaner.document import ArticleInfo, Block, Document
from cleaner.rules import spam_model
from cleaner.rules.spam import MODEL_BOILERPLATE_RULE, MODEL_RULE, MODEL_RULES, measure
from cleaner.rules.spam_model import (
    FACT_NAMES,
    FEATURE_VERSION,
    MODEL_PATH,
    Candidate,
    SpamModel,
    document_features,
    normalised_codes,
    shipped_model,
)
from cleaner.stages import spam

CONFIG = Config()
LEXICON = CONFIG.spam.compiled.lexicon
STORY = MODEL_RULES[0].spares[1]
SPAM = MODEL_RULES[0].fires_on


def test_docstring_examples_run() -> None:
    assert doctest.testmod(spam_model).failed == 0


def candidate(texts: list[str], index: int) -> Candidate:
    return Candidate(index, measure(texts[index], LEXICON), "paragraph", 0)


def features_of(texts: list[str], judged: list[int]):
    return document_features(texts, [candidate(texts, index) for index in judged])


def score(text: str, *context: str) -> float:
    return float(shipped_model().probabilities(features_of([text, *context], [0]))[0])


def test_traditional_full_width_and_other_digits_read_as_the_same_block() -> None:
    simplified = "下载官方APP，新人首单立减50元，邀请好友领现金红包"
    traditional = "下載官方ＡＰＰ，新人首單立減８８元，邀請好友領現金紅包"
    assert list(normalised_codes([simplified])[0]) == list(normalised_codes([traditional])[0])
    assert score(simplified) == score(traditional)


@given(st.text(max_size=300))
def test_any_text_scores_a_probability(text: str) -> None:
    assert 0.0 <= score(text) <= 1.0


texts_with_han = st.lists(
    st.text(
        alphabet=st.sampled_from("百家乐 送彩金，Buy cheap pills-now 0138\n'’。ＶＩＰ"), max_size=60
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60)
@given(texts_with_han, st.data())
def test_judging_blocks_together_scores_each_as_if_judged_alone(texts, data) -> None:
    """The stage judges all blocks of a page in one pass; each block's score must be the
    one it gets when it is the only block judged on that page."""
    judged = sorted(data.draw(st.sets(st.integers(0, len(texts) - 1), min_size=1)))
    together = shipped_model().probabilities(features_of(texts, judged))
    for row, index in enumerate(judged):
        alone = shipped_model().probabilities(features_of(texts, [index]))[0]
        assert together[row] == pytest.approx(alone, abs=1e-6)


@settings(max_examples=60)
@given(texts_with_han)
def test_no_feature_reaches_across_two_blocks(texts) -> None:
    features = features_of(texts, list(range(len(texts))))
    for row, text in enumerate(texts):
        own = "".join(map(chr, normalised_codes([text])[0]))
        for gram, _ in features.row_features(row):
            assert gram in own


def test_hashed_features_are_the_same_in_every_process() -> None:
    """The buckets come from a fixed polynomial hash, not Python's salted `hash`."""
    script = (
        "from cleaner.rules.spam_model import Candidate, document_features;"
        "from cleaner.rules.spam import measure;"
        "from cleaner.stages.spam import SpamConfig;"
        f"text = {SPAM[0]!r};"
        "facts = measure(text, SpamConfig().compiled.lexicon);"
        "print(sorted(document_features([text], [Candidate(0, facts, 'paragraph', 0)])"
        ".buckets.tolist()))"
    )
    outputs = set()
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=environment
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert outputs == {str(sorted(features_of([SPAM[0]], [0]).buckets.tolist())) + "\n"}


def test_a_feature_counts_once_however_often_it_recurs() -> None:
    once = features_of(["价格 0138"], [0])
    repeated = features_of(["价格 0138 0138 0138 0138"], [0])
    assert len(set(once.buckets.tolist())) == len(once.buckets)
    assert len(set(repeated.buckets.tolist())) == len(repeated.buckets)


def _meta_and_arrays():
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        return json.loads(str(data["meta"])), {name: data[name] for name in data.files}


def test_the_shipped_file_is_the_version_the_code_reads() -> None:
    meta, arrays = _meta_and_arrays()
    assert meta["feature_version"] == FEATURE_VERSION
    assert tuple(meta["fact_names"]) == FACT_NAMES
    assert 0.0 < meta["threshold"] < 1.0
    assert "boilerplate" in meta["families"]
    assert len(arrays["fact_weights"]) == len(FACT_NAMES)
    # Small enough to ship in the package: the weights that matter, not every bucket.
    assert MODEL_PATH.stat().st_size < 1_500_000


def test_a_file_of_another_feature_version_is_refused() -> None:
    meta, arrays = _meta_and_arrays()
    with pytest.raises(ValueError, match="features"):
        SpamModel({**meta, "feature_version": FEATURE_VERSION + 1}, arrays)
    with pytest.raises(ValueError, match="facts"):
        SpamModel({**meta, "fact_names": list(reversed(FACT_NAMES))}, arrays)


def off_topic(texts: list[str], index: int) -> tuple[float, float]:
    facts = features_of(texts, [index]).facts[0]
    return facts[FACT_NAMES.index("off-topic")], facts[FACT_NAMES.index("alone")]


def test_off_topic_needs_an_article_to_compare_with() -> None:
    assert off_topic([SPAM[0]], 0) == (0.0, 1.0)
    echo = "Regulators warned investors about trading signals."
    share, alone = off_topic([STORY, echo, STORY], 1)
    assert alone == 0.0 and share < 0.5
    share, alone = off_topic([STORY, SPAM[0], STORY], 1)
    assert alone == 0.0 and share == 1.0


def judged(*texts: str, config: Config = CONFIG) -> list[Block]:
    document = Document("test", blocks=[Block(text) for text in texts])
    spam.apply(document, config.spam)
    return document.blocks


def test_a_model_removal_names_the_family_and_its_evidence() -> None:
    _, removed, _ = judged(STORY, SPAM[1], STORY)
    assert removed.removal is not None and removed.removal.rule == MODEL_RULE
    family, _, evidence = removed.removal.detail.partition(" ")
    assert family in shipped_model().families
    assert "'" in evidence  # the features that weighed most, quoted


def test_the_model_can_be_switched_off_or_its_rules_disabled() -> None:
    off = dataclasses.replace(CONFIG, spam=dataclasses.replace(CONFIG.spam, model_enabled=False))
    assert all(block.kept for block in judged(STORY, SPAM[1], STORY, config=off))
    disabled = dataclasses.replace(
        CONFIG,
        spam=dataclasses.replace(CONFIG.spam, disabled_rules=(MODEL_RULE, MODEL_BOILERPLATE_RULE)),
    )
    assert all(block.kept for block in judged(STORY, SPAM[1], STORY, config=disabled))


def test_a_higher_threshold_removes_no_more() -> None:
    texts = [STORY, *SPAM, *MODEL_RULES[1].fires_on, STORY]
    strict = dataclasses.replace(CONFIG, spam=dataclasses.replace(CONFIG.spam, model_threshold=1.0))
    assert sum(not block.kept for block in judged(*texts, config=strict)) <= sum(
        not block.kept for block in judged(*texts)
    )
    assert all(block.kept for block in judged(*texts, config=strict)[:1])


def test_threshold_is_the_lowest_that_keeps_both_kinds_of_real_text() -> None:
    rows = train_spam.Rows(
        x=None,
        labels=[1, 1, 0, 0, 0, 0],
        families=["loans", "loans", "look-alike loans", "bench", "bench", "bench"],
        groups=list("abcdef"),
        sources=["labelled"] * 6,
        texts=list("abcdef"),
    )
    scores = np.array([0.9, 0.4, 0.3, 0.1, 0.2, 0.6])
    threshold = train_spam.pick_threshold(rows, scores, 0.0, 0.0)
    assert 0.6 < threshold <= 0.9
    assert train_spam.pick_threshold(rows, scores, 0.0, 0.34) <= 0.35


def test_a_groups_fold_does_not_move_when_groups_are_added() -> None:
    before = [f"page:{number}" for number in range(40)]
    after = [f"pdf:{number}" for number in range(200)] + before
    folds_before = {group: train_spam.fold_of(group, 5) for group in before}
    assert all(train_spam.fold_of(group, 5) == folds_before[group] for group in after[200:])
    assert len(set(folds_before.values())) == 5


# A tax office's notice printed as a story of its own on a newspaper page: it shares no
# words with the page's other story, and its phone number and "free of charge" read as
# commercial cues; the story's first paragraph carries its topic.
TAX_STORY = (
    "市税务局表示，今年个人所得税汇算清缴期间，纳税人可通过电子税务局办理申报和退税。",
    "纳税人可登录电子税务局免费办理申报，退税款最快三个工作日到账，详情请拨打12366咨询。",
)


def judged_stories(*stories: tuple[str, ...], config: Config = CONFIG) -> list[Block]:
    """The blocks of a page cut into stories (as the PDF route cuts one), after the stage."""
    blocks = [Block(text, article=number) for number, story in enumerate(stories) for text in story]
    document = Document("test", blocks=blocks)
    document.articles = [ArticleInfo() for _ in stories]
    spam.apply(document, config.spam)
    return document.blocks


def without_story_raise() -> Config:
    return dataclasses.replace(
        CONFIG, spam=dataclasses.replace(CONFIG.spam, model_story_topic_raise=0.0)
    )


def test_a_notice_whose_story_carries_its_topic_needs_a_higher_score() -> None:
    page = ((STORY, STORY), TAX_STORY)
    assert not judged_stories(*page, config=without_story_raise())[-1].kept
    assert judged_stories(*page)[-1].kept


def test_spam_sharing_no_words_with_its_story_is_still_removed_on_a_page_of_stories() -> None:
    page = ((STORY, SPAM[1], STORY), TAX_STORY[:1])
    assert not judged_stories(*page)[1].kept


def test_a_page_not_cut_into_stories_is_judged_as_before() -> None:
    texts = [*TAX_STORY, STORY, *SPAM, STORY]
    assert [block.kept for block in judged(*texts)] == [
        block.kept for block in judged(*texts, config=without_story_raise())
    ]


# A library's notice printed as a story under its headline: the model scores its last
# paragraph 0.83 (a phone number, "free", sign up), and its headline and first paragraph
# hold a sixth of its tokens; labelled spam put into a story mostly shares under 0.15.
LIBRARY_STORY = (
    "市图书馆将于下周在一楼大厅举办年度旧书义卖活动，所得款项用于购买新书。",
    "义卖活动免费入场，欢迎市民报名当志愿者，报名电话0532-85812345。",
)
LIBRARY_HEADLINE = "图书馆下周举办旧书义卖"
# The same kind of notice sharing no words with its story (a contact line alone).
CONTACT_STORY = (
    "The county library will hold its annual book sale next week in the main hall.",
    "Call 555-0142 or email friends@library.org to volunteer, free parking for all visitors.",
)


def judged_headlined(
    *stories: tuple[str, ...], headline: str = LIBRARY_HEADLINE, config: Config = CONFIG
) -> list[Block]:
    """As `judged_stories`, each story printed under a headline (the last one `headline`)."""
    blocks = [Block(text, article=number) for number, story in enumerate(stories) for text in story]
    document = Document("test", blocks=blocks)
    titles = [STORY[:40]] * (len(stories) - 1) + [headline]
    document.articles = [ArticleInfo(title=title) for title in titles]
    spam.apply(document, config.spam)
    return document.blocks


def without_story_floor() -> Config:
    return dataclasses.replace(
        CONFIG, spam=dataclasses.replace(CONFIG.spam, model_story_min_probability=0.0)
    )


def test_a_paragraph_of_a_headlined_story_carrying_its_topic_needs_the_model_to_be_sure() -> None:
    page = ((STORY, STORY), LIBRARY_STORY)
    assert not judged_headlined(*page, config=without_story_floor())[-1].kept
    assert judged_headlined(*page)[-1].kept


def test_without_a_headline_or_beside_no_paragraph_of_its_story_it_is_judged_as_before() -> None:
    assert not judged_stories((STORY, STORY), LIBRARY_STORY)[-1].kept
    assert not judged_headlined((STORY, STORY), LIBRARY_STORY[1:], headline="")[-1].kept
    assert not judged_headlined((STORY, STORY), LIBRARY_STORY[1:], headline="义卖")[-1].kept


def test_a_paragraph_sharing_too_little_with_its_headlined_story_is_judged_as_before() -> None:
    page = ((STORY, STORY), CONTACT_STORY)
    assert not judged_headlined(*page, headline="Book sale next week")[-1].kept


def test_spam_the_model_is_sure_of_is_removed_inside_a_headlined_story() -> None:
    blocks = judged_headlined((STORY, SPAM[1], STORY), LIBRARY_STORY[:1])
    assert [block.kept for block in blocks] == [True, False, True, True]


CUT_STORY = (
    "Fans who bought the new console absolutely love it, both",
    "year-long subscription, the shop said on Monday.",
)


@pytest.mark.parametrize(
    "fragment",
    ["still up to $60 cheaper", "of success. You've", "Drink within 30 minutes after your"],
)
def test_a_block_cut_out_of_a_news_sentence_is_judged_with_the_sentence(fragment: str) -> None:
    texts = (STORY, CUT_STORY[0], fragment, CUT_STORY[1], STORY)
    alone = dataclasses.replace(
        CONFIG, spam=dataclasses.replace(CONFIG.spam, model_context_blocks=0)
    )
    assert not judged(*texts, config=alone)[2].kept  # flagged when judged alone
    assert all(block.kept for block in judged(*texts))


def test_spam_cut_into_lines_or_beside_a_cut_sentence_is_still_removed() -> None:
    head, _, tail = SPAM[1].partition(", ")
    # The head alone is flagged, and the whole spam sentence scores as spam as well.
    kept = [block.kept for block in judged(STORY, head + ",", tail, STORY)]
    assert kept[:2] == [True, False]
    kept = [block.kept for block in judged(STORY, SPAM[1], CUT_STORY[0], STORY)]
    assert kept == [True, False, True, True]
