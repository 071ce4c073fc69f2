"""The spam benchmark's scoring: grouping, confusion counts and lost-paragraph detection."""

from __future__ import annotations

from cleaner.bench.spam import Confusion, grouped, judge_labelled, lost_paragraphs
from cleaner.config import Config
from cleaner.document import Block, Document


def test_only_consecutive_rows_of_one_group_form_a_document() -> None:
    rows = [
        {"text": "a", "group": "x"},
        {"text": "b", "group": "x"},
        {"text": "c"},
        {"text": "d"},
        {"text": "e", "group": "x"},
    ]
    assert [[row["text"] for row in group] for group in grouped(rows)] == [
        ["a", "b"],
        ["c"],
        ["d"],
        ["e"],
    ]


def test_confusion_counts_spam_as_the_positive_class() -> None:
    confusion = Confusion()
    for labelled_spam, removed in [(True, True), (True, False), (False, True), (False, False)]:
        confusion.add(labelled_spam, removed)
    assert (confusion.precision, confusion.recall, confusion.kept_share) == (0.5, 0.5, 0.5)
    assert Confusion().precision == 1.0  # nothing flagged: no false positive either


def test_judge_labelled_reports_each_mistake() -> None:
    rows = [
        {"text": "广告", "label": "spam", "rule_family": "ad"},
        {"text": "今年一季度，青岛港吞吐量同比增长5.2%。", "label": "spam", "rule_family": "ad"},
        {"text": "扫描上方二维码关注微信公众号", "label": "keep", "rule_family": "article"},
    ]
    result = judge_labelled(rows, Config())
    overall = result.overall
    assert (overall.true_positive, overall.false_negative, overall.false_positive) == (1, 1, 1)
    assert len(result.mistakes) == 2
    assert result.rules_fired["spam.ad.marker"] == 1


def test_a_removed_paragraph_kept_elsewhere_is_not_lost() -> None:
    title = "'We Got Her!' Video Shows Dramatic Rescue of Kidnapped Girl"
    body = "Police found the girl in a car two hours after the alert went out."
    document = Document(
        "page",
        blocks=[
            Block(title),
            Block(title).with_removal("spam.seo.hidden-text", "spam"),
            Block(body).with_removal("spam.ad.block", "spam"),
        ],
    )
    lost = lost_paragraphs(document, truth=f"{title}\n{body}")
    assert [block.text for block in lost] == [body]
