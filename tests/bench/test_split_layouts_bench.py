"""The layout-family split bench's own scoring: an article counts as recovered only when
one predicted article holds its text, and a title only when that article carries it."""

from __future__ import annotations

import random

from cleaner.bench.split_layouts import Tally, score_page
from cleaner.bench.split_pages import Page, Source, TrueArticle, make_page
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


def _made_up_pools() -> dict:
    """Article pools of invented text, so the generator runs without the bench."""
    rng = random.Random(5)
    zh_words = list("城河校厂农医师春市路馆园港桥")
    en_words = ["river", "school", "market", "harbour", "council", "railway", "museum"]

    def paragraph(words: list[str], lang: str) -> str:
        if lang == "zh":
            return "，".join("".join(rng.sample(words, 10)) for _ in range(6)) + "。"
        return ", ".join(" ".join(rng.sample(words, 6)) for _ in range(5)).capitalize() + "."

    pools = {}
    for lang, words in (("zh", zh_words), ("en", en_words)):
        for part in ("tuning", "test"):
            pools[(lang, part)] = [
                Source(f"{lang}{part}{n}", lang, f"Title {n}", [paragraph(words, lang)] * 4)
                for n in range(8)
            ]
    return pools


def test_digest_and_markdown_pages_print_every_kicker_and_subtitle_their_truth_holds() -> None:
    # A truth field the page never prints would score as a miss no reader could avoid.
    pools, rng = _made_up_pools(), random.Random(11)
    pages = [make_page(number, pools, rng) for number in range(60)]
    checked = 0
    for page in pages:
        if page.family not in ("digest", "markdown"):
            continue
        # A kicker or subtitle is printed as a line of its own (its words are the story's).
        lines = {line.strip().strip("#*").strip() for line in page.text.splitlines()}
        for article in page.articles:
            for field in (article.kicker, article.subtitle):
                if field:
                    checked += 1
                    assert field in lines, (page.name, field)
    assert checked > 0
