"""The spam block model: its features, its shipped weight file, and the stage applying it."""

from __future__ import annotations

import dataclasses
import doctest
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.bench import train_spam
from cleaner.config import Config
from cleaner.document import Block, Document
from cleaner.rules import spam_model
from cleaner.rules.spam import MODEL_BOILERPLATE_RULE, MODEL_RULE, MODEL_RULES, measure
from cleaner.rules.spam_model import (
    FEATURE_VERSION,
    MODEL_PATH,
    DocumentVocabulary,
    SpamModel,
    block_input,
    features,
    grams_of,
    normalise,
    shipped_model,
)
from cleaner.stages import spam

CONFIG = Config()
LEXICON = CONFIG.spam.compiled.lexicon
STORY = MODEL_RULES[0].spares[1]
SPAM = MODEL_RULES[0].fires_on


def test_docstring_examples_run() -> None:
    assert doctest.testmod(spam_model).failed == 0


def score(text: str, *context: str) -> float:
    items = [block_input(piece, "paragraph", 0, False) for piece in (text, *context)]
    vocabulary = DocumentVocabulary([item.tokens for item in items])
    grams, facts = features(items[0], measure(text, LEXICON), vocabulary)
    return shipped_model().probability(grams, facts)


def test_traditional_full_width_and_other_digits_read_as_the_same_block() -> None:
    simplified = "下载官方APP，新人首单立减50元，邀请好友领现金红包"
    traditional = "下載官方ＡＰＰ，新人首單立減８８元，邀請好友領現金紅包"
    assert normalise(simplified) == normalise(traditional)
    assert score(simplified) == score(traditional)


@given(st.text(max_size=300))
def test_any_text_scores_a_probability(text: str) -> None:
    assert 0.0 <= score(text) <= 1.0


def test_the_score_does_not_depend_on_the_order_grams_are_met() -> None:
    model = shipped_model()
    grams = grams_of(normalise(SPAM[0]))
    forward = model.logit(grams, {"f:short": 1.0})
    backward = model.logit(set(sorted(grams, reverse=True)), {"f:short": 1.0})
    assert forward == pytest.approx(backward, abs=1e-12)


def test_the_shipped_file_is_the_version_the_code_reads() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["feature_version"] == FEATURE_VERSION
    assert 0.0 < data["threshold"] < 1.0
    assert "boilerplate" in data["family_weights"]
    # Small enough to ship in the package: the pruned weights, not the whole vocabulary.
    assert MODEL_PATH.stat().st_size < 3_000_000


def test_a_file_of_another_feature_version_is_refused() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["feature_version"] = FEATURE_VERSION + 1
    with pytest.raises(ValueError, match="features"):
        SpamModel(data)


def test_off_topic_needs_an_article_to_compare_with() -> None:
    alone = DocumentVocabulary([block_input(SPAM[0], "paragraph", 0, False).tokens])
    assert alone.off_topic(block_input(SPAM[0], "paragraph", 0, False).tokens) == (0.0, False)
    story = block_input(STORY, "paragraph", 0, False)
    echo = block_input("Regulators warned investors about trading signals.", "paragraph", 0, False)
    vocabulary = DocumentVocabulary([story.tokens, echo.tokens, story.tokens])
    off_topic, has_article = vocabulary.off_topic(echo.tokens)
    assert has_article and off_topic < 0.5


def judged(*texts: str, config: Config = CONFIG) -> list[Block]:
    document = Document("test", blocks=[Block(text) for text in texts])
    spam.apply(document, config.spam)
    return document.blocks


def test_a_model_removal_names_the_family_and_its_evidence() -> None:
    _, removed, _ = judged(STORY, SPAM[1], STORY)
    assert removed.removal is not None and removed.removal.rule == MODEL_RULE
    family, _, evidence = removed.removal.detail.partition(" ")
    assert family in shipped_model().family_weights
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
    import numpy

    rows = train_spam.Rows(
        features=[],
        labels=[1, 1, 0, 0, 0, 0],
        families=["loans", "loans", "look-alike loans", "bench", "bench", "bench"],
        groups=list("abcdef"),
        sources=["labelled"] * 6,
        texts=list("abcdef"),
    )
    scores = numpy.array([0.9, 0.4, 0.3, 0.1, 0.2, 0.6])
    threshold = train_spam.pick_threshold(rows, scores, 0.0, 0.0)
    assert 0.6 < threshold <= 0.9
    assert train_spam.pick_threshold(rows, scores, 0.0, 0.34) <= 0.35
