"""The layout-family split bench's own scoring: an article counts as recovered only when
one predicted article holds its text, and a title only when that article carries it."""

from __future__ import annotations

from cleaner.bench.split_layouts import Tally, score_page
from cleaner.bench.split_pages import Page, TrueArticle
from cleaner.document import ArticleInfo, Block, Document

FIRST = "第一篇文章讲的是高新区如何为企业拓展融资渠道，并引进了一批创新药物企业。" * 3
SECOND = "The council approved the new budget on Monday after a long debate about roads."


def page() -> Page:
    articles = [
        TrueArticle("高新区拓展融资渠道", FIRST, kicker="聚焦创新", published="2021-03-04"),
        TrueArticle("Council Approves Budget", SECOND),
    ]
    return Page("0001-digest-zh.txt", "digest", "zh", "tuning", "", articles)


def document(split: bool) -> Document:
    doc = Document("page", media_type="text")
    doc.blocks = [Block(FIRST), Block(SECOND, article=1 if split else 0)]
    if split:
        doc.articles = [
            ArticleInfo(title="高新区拓展融资渠道", kicker="聚焦创新", published="2021-03-04"),
            ArticleInfo(title="Council approves"),
        ]
    return doc


def test_a_page_split_right_scores_each_article() -> None:
    tally, misses = Tally(), []
    score_page(page(), document(split=True), tally, misses)
    assert (tally.pages, tally.articles, tally.right_count) == (1, 2, 1)
    assert (tally.recovered, tally.titles) == (2, 1)
    assert (tally.kickers, tally.kickers_right, tally.dated, tally.dated_right) == (1, 1, 1, 1)
    assert len(misses) == 1 and "Council" in misses[0]


def test_a_page_left_whole_recovers_no_article() -> None:
    tally, misses = Tally(), []
    score_page(page(), document(split=False), tally, misses)
    assert (tally.right_count, tally.titles) == (0, 0)
    assert tally.recovered == 0  # one article holding both texts matches neither well
    assert len(misses) == 2


def test_a_failed_page_scores_nothing() -> None:
    tally = Tally()
    score_page(page(), None, tally, [])
    assert (tally.pages, tally.articles, tally.recovered, tally.right_count) == (1, 2, 0, 0)
